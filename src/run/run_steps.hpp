// Owns: the state `ifnsig run` carries from one step to the next (checked sheet, layouts, per-sample
//       records, timings) and the steps themselves: prepare (checks and plan), count, gather, provenance.
// Thread-safety: the steps run one after another on the calling thread (counting starts its own threads).
// Invariant: after prepare_run(), every sample has a layout and either a reusable record or a reason to count
//            (or, with counts given, a record naming the file its counts came from).
#pragma once
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ifnsig/norm/frozen_reference.hpp"
#include "ifnsig/norm/normalize.hpp"
#include "ifnsig/run/run_pipeline.hpp"
#include "ifnsig/run/run_sheet.hpp"
#include "ifnsig/run/sample_counts.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/score_reference.hpp"

namespace ifnsig::run {

// --reference, read once before any work: its normalization and its "score" object.
struct RunReference {
  norm::FrozenReference normalization;
  score::ScoreReference score;
};

struct RunState {
  const RunConfig* config = nullptr;
  RunSheet sheet;
  std::string sheet_md5;
  std::vector<SampleLayout> layouts;                 // sheet order
  CountSettings settings;
  std::vector<score::GeneSet> panels;                // resolved --panel (or the default) panels
  std::optional<RunReference> reference;
  std::vector<std::optional<SampleRecord>> records;  // sheet order; filled for reused and counted samples
  std::vector<std::string> count_reasons;            // sheet order; empty when the record is reused
  std::vector<bool> counted;                         // counted by this invocation
  // run --counts / --quant-dir: the cohort's counts (the sheet's samples, in sheet order), read and checked
  // before anything is created, and the gene names panels are matched by (gene_id -> gene_name).
  std::optional<norm::ImportedCounts> imported;
  std::unordered_map<std::string, std::string> gene_names;
  // The annotation, read by a second thread (when the budget has two) while the checksums are computed and
  // the samples planned; taken by count_planned, left unread when nothing is to be counted.
  std::future<annotation::GeneModel> model;
  std::vector<std::pair<std::string, double>> timings_seconds;
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
  std::chrono::steady_clock::time_point clock_start = std::chrono::steady_clock::now();
};

// Checks the options (panels, methods, the reference), the sheet and the alignment files (one error listing
// every problem), decides each sample's layout, and plans which samples to count. Creates nothing.
RunState prepare_run(const RunConfig& config);
// Checks the panels' genes against the annotation, creates OUTDIR/samples and counts the planned samples (or
// only config.only_sample), several at once within the thread budget.
void count_planned(RunState& state);
// Merges, normalizes, scores and writes every output; returns the report path.
std::filesystem::path gather_run(RunState& state);
void write_run_json(const RunState& state, const std::vector<std::string>& panel_names,
                    const std::filesystem::path& out);

// Seconds since `start`, for the timings.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace ifnsig::run
