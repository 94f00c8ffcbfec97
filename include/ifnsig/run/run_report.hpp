// Owns: turning a finished run (sheet, per-sample records, normalized matrix, scores) into the report's
//       data model (report::ReportData).
// Thread-safety: build_report_data() is a pure function.
// Invariant: heatmap columns follow ReportData::order (samples by the first panel's score, ascending);
//            every PanelScores lists each sample once, in sheet order.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/report/report_data.hpp"
#include "ifnsig/run/run_scoring.hpp"
#include "ifnsig/score/panel_scores.hpp"
#include "ifnsig/run/run_sheet.hpp"
#include "ifnsig/run/sample_counts.hpp"

namespace ifnsig::run {

struct ReportInputs {
  const RunSheet* sheet = nullptr;
  const std::vector<SampleRecord>* records = nullptr;  // sheet order
  const std::vector<bool>* counted = nullptr;          // sheet order
  const GeneMatrix* normalized = nullptr;              // columns in sheet order
  const score::ScoredPanels* scores = nullptr;
  std::string control;
  std::vector<std::pair<std::string, std::string>> provenance;
  std::string time_unit;                 // follow-up (RunConfig's)
  std::vector<std::string> visit_order;
};

report::ReportData build_report_data(const ReportInputs& inputs);

}  // namespace ifnsig::run
