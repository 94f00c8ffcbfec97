// Owns: the report's data model: everything the HTML report and the MultiQC custom content show of a
//       finished run (provenance, per-sample QC, scores by panel, panel-gene z-scores, the type I vs type II
//       comparison, the follow-up of subjects over time, warnings).
//       run::build_report_data fills it from a run's results; the renderers only read it. Kept beside a
//       run's outputs as report_data.json (versioned JSON), from which `ifnsig report` renders the same pages.
// Thread-safety: plain value types; the file functions touch only the given file.
// Invariant: heatmap columns follow ReportData::order; every PanelScores lists each sample once, in sheet
//            order (run::build_report_data keeps both).
#pragma once
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "ifnsig/count/read_status.hpp"

namespace ifnsig::report {

// An assigned fraction below this is flagged in the report.
inline constexpr double kLowAssignedFraction = 0.5;

struct QcRow {
  std::string sample;
  std::string group;
  std::string batch;
  std::vector<std::string> extra;
  bool paired = false;
  std::string paired_source;  // "sheet" or "detected"
  std::string strandedness;   // as used
  std::string strand_source;  // "sheet" or "detected"
  std::string detected_strandedness;
  count::StatusCounts status;
  bool targeted = false;  // counted for chosen genes only (run --targeted): no status counts, they are not known
  std::string counts_from;  // not counted: counts read from this file (run --counts/--quant-dir); no status,
                            // layout or strandedness is known
  bool counted = false;  // false: reused from an earlier run
  double assigned_fraction() const;  // NaN when targeted or not counted
  bool status_known() const { return !targeted && counts_from.empty(); }
};

struct ScorePoint {
  int sample = 0;  // index into ReportData::qc
  double score = 0;
  std::string call;
};

struct PanelScores {
  std::string panel;
  std::string method;
  double threshold = 0;  // NaN when unknown
  std::string threshold_rule;
  int n_genes_used = 0;
  std::size_t n_members = 0;
  std::vector<std::string> missing;
  std::vector<ScorePoint> points;
  std::string response;  // "type I", "type II" or empty (score::GeneSet::response)
  double control_sd = std::numeric_limits<double>::quiet_NaN();  // SD of the controls' scores
  // Per-sample pages: the panel genes found (panel symbols) and each sample's fold change of each against
  // the control (or reference) median, [sample][gene] in sheet order; NaN where the median is 0 or unknown.
  std::vector<std::string> genes;
  std::vector<std::vector<double>> fold_change;
  // The reference distribution a sample is placed in (percentile, strip): the control group's scores in the
  // run (sheet order), or the control scores a frozen reference keeps for this panel and method; empty when
  // there are neither (a reference made before it kept them).
  std::vector<double> reference_scores;
};

struct HeatmapRow {
  std::string panel;
  std::string gene;  // panel symbol
  std::vector<double> z;  // per sample, in ReportData::order; NaN when the control SD is 0 or unknown
};

// The type I vs type II comparison (score::dominant_response) of the first type I and the first type II
// panel; `type_i`/`type_ii` are indices into ReportData::panels, -1 when the run has no such pair.
struct ResponseComparison {
  int type_i = -1;
  int type_ii = -1;
  std::vector<std::string> call;  // per sample, sheet order: "I", "II", "I+II", "none", "NA"
  std::vector<double> excess_i;   // (score - threshold) / controls' SD, NaN when unknown
  std::vector<double> excess_ii;
  double dominance_ratio = 0;     // score::kDominanceRatio, for the report's text
  bool present() const { return type_i >= 0 && type_ii >= 0; }
};

// Subjects sampled over time (the sheet's `subject` and `time` columns; report/follow_up.hpp builds it).
struct TrajectoryPoint {
  int sample = 0;   // index into ReportData::qc
  double x = 0;     // the time, or the visit's position among FollowUp::visits
  double score = 0;
  std::string call;
};

struct Trajectory {
  std::string subject;
  std::size_t panel = 0;  // index into ReportData::panels
  std::vector<TrajectoryPoint> points;  // in time order; the first is the baseline
};

struct FollowUp {
  bool numeric_time = true;    // times are numbers (in time_unit); else ordered visit labels
  std::string time_unit;       // e.g. "days"
  std::vector<std::string> visits;      // the labels in order, when not numeric
  std::vector<std::string> time;        // per sample (sheet order), as in the sheet; empty when none
  std::vector<Trajectory> trajectories;  // per panel, every subject with at least two samples
  std::vector<std::string> single_sample_subjects;  // listed, not drawn
  bool present() const { return !trajectories.empty() || !single_sample_subjects.empty(); }
};

struct ReportData {
  std::string title = "ifnsig interferon signature report";
  std::vector<std::pair<std::string, std::string>> provenance;
  std::vector<std::string> extra_columns;
  bool show_batch = false;          // the sheet has a batch column
  std::vector<std::string> groups;  // distinct groups, controls first
  std::vector<QcRow> qc;            // sheet order
  std::vector<PanelScores> panels;  // one per panel and method
  std::vector<int> order;           // sample indices by the first panel's score
  std::vector<HeatmapRow> heatmap;
  ResponseComparison response;
  FollowUp follow_up;
  std::string control_group;  // the run's control group when it has samples in the run (empty: none)
  std::string reference_samples;  // what PanelScores::reference_scores are, in words, for the sample pages
  bool sample_pages = false;  // OUTDIR/samples/<id>.html are written: the sample table links to them
  std::vector<std::string> warnings;
};

// report_data.json: the file `ifnsig run` writes beside report.html. Its "report_data_version" changes whenever
// the model does; a file of another version is refused (rerunning `ifnsig run` rewrites it).
inline constexpr const char* kReportDataFile = "report_data.json";
inline constexpr int kReportDataVersion = 1;

// Written atomically, on one line; numbers as the shortest text that reads back to the same double, NaN as
// null, infinities as "inf" and "-inf", so that read_report_data returns an equal model.
void write_report_data(const ReportData& data, const std::filesystem::path& path);
// InputError naming the file and key when it is not such a file, or of another version.
ReportData read_report_data(const std::filesystem::path& path);

}  // namespace ifnsig::report
