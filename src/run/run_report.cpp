#include "ifnsig/run/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/report/follow_up.hpp"
#include "ifnsig/report/html_report.hpp"
#include "ifnsig/report/multiqc.hpp"
#include "ifnsig/report/sample_page.hpp"
#include "ifnsig/score/ifn_response.hpp"

namespace ifnsig::run {
using report::HeatmapRow;
using report::kLowAssignedFraction;
using report::PanelScores;
using report::QcRow;
using report::ReportData;

namespace {

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * fraction);
  return buffer;
}

QcRow qc_row(const RunSample& sample, const SampleRecord& record, bool counted) {
  QcRow row;
  row.sample = sample.id;
  row.group = sample.group;
  row.batch = sample.batch;
  row.extra = sample.extra;
  row.paired = record.layout.paired;
  row.paired_source = record.layout.paired_from_sheet ? "sheet" : "detected";
  row.strandedness = count::strandedness_name(record.strandedness);
  row.strand_source = record.layout.strand == count::Strandedness::kAuto ? "detected" : "sheet";
  row.detected_strandedness = record.detected_strandedness;
  row.status = record.status;
  row.targeted = record.targeted;
  row.counts_from = record.counts_from;
  row.counted = counted;
  return row;
}

void add_qc_warnings(const std::vector<SampleRecord>& records, ReportData& data) {
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    const QcRow& row = data.qc[i];
    if (row.assigned_fraction() < kLowAssignedFraction) {
      data.warnings.push_back("sample " + row.sample + ": only " + percent(row.assigned_fraction()) +
                              " of reads assigned to genes (below " + percent(kLowAssignedFraction) + ")");
    }
    // Not checked (empty) when the sample was counted for chosen genes only.
    if (row.strand_source == "sheet" && !row.detected_strandedness.empty() &&
        row.detected_strandedness != row.strandedness) {
      const double same = records[i].same_strand_fraction;
      data.warnings.push_back("sample " + row.sample + ": the sheet says " + row.strandedness + ", the reads look " +
                              row.detected_strandedness +
                              (same >= 0 ? " (" + percent(same) + " on the gene's strand)" : std::string()));
    }
  }
}

std::vector<std::string> ordered_groups(const RunSheet& sheet, const std::string& control) {
  std::vector<std::string> groups;
  for (const auto& s : sheet.samples) {
    if (std::find(groups.begin(), groups.end(), s.group) == groups.end()) groups.push_back(s.group);
  }
  std::stable_partition(groups.begin(), groups.end(), [&](const std::string& g) { return g == control; });
  return groups;
}

void add_panels(const score::ScoredPanels& scores, ReportData& data) {
  for (const auto& row : scores.run.rows) {
    if (data.panels.empty() || data.panels.back().panel != row.panel || data.panels.back().method != row.method) {
      PanelScores panel;
      panel.panel = row.panel;
      panel.method = row.method;
      panel.threshold = row.threshold.value;
      panel.threshold_rule = row.threshold.rule;
      panel.control_sd = row.threshold.control_sd;
      panel.n_genes_used = row.n_genes_used;
      for (const auto& match : scores.matches) {
        if (match.panel != row.panel) continue;
        panel.missing = match.missing;
        panel.n_members = match.n_members;
        panel.response = match.response;
      }
      data.panels.push_back(std::move(panel));
    }
    data.panels.back().points.push_back({row.sample, row.score, row.call});
  }
  for (const auto& match : scores.matches) {
    if (!match.aliased.empty()) {
      std::string pairs;
      for (const auto& m : match.aliased) pairs += (pairs.empty() ? "" : ", ") + m.symbol + " as " + m.matrix_name;
      data.warnings.push_back("panel " + match.panel + ": " + std::to_string(match.aliased.size()) + " of " +
                              std::to_string(match.n_members) + " genes found under another name: " + pairs);
    }
    if (match.missing.empty()) continue;
    data.warnings.push_back("panel " + match.panel + ": " + std::to_string(match.missing.size()) + " of " +
                            std::to_string(match.n_members) +
                            " genes not found in the counts: " + io::join(match.missing, ", "));
  }
  for (const auto& panel : data.panels) {
    const std::size_t found = panel.n_members - panel.missing.size();
    if (static_cast<std::size_t>(panel.n_genes_used) < found) {
      data.warnings.push_back("panel " + panel.panel + " (" + panel.method + "): " +
                              std::to_string(found - static_cast<std::size_t>(panel.n_genes_used)) +
                              " gene(s) left out of the score: no usable control statistic (median 0 or SD 0)");
    }
    if (std::isnan(panel.threshold)) {
      data.warnings.push_back("panel " + panel.panel + " (" + panel.method + "): no threshold, calls are NA (" +
                              panel.threshold_rule + ")");
    }
  }
}

