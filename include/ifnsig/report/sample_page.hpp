// Owns: the one-page report of one sample (issue 21 item 2): self-contained HTML (inline CSS and SVG, no
//       scripts), printable on one A4 or Letter page: the sample's metadata, each panel's score with its
//       threshold, call and percentile among the reference samples (the run's controls or those a frozen
//       reference keeps; with a strip of their scores), the
//       panel genes' fold changes against the reference as bars, the dominant response, the QC flags that
//       apply, the provenance and the statement that this is a research result, not a diagnostic test.
// Thread-safety: pure functions.
// Invariant: reads only ReportData (as run::build_report_data fills it); stable ids: #sample-meta,
//            #sample-scores, #sample-genes, #sample-qc, #sample-provenance, #research-use.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>

#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report {

// At most this many genes per panel are drawn as bars (the largest fold changes either way); the page says so.
inline constexpr std::size_t kSamplePageMaxBars = 16;

// Percentage of the panel's reference scores (PanelScores::reference_scores) at or below `score`; NaN without.
double reference_percentile(const PanelScores& panel, double score);
// QC flags that apply to the sample (low assigned fraction, sheet strandedness disagreeing with the reads).
std::vector<std::string> sample_qc_flags(const QcRow& row);

// `sample` indexes ReportData::qc.
std::string render_sample_page(const ReportData& data, std::size_t sample);
// Writes `dir`/<id>.html for one sample (creating `dir`), atomically; returns its path.
std::filesystem::path write_sample_page(const ReportData& data, std::size_t sample, const std::filesystem::path& dir);
}  // namespace ifnsig::report
