#include "ifnsig/run/run_scoring.hpp"

#include <cmath>

#include "ifnsig/io/text.hpp"

namespace ifnsig::run {

void write_calls(std::ostream& out, const matrix::GeneMatrix& matrix, const std::vector<std::string>& groups,
                 const score::ScoreRun& run) {
  out << "sample\tgroup\tpanel\tmethod\tscore\tcall\tthreshold\n";
  for (const auto& row : run.rows) {
    const auto j = static_cast<std::size_t>(row.sample);
    out << matrix.sample_ids[j] << '\t' << groups[j] << '\t' << row.panel << '\t' << row.method << '\t'
        << io::format_double(row.score) << '\t' << row.call << '\t'
        << (std::isfinite(row.threshold.value) ? io::format_double(row.threshold.value) : "NA") << '\n';
  }
}

}  // namespace ifnsig::run
