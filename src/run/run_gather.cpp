// The gather step of `ifnsig run`: merged counts, normalization, scores, calls, report and MultiQC content.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/matrix/matrix_writer.hpp"
#include "ifnsig/norm/normalize.hpp"
#include "ifnsig/run/count_merge.hpp"
#include "ifnsig/run/gene_selection.hpp"
#include "ifnsig/run/run_report.hpp"
#include "ifnsig/run/run_scoring.hpp"
#include "ifnsig/score/panel_scores.hpp"
#include "run_steps.hpp"

namespace ifnsig::run {
namespace {

// The command recorded inside reference.json: fixed, so that `ifnsig run` and the workflow write the same file.
constexpr const char* kReferenceCommand = "ifnsig run";

// Gene id -> gene_name, by which panel genes are matched: the counted samples' (the first sample's
// .genes.tsv), or those of the counts given.
std::unordered_map<std::string, std::string> gene_names(const RunState& state) {
  if (state.imported) return state.gene_names;
  return score::read_gene_map(sample_paths(state.config->outdir, state.sheet.samples.front().id).genes.string());
}

matrix::CountTable merge_counts(RunState& state, const std::filesystem::path& out) {
  const auto& c = *state.config;
  if (state.imported) {  // counts given: counts.tsv holds them (estimated counts before any rounding)
    write_merged_counts(state.imported->table, out / "counts.tsv");
    return std::move(state.imported->table);
  }
  std::vector<std::filesystem::path> tables, summaries;
  std::vector<std::string> ids;
  for (const auto& sample : state.sheet.samples) {
    const SamplePaths paths = sample_paths(c.outdir, sample.id);
    tables.push_back(paths.counts);
    summaries.push_back(paths.summary);
    ids.push_back(sample.id);
  }
  matrix::CountTable counts = merge_sample_counts(tables, ids);
  write_merged_counts(counts, out / "counts.tsv");
  write_merged_summary(summaries, ids, out / "counts.tsv.summary");
  return counts;
}

// DESeq2's normalized counts, fitted on the cohort, or the frozen reference's (--reference).
norm::Normalized normalize(const RunState& state, matrix::CountTable counts, const std::filesystem::path& out) {
  norm::NormalizeInput input;
  input.counts = std::move(counts);
  if (state.imported) {
    input.avg_tx_length = state.imported->avg_tx_length;
    input.inputs_note = state.imported->note;
  }
  norm::NormalizeRules rules;
  if (state.reference) {
    input.reference = &state.reference->normalization;
    input.reference_source = state.config->reference;
    input.targeted = state.config->targeted;
  } else {
    rules.method = norm::FactorMethod::kRatio;
    rules.transform_kind = norm::TransformKind::kCounts;
    rules.normalizer_genes = state.config->normalizer_genes;
    input.freeze = true;
    const auto& c = *state.config;
    input.not_normalizers = builtin_panel_genes(input.counts.counts.gene_ids, gene_names(state), c.panel_dir);
  }
  norm::Normalized normalized =
      norm::normalize_counts(std::move(input), rules, Execution::on_cores(state.config->threads), kReferenceCommand);
  AtomicFile file(out / "normalized.tsv");
  matrix::write_matrix_tsv(file.stream(), normalized.values);
  file.commit();
  if (state.reference) {
    std::filesystem::copy_file(state.config->reference, out / "reference.json",
                               std::filesystem::copy_options::overwrite_existing);
  } else {
    norm::write_reference(normalized.reference, (out / "reference.json").string());
  }
  return normalized;
}

score::ScoredPanels score(const RunState& state, const matrix::GeneMatrix& matrix,
                          const score::ScoreReference* reference) {
  const auto& c = *state.config;
  score::ScoreSetup setup;
  setup.source = (c.outdir / "normalized.tsv").string();
  setup.panels = state.panels;
  setup.aliases = c.gene_aliases;
  for (const auto& m : c.methods) setup.methods.push_back(score::parse_method(m));
  setup.gene_map = gene_names(state);
  for (std::size_t j = 0; j < state.sheet.samples.size(); ++j) {
    if (state.sheet.samples[j].group == c.control) setup.control_columns.push_back(static_cast<int>(j));
  }
  setup.control_group = "group=" + c.control;
  setup.reference = reference;
  return score::score_panels(matrix, setup, Execution::on_cores(c.threads));
}

void write_score_tables(const RunState& state, const std::filesystem::path& out, const matrix::GeneMatrix& matrix,
                        const score::ScoredPanels& scores) {
  AtomicFile scores_file(out / "scores.tsv"), calls(out / "calls.tsv"), signature(out / "signature_genes.tsv"),
      panel_genes(out / "panel_genes.tsv");
  score::write_scores(scores_file.stream(), matrix, scores.run);
  score::write_panel_genes(panel_genes.stream(), matrix, scores.run);
  std::vector<std::string> groups;
  for (const auto& sample : state.sheet.samples) groups.push_back(sample.group);
  write_calls(calls.stream(), matrix, groups, scores.run);
  score::write_signature(signature.stream(), matrix, scores.run);
  for (AtomicFile* file : {&scores_file, &calls, &signature, &panel_genes}) file->commit();
  if (state.config->reference.empty()) {
    score::save_score_reference((out / "reference.json").string(), scores.run.reference_out, kReferenceCommand);
  }
}

std::string utc_time(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buffer;
}

std::vector<std::pair<std::string, std::string>> provenance(const RunState& state, const score::ScoredPanels& scores) {
  const auto& c = *state.config;
  const auto n_counted = static_cast<std::size_t>(std::count(state.counted.begin(), state.counted.end(), true));
  std::string panels;
  for (const auto& m : scores.matches) panels += (panels.empty() ? "" : ", ") + m.panel;
  std::string annotation = c.annotation + " (md5 " + state.settings.annotation_md5 + ")";
  std::string samples = std::to_string(state.sheet.samples.size()) + " (" + std::to_string(n_counted) +
                        " counted by this run, " + std::to_string(state.sheet.samples.size() - n_counted) + " reused)";
  std::string counting = std::string("featureCounts rules, gene level (exons by gene_id), read pairs counted as fragments") +
                         (c.targeted ? "; the reference's normalizer and panel genes only, read through the index" : "");
  if (state.imported) {  // nothing counted: where the counts came from and what is not known of them
    if (c.annotation.empty()) annotation = "none (gene names from the counts)";
    samples = std::to_string(state.sheet.samples.size()) + " (none counted: counts given)";
    counting = "none: counts read from " + state.imported->note +
               "; read assignment categories, paired-endness and strandedness are not known";
  }
  return {{"ifnsig", version_banner()},
          {"started", utc_time(state.started)},
          {"command", c.command_line},
          {"sample sheet", c.sheet + " (md5 " + state.sheet_md5 + ")"},
          {"annotation", annotation},
          {"samples", samples},
          {"counting", counting},
          {"normalization", c.reference.empty() ? "DESeq2 median-of-ratios size factors; normalized counts"
                            : c.targeted        ? "frozen reference " + c.reference + ", size factors over its normalizer genes"
                                                : "frozen reference " + c.reference},
          {"scores against", c.reference.empty() ? "control group: group = " + c.control : "reference " + c.reference},
          {"panels", panels},
          {"threads", std::to_string(c.threads)}};
}

// The gather step writes into a staging directory inside OUTDIR and moves its outputs into place only when
// all of them are written, run.json last: a failure (a full disk, a kill) leaves the previous run's outputs
// or none, never a mixture with half of this run's. The staging directory of a failed run is removed; that
// of a killed one by the next gather on the host (remove_stale_temporaries), which runs even when no sample
// needed counting.
class StagedOutputs {
 public:
  explicit StagedOutputs(const std::filesystem::path& outdir)
      : outdir_(outdir), stage_(outdir / (".ifnsig-gather" + temporary_suffix())) {
    remove_stale_temporaries(outdir_);
    std::error_code ec;
    std::filesystem::remove_all(stage_, ec);  // a dead process's, whose pid this process now has
    if (!std::filesystem::create_directory(stage_, ec) || ec) {
      throw InputError(stage_.string(), "", "cannot create the staging directory: " + ec.message(),
                       "check that the output directory is writable");
    }
  }
  StagedOutputs(const StagedOutputs&) = delete;
  StagedOutputs& operator=(const StagedOutputs&) = delete;
  ~StagedOutputs() {
    std::error_code ignored;
    std::filesystem::remove_all(stage_, ignored);
  }
  const std::filesystem::path& dir() const { return stage_; }
  // Moves every staged file into OUTDIR (those of a staged directory, e.g. samples/, into OUTDIR's directory
  // of that name), in name order with run.json last (it vouches for the others).
  void publish() const {
    std::vector<std::filesystem::path> files;  // relative to the stage
    for (const auto& entry : std::filesystem::recursive_directory_iterator(stage_)) {
      if (entry.is_regular_file()) files.push_back(entry.path().lexically_relative(stage_));
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a == "run.json", a) < std::make_pair(b == "run.json", b);
    });
    for (const auto& file : files) {
      std::error_code ec;
      std::filesystem::create_directories((outdir_ / file).parent_path(), ec);
      if (!ec) std::filesystem::rename(stage_ / file, outdir_ / file, ec);
      if (ec) throw InputError((outdir_ / file).string(), "", "cannot move the output into place: " + ec.message());
    }
  }

