// Owns: the cohort's known truth: per-gene base expression and dispersion, which samples are IFN-high,
//       per-sample library sizes, negative-binomial means and the fragment counts drawn from them.
// Thread-safety: immutable after draw_cohort(); share freely between threads.
// Invariant: count(g, j) is the number of exonic, uniquely placed, primary, non-duplicate fragments the
//            simulator writes for gene g in sample j; genes too short to host a fragment have mean 0.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ifnsig/sim/sim_genome.hpp"
#include "ifnsig/sim/sim_options.hpp"

namespace ifnsig::sim {

struct SampleBudget {
  std::int64_t pairs = 0;        // fragments of every kind
  std::int64_t intronic = 0;
  std::int64_t intergenic = 0;
  std::int64_t multimappers = 0;
};

class CohortTruth {
 public:
  std::size_t n_genes() const { return base_mean_.size(); }
  std::size_t n_samples() const { return sample_ids_.size(); }
  const std::vector<std::string>& sample_ids() const { return sample_ids_; }
  bool ifn_high(std::size_t sample) const { return ifn_high_[sample] != 0; }
  // Which set a sample raises: 0 none, kFirstPanel (the IFN-high samples) or kSecondPanel.
  std::uint8_t raised(std::size_t sample) const { return ifn_high_[sample]; }
  bool panel(std::size_t gene) const { return (panel_[gene] & kFirstPanel) != 0; }
  bool second_panel(std::size_t gene) const { return (panel_[gene] & kSecondPanel) != 0; }
  static constexpr std::uint8_t kFirstPanel = 1, kSecondPanel = 2;
  double base_mean(std::size_t gene) const { return base_mean_[gene]; }
  double dispersion(std::size_t gene) const { return dispersion_[gene]; }
  double mean(std::size_t gene, std::size_t sample) const { return mean_[sample * n_genes() + gene]; }
  std::uint32_t count(std::size_t gene, std::size_t sample) const { return count_[sample * n_genes() + gene]; }
  const SampleBudget& budget(std::size_t sample) const { return budget_[sample]; }
  // Seed of everything drawn for one sample (independent of thread count and of other samples).
  std::uint64_t sample_seed(std::size_t sample) const { return sample_seeds_[sample]; }

  friend CohortTruth draw_cohort(const SimGenome& genome, const SimulateOptions& options,
                                 const std::vector<std::uint8_t>& panel_genes);

 private:
  std::vector<std::string> sample_ids_;
  std::vector<std::uint8_t> ifn_high_;
  std::vector<std::uint8_t> panel_;
  std::vector<double> base_mean_;
  std::vector<double> dispersion_;
  std::vector<double> mean_;            // genes x samples, column-major
  std::vector<std::uint32_t> count_;    // genes x samples, column-major
  std::vector<SampleBudget> budget_;
  std::vector<std::uint64_t> sample_seeds_;
};

// Base means: log-normal (a fraction silent, panel genes always expressed), per-gene dispersion around
// options.dispersion; IFN-high samples (the last n_ifn_high) get options.fold on panel genes, the
// n_second_high samples before them options.fold on the second panel's genes.
// panel_genes: per gene (GeneModel order), kFirstPanel and/or kSecondPanel bits.
CohortTruth draw_cohort(const SimGenome& genome, const SimulateOptions& options,
                        const std::vector<std::uint8_t>& panel_genes);

}  // namespace ifnsig::sim
