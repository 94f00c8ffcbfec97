// Owns: the self-contained HTML report (inline CSS and SVG, no scripts, no network): provenance,
//       warnings, per-sample QC, scores by group with thresholds, the panel-gene heatmap and the sample table.
// Thread-safety: pure functions.
// Invariant: stable element ids for tests and users: #provenance, #warnings, #qc-plot, #qc-table,
//            #score-plot (.threshold-line), #heatmap, #sample-table.
#pragma once
#include <filesystem>
#include <string>

#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report {

std::string render_report_html(const ReportData& data);
// Written atomically.
void write_report_html(const ReportData& data, const std::filesystem::path& path);

}  // namespace ifnsig::report