 private:
  std::filesystem::path outdir_;
  std::filesystem::path stage_;
};

// The step a grown cohort redoes whole (the counts of its earlier samples are reused): merging the counts,
// normalizing (the size factors depend on every sample) and scoring. Its time goes to run.json and the log.
void log_cohort_step(RunState& state, double seconds) {
  const auto n_counted = static_cast<std::size_t>(std::count(state.counted.begin(), state.counted.end(), true));
  state.timings_seconds.emplace_back("cohort", seconds);
  char rounded[32];
  std::snprintf(rounded, sizeof rounded, "%.2f s", seconds);
  log_info("run: merged, normalized and scored the cohort of " + std::to_string(state.sheet.samples.size()) +
           " samples (" + std::to_string(n_counted) + " counted by this run) in " + rounded);
}

}  // namespace

std::filesystem::path gather_run(RunState& state) {
  const auto& c = *state.config;
  const StagedOutputs staged(c.outdir);
  const auto& out = staged.dir();
  const auto cohort_start = std::chrono::steady_clock::now();
  auto start = cohort_start;
  const ThreadScope threads(c.threads);
  const matrix::GeneMatrix matrix = normalize(state, merge_counts(state, out), out).values;
  state.timings_seconds.emplace_back("merge_normalize", seconds_since(start));
  start = std::chrono::steady_clock::now();
  const score::ScoredPanels scores = score(state, matrix, state.reference ? &state.reference->score : nullptr);
  write_score_tables(state, out, matrix, scores);
  state.timings_seconds.emplace_back("score", seconds_since(start));
  log_cohort_step(state, seconds_since(cohort_start));
  start = std::chrono::steady_clock::now();
  std::vector<SampleRecord> records;
  for (const auto& record : state.records) records.push_back(*record);
  const ReportInputs inputs{&state.sheet,
                            &records,
                            &state.counted,
                            &matrix,
                            &scores,
                            c.control,
                            provenance(state, scores),
                            c.time_unit,
                            c.visit_order,
                            state.reference ? &state.reference->score : nullptr,
                            c.reference};
  report::ReportData data = build_report_data(inputs);
  data.sample_pages = true;
  report::write_report_data(data, out / report::kReportDataFile);
  for (const auto& warning : data.warnings) log_warning(warning);
  write_report_outputs(data, out, state.sheet.has_follow_up);
  state.timings_seconds.emplace_back("report", seconds_since(start));
  std::vector<std::string> panel_names;
  for (const auto& m : scores.matches) panel_names.push_back(m.panel);
  write_run_json(state, panel_names, out);
  staged.publish();
  return c.outdir / "report.html";
}

}  // namespace ifnsig::run
