#include "ifnsig/run/run_scoring.hpp"

#include <algorithm>
#include <cmath>

#include "ifnsig/io/text.hpp"

namespace ifnsig::run {
namespace {

std::vector<score::Method> methods_for(const score::GeneSet& panel, const std::vector<score::Method>& asked) {
  if (!asked.empty()) return asked;
  return {score::parse_method(panel.method.empty() ? "rice" : panel.method)};
}

void merge_into(score::ScoreRun& total, score::ScoreRun&& part) {
  if (total.stats.empty()) total.stats = part.stats;
  for (std::size_t row = 0; row < part.stats.size(); ++row) {
    if (part.stats[row].known) total.stats[row] = part.stats[row];
  }
  total.panels.insert(total.panels.end(), part.panels.begin(), part.panels.end());
  std::move(part.rows.begin(), part.rows.end(), std::back_inserter(total.rows));
  auto& ref = total.reference_out;
  ref.control_group = part.reference_out.control_group;
  ref.control_samples = part.reference_out.control_samples;
  ref.input_scale = part.reference_out.input_scale;
  ref.genes.insert(part.reference_out.genes.begin(), part.reference_out.genes.end());
  ref.thresholds.insert(ref.thresholds.end(), part.reference_out.thresholds.begin(),
                        part.reference_out.thresholds.end());
}

}  // namespace

RunScores score_panels(const GeneMatrix& matrix, const ScoreSetup& setup) {
  const score::GeneMatcher matcher(matrix.gene_ids, setup.gene_map);
  RunScores result;
  for (const auto& panel : setup.panels) {
    score::ScoreInput input;
    input.matrix = &matrix;
    input.source = setup.source;
    input.panels = score::match_panels({panel}, matcher, setup.options.min_genes);
    input.control_columns = setup.control_columns;
    input.control_group = setup.control_group;
    input.reference = setup.reference;
    result.matches.push_back({panel.name, input.panels.front().missing, input.panels.front().n_members});
    score::ScoreOptions options = setup.options;
    options.methods = methods_for(panel, setup.methods);
    merge_into(result.run, score::run_scores(input, options));
  }
  return result;
}

void write_calls(std::ostream& out, const GeneMatrix& matrix, const std::vector<std::string>& groups,
                 const score::ScoreRun& run) {
  out << "sample\tgroup\tpanel\tmethod\tscore\tcall\tthreshold\n";
  for (const auto& row : run.rows) {
    const auto j = static_cast<std::size_t>(row.sample);
    out << matrix.sample_ids[j] << '\t' << groups[j] << '\t' << row.panel << '\t' << row.method << '\t'
        << format_double(row.score) << '\t' << row.call << '\t'
        << (std::isfinite(row.threshold.value) ? format_double(row.threshold.value) : "NA") << '\n';
  }
}

}  // namespace ifnsig::run
