#include "ifnsig/count/count_matrix.hpp"

#include <cstdlib>

#include "ifnsig/count/count_output.hpp"

namespace ifnsig::count {

matrix::CountTable to_count_table(const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                                  bool fractional) {
  matrix::CountTable table;
  const auto n_genes = model.genes().size();
  for (std::uint32_t g = 0; g < n_genes; ++g) {
    table.counts.gene_ids.push_back(model.genes()[g].id);
    table.lengths_bp.push_back(static_cast<double>(model.union_length(g)));
  }
  table.counts.values.resize(static_cast<Eigen::Index>(n_genes), static_cast<Eigen::Index>(files.size()));
  for (std::size_t f = 0; f < files.size(); ++f) {
    table.counts.sample_ids.push_back(files[f].path);
    table.sources.push_back(files[f].path);
    for (std::size_t g = 0; g < n_genes; ++g) {
      const std::int64_t units = files[f].target_units[g];
      table.counts.values(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(f)) =
          fractional && units % kCountScale != 0 ? std::strtod(format_count(units, true).c_str(), nullptr)
                                                  : static_cast<double>(units / kCountScale);
    }
  }
  return table;
}

}  // namespace ifnsig::count
