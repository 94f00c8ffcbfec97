#include "ifnsig/report/multiqc.hpp"

#include <cmath>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::report {
namespace {

std::string column_id(const PanelScores& panel) { return panel.panel + "_" + panel.method; }

}  // namespace

void write_multiqc_table(std::ostream& out, const ReportData& data) {
  out << "# id: 'ifnsig_scores'\n"
         "# section_name: 'ifnsig interferon scores'\n"
         "# description: 'Per-sample IFN scores and calls (high: score above the threshold of the control group "
         "or the frozen reference), from ifnsig run.'\n"
         "# plot_type: 'table'\n"
         "# pconfig:\n"
         "#     id: 'ifnsig_scores_table'\n"
         "#     namespace: 'ifnsig'\n"
         "# headers:\n"
         "#     group:\n"
         "#         title: 'Group'\n";
  for (const auto& panel : data.panels) {
    out << "#     " << column_id(panel) << ":\n#         title: '" << panel.panel << " (" << panel.method
        << ")'\n#         description: 'IFN score; threshold "
        << (std::isfinite(panel.threshold) ? io::format_double(panel.threshold) : std::string("NA")) << "'\n"
        << "#         format: '{:,.3f}'\n"
        << "#     " << column_id(panel) << "_call:\n#         title: '" << panel.panel << " call'\n";
  }
  if (data.response.present()) {
    out << "#     ifn_dominant_response:\n#         title: 'Dominant IFN response'\n#         description: 'type I, "
           "type II, I+II (both high, neither dominant) or none, from "
        << data.panels[static_cast<std::size_t>(data.response.type_i)].panel << " vs "
        << data.panels[static_cast<std::size_t>(data.response.type_ii)].panel << "'\n";
  }
  out << "#     assigned_percent:\n#         title: '% assigned'\n#         max: 100\n#         min: 0\n"
         "#         suffix: '%'\n";
  out << "Sample\tgroup";
  for (const auto& panel : data.panels) out << '\t' << column_id(panel) << '\t' << column_id(panel) << "_call";
  if (data.response.present()) out << "\tifn_dominant_response";
  out << "\tassigned_percent\n";
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    out << data.qc[i].sample << '\t' << data.qc[i].group;
    for (const auto& panel : data.panels) {
      for (const auto& p : panel.points) {
        if (p.sample == static_cast<int>(i)) out << '\t' << io::format_double(p.score) << '\t' << p.call;
      }
    }
    if (data.response.present()) out << '\t' << data.response.call[i];
    out << '\t';  // empty (missing to MultiQC) when the categories are not known
    if (data.qc[i].status_known()) out << io::format_double(std::round(1e4 * data.qc[i].assigned_fraction()) / 100);
    out << '\n';
  }
}

void write_multiqc_file(const ReportData& data, const std::filesystem::path& path) {
  AtomicFile file(path);
  write_multiqc_table(file.stream(), data);
  file.commit();
}

}  // namespace ifnsig::report