void add_heatmap(const matrix::GeneMatrix& matrix, const score::ScoreRun& run, ReportData& data) {
  for (std::size_t i = 0; i < data.qc.size(); ++i) data.order.push_back(static_cast<int>(i));
  if (!data.panels.empty()) {
    std::vector<double> key(data.qc.size(), 0.0);
    for (const auto& point : data.panels.front().points) key[static_cast<std::size_t>(point.sample)] = point.score;
    std::stable_sort(data.order.begin(), data.order.end(),
                     [&](int a, int b) { return key[static_cast<std::size_t>(a)] < key[static_cast<std::size_t>(b)]; });
  }
  for (const auto& panel : run.panels) {
    for (std::size_t g = 0; g < panel.rows.size(); ++g) {
      const auto row = static_cast<std::size_t>(panel.rows[g]);
      const auto& stats = run.stats[row];
      HeatmapRow out{panel.name, panel.symbols[g], {}};
      for (int sample : data.order) {
        const double x = matrix.values(static_cast<Eigen::Index>(row), sample);
        out.z.push_back(stats.known && stats.sd > 0 ? (x - stats.mean) / stats.sd
                                                    : std::numeric_limits<double>::quiet_NaN());
      }
      data.heatmap.push_back(std::move(out));
    }
  }
}

// Each panel gene's fold change against the control (or reference) median, per sample, for the sample pages.
void add_fold_changes(const matrix::GeneMatrix& matrix, const score::ScoreRun& run, ReportData& data) {
  for (auto& panel : data.panels) {
    for (const auto& matched : run.panels) {
      if (matched.name != panel.panel) continue;
      panel.genes = matched.symbols;
      panel.fold_change.assign(data.qc.size(), std::vector<double>(matched.rows.size()));
      for (std::size_t j = 0; j < data.qc.size(); ++j) {
        for (std::size_t g = 0; g < matched.rows.size(); ++g) {
          const auto row = static_cast<std::size_t>(matched.rows[g]);
          const auto& stats = run.stats[row];
          const double x = matrix.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j));
          panel.fold_change[j][g] = stats.known && stats.median > 0 ? x / stats.median
                                                                     : std::numeric_limits<double>::quiet_NaN();
        }
      }
      break;
    }
  }
}

// The first panel (and its first method) of each response; the rule itself is score::dominant_response.
void add_response(ReportData& data) {
  auto& r = data.response;
  for (std::size_t k = 0; k < data.panels.size(); ++k) {
    if (data.panels[k].response == "type I" && r.type_i < 0) r.type_i = static_cast<int>(k);
    if (data.panels[k].response == "type II" && r.type_ii < 0) r.type_ii = static_cast<int>(k);
  }
  if (!r.present()) return;
  r.dominance_ratio = score::kDominanceRatio;
  const auto response_score = [](const PanelScores& panel, const report::ScorePoint& point) {
    score::ResponseScore s;
    s.score = point.score;
    s.threshold.value = panel.threshold;
    s.threshold.rule = panel.threshold_rule;
    s.threshold.control_sd = panel.control_sd;
    return s;
  };
  const PanelScores& a = data.panels[static_cast<std::size_t>(r.type_i)];
  const PanelScores& b = data.panels[static_cast<std::size_t>(r.type_ii)];
  const std::size_t n = data.qc.size();
  r.call.assign(n, "NA");
  r.excess_i.assign(n, std::numeric_limits<double>::quiet_NaN());
  r.excess_ii = r.excess_i;
  for (std::size_t i = 0; i < n && i < a.points.size() && i < b.points.size(); ++i) {
    const auto d = score::dominant_response(response_score(a, a.points[i]), response_score(b, b.points[i]));
    r.call[i] = d.call;
    r.excess_i[i] = d.excess_i;
    r.excess_ii[i] = d.excess_ii;
  }
  const bool both_high = std::find(r.call.begin(), r.call.end(), "I+II") != r.call.end();
  if (both_high && (std::isnan(a.control_sd) || std::isnan(b.control_sd))) {
    data.warnings.push_back("type I vs type II: no control score SD (a reference written without its control scores), "
                            "so samples high on both panels are called I+II without ranking them");
  }
}

// The distribution each sample is placed in on its page: the frozen reference's controls (--reference), else
// the run's control group.
void add_reference_scores(const ReportInputs& in, ReportData& data) {
  if (in.reference != nullptr) {
    bool kept = false;
    for (auto& panel : data.panels) {
      for (const auto& t : in.reference->thresholds) {
        if (t.panel == panel.panel && t.method == panel.method) panel.reference_scores = t.control_scores;
      }
      kept = kept || !panel.reference_scores.empty();
    }
    data.reference_samples =
        kept ? "the " + std::to_string(in.reference->control_samples.size()) + " control samples (" +
                   in.reference->control_group + ") of the frozen reference " + in.reference_path
             : "the frozen reference " + in.reference_path +
                   ", which keeps no control scores (written before ifnsig kept them: re-create it to show percentiles)";
    return;
  }
  if (data.control_group.empty()) {
    data.reference_samples = "none (no control samples in this run)";
    return;
  }
  data.reference_samples = "the samples of group " + data.control_group;
  for (auto& panel : data.panels) {
    for (const auto& p : panel.points) {
      if (data.qc[static_cast<std::size_t>(p.sample)].group == data.control_group) panel.reference_scores.push_back(p.score);
    }
  }
}

}  // namespace

