// Owns: running a whole simulation: reading the annotation, matching the panel, drawing the cohort truth,
//       writing one coordinate-sorted, indexed BAM per sample, the sample sheet and the truth tables.
// Thread-safety: call from one thread; it uses options.threads internally (TBB for records, HTSlib's pool
//                for BGZF compression) and leaves the process's thread settings as they were.
// Invariant: outputs are byte-identical for a seed at any thread count; each file appears complete or
//            not at all.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ifnsig/sim/cohort_truth.hpp"
#include "ifnsig/sim/sample_plan.hpp"
#include "ifnsig/sim/sim_options.hpp"

namespace ifnsig::sim {

struct PanelMatch {
  std::vector<std::string> symbols;   // panel symbols found
  std::vector<std::uint32_t> genes;   // their genes (GeneModel order)
  std::vector<std::string> missing;   // panel symbols not in the annotation
};

struct SimulationResult {
  PanelMatch panel;
  PanelMatch second_panel;  // empty unless options.n_second_high > 0
  std::vector<PlanCounts> samples;
  double seconds = 0;
};

SimulationResult simulate_cohort(const SimulateOptions& options);

// Writes one sample's BAM (and .bai) at `path`; returns what was written.
struct SampleOutput {
  const SimGenome* genome = nullptr;
  const SimulateOptions* options = nullptr;
  const FragmentLayouter* layouter = nullptr;
  const SamplePlanner* planner = nullptr;
  std::string sample_id;
  std::string path;
  int tbb_threads = 1;
  int htslib_threads = 0;
};
PlanCounts write_sample_bam(const SampleOutput& output);

}  // namespace ifnsig::sim
