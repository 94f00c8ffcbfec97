// Owns: turning a finished run (sheet, per-sample records, normalized matrix, scores) into the report's
//       data model (report::ReportData), the files rendered from it, and rendering them again from the model
//       a finished run kept in OUTDIR (`ifnsig report`).
// Thread-safety: build_report_data() is a pure function; rewrite_report() writes only into OUTDIR.
// Invariant: heatmap columns follow ReportData::order (samples by the first panel's score, ascending);
//            every PanelScores lists each sample once, in sheet order.
#pragma once
#include <filesystem>
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
  const matrix::GeneMatrix* normalized = nullptr;      // columns in sheet order
  const score::ScoredPanels* scores = nullptr;
  std::string control;
  std::vector<std::pair<std::string, std::string>> provenance;
  std::string time_unit;                 // follow-up (RunConfig's)
  std::vector<std::string> visit_order;
  const score::ScoreReference* reference = nullptr;  // --reference: its controls' scores place each sample
  std::string reference_path;
};

report::ReportData build_report_data(const ReportInputs& inputs);

// run.json's key holding the MD5 of the report_data.json written with it: a report data file whose MD5
// differs is not that run's (OUTDIR holds parts of two runs, or the file was edited).
inline constexpr const char* kReportDataMd5Key = "report_data_md5";

// Writes the files rendered from the report's data into OUTDIR: report.html, samples/<id>.html, the MultiQC
// table and, with `trajectories`, trajectories.tsv (the sheet follows subjects over time); returns them.
std::vector<std::filesystem::path> write_report_outputs(const report::ReportData& data,
                                                        const std::filesystem::path& outdir, bool trajectories);
// Renders every file write_report_outputs() wrote (trajectories.tsv when run.json lists it) again, or only
// samples/<sample>.html when `sample` is not empty, from OUTDIR/report_data.json, checked against
// OUTDIR/run.json; returns the files written. Byte-identical to what the run wrote with the same ifnsig.
// InputError naming the file and the fix for a missing OUTDIR or run.json, a missing, stale or other-version
// report_data.json, an unknown sample.
std::vector<std::filesystem::path> rewrite_report(const std::filesystem::path& outdir, const std::string& sample);

}  // namespace ifnsig::run