ReportData build_report_data(const ReportInputs& in) {
  ReportData data;
  data.provenance = in.provenance;
  data.extra_columns = in.sheet->extra_columns;
  data.show_batch = in.sheet->has_batch;
  data.groups = ordered_groups(*in.sheet, in.control);
  for (std::size_t i = 0; i < in.sheet->samples.size(); ++i) {
    data.qc.push_back(qc_row(in.sheet->samples[i], (*in.records)[i], (*in.counted)[i]));
  }
  add_qc_warnings(*in.records, data);
  add_panels(*in.scores, data);
  add_heatmap(*in.normalized, in.scores->run, data);
  add_response(data);
  add_fold_changes(*in.normalized, in.scores->run, data);
  const bool has_controls = std::any_of(data.qc.begin(), data.qc.end(), [&](const QcRow& row) { return row.group == in.control; });
  if (has_controls) data.control_group = in.control;
  add_reference_scores(in, data);
  std::vector<std::string> subject, time;
  for (const auto& sample : in.sheet->samples) {
    subject.push_back(sample.subject);
    time.push_back(sample.time);
  }
  data.follow_up = report::build_follow_up(data, subject, time, in.time_unit, in.visit_order);
  return data;
}

std::vector<std::filesystem::path> write_report_outputs(const ReportData& data, const std::filesystem::path& outdir,
                                                        bool trajectories) {
  std::vector<std::filesystem::path> written{outdir / "report.html"};
  report::write_report_html(data, written.back());
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    written.push_back(report::write_sample_page(data, i, outdir / "samples"));
  }
  if (trajectories) {
    written.push_back(outdir / report::kTrajectoriesFile);
    AtomicFile file(written.back());
    report::write_trajectories(file.stream(), data);
    file.commit();
  }
  written.push_back(outdir / report::kMultiqcFile);
  report::write_multiqc_file(data, written.back());
  return written;
}

std::vector<std::filesystem::path> rewrite_report(const std::filesystem::path& outdir, const std::string& sample) {
  const std::string rerun = "rerun `ifnsig run` with the same arguments and -o " + outdir.string() +
                            ": it reuses the counted samples and writes the report's data again";
  if (!std::filesystem::is_directory(outdir)) {
    throw InputError(outdir.string(), "", "no such directory", "give the output directory (-o) of a finished `ifnsig run`");
  }
  const auto run_json = outdir / "run.json";
  if (!std::filesystem::exists(run_json)) {
    throw InputError(run_json.string(), "", "not found: the directory holds no finished run (run.json is written last)",
                     "let `ifnsig run ... -o " + outdir.string() + "` finish first");
  }
  const auto data_path = outdir / report::kReportDataFile;
  if (!std::filesystem::exists(data_path)) {
    throw InputError(data_path.string(), "", "not found: the run was made by an ifnsig that did not keep the report's data",
                     rerun);
  }
  const nlohmann::json run = read_json_file(run_json.string());
  const std::string recorded = run.is_object() && run.contains(kReportDataMd5Key) && run[kReportDataMd5Key].is_string()
                                   ? run[kReportDataMd5Key].get<std::string>()
                                   : std::string();
  if (const std::string md5 = md5_of_file(data_path); md5 != recorded) {
    throw InputError(data_path.string(), "",
                     "stale: not the report data of the run recorded in " + run_json.string() + " (its MD5 is " + md5 +
                         ", run.json records " + (recorded.empty() ? std::string("none") : recorded) + ")",
                     rerun);
  }
  const ReportData data = report::read_report_data(data_path);
  const auto samples_dir = outdir / "samples";
  if (sample.empty()) {
    // trajectories.tsv when run.json lists it among the run's outputs (the sheet followed subjects over time).
    bool trajectories = false;
    if (run.contains("outputs") && run["outputs"].is_array()) {
      for (const auto& output : run["outputs"]) trajectories = trajectories || output == report::kTrajectoriesFile;
    }
    return write_report_outputs(data, outdir, trajectories);
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    if (data.qc[i].sample == sample) return {report::write_sample_page(data, i, samples_dir)};
    ids.push_back(data.qc[i].sample);
  }
  constexpr std::size_t kListed = 10;
  const std::size_t more = ids.size() > kListed ? ids.size() - kListed : 0;
  ids.resize(ids.size() - more);
  throw InputError(data_path.string(), "",
                   "no sample " + quote_field(sample) + " in this run; its samples: " + io::join(ids, ", ") +
                       (more > 0 ? " and " + std::to_string(more) + " more" : std::string()),
                   "give one of the run's sample ids (the sample sheet's first column)");
}

}  // namespace ifnsig::run
