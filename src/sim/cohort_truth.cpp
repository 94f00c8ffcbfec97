#include "ifnsig/sim/cohort_truth.hpp"

#include <cmath>
#include <cstdio>
#include <random>

#include "ifnsig/sim/fragment.hpp"

namespace ifnsig::sim {
namespace {

constexpr double kDispersionSdlog = 0.5;
constexpr double kPanelShift = 1.0;  // panel genes sit one sdlog above the typical gene

std::string sample_name(const std::string& prefix, int index, int n_samples) {
  const int width = n_samples >= 1000 ? 4 : n_samples >= 100 ? 3 : 2;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*d", width, index + 1);
  return prefix + buffer;
}

// Negative binomial as a gamma-Poisson mixture: variance mean + dispersion * mean^2.
std::uint32_t draw_negative_binomial(Random& random, double mean, double dispersion) {
  if (mean <= 0) return 0;
  std::gamma_distribution<double> gamma(1.0 / dispersion, mean * dispersion);
  const double lambda = gamma(random);
  if (lambda <= 0) return 0;
  std::poisson_distribution<std::uint32_t> poisson(lambda);
  return poisson(random);
}

}  // namespace

CohortTruth draw_cohort(const SimGenome& genome, const SimulateOptions& options,
                        const std::vector<std::uint8_t>& panel_genes) {
  CohortTruth truth;
  const std::size_t n_genes = genome.genes().size();
  const auto n_samples = static_cast<std::size_t>(options.n_samples);
  truth.panel_ = panel_genes;
  truth.base_mean_.assign(n_genes, 0.0);
  truth.dispersion_.assign(n_genes, options.dispersion);
  Random cohort(mix_seed(options.seed, 0));
  const std::int64_t min_length = options.read_length_bp + FragmentLayouter::kSlackBp;
  for (std::size_t g = 0; g < n_genes; ++g) {
    // Draw for every gene so that a gene's values do not depend on the eligibility of others.
    const double silent = cohort.uniform();
    const double z = cohort.normal();
    const double dispersion_z = cohort.normal();
    truth.dispersion_[g] = options.dispersion * std::exp(kDispersionSdlog * dispersion_z);
    if (genome.genes()[g].length_bp < min_length) continue;
    if (panel_genes[g] != 0) {
      truth.base_mean_[g] = std::exp(options.expression_sdlog * (kPanelShift + 0.5 * z));
    } else if (silent >= options.silent_fraction) {
      truth.base_mean_[g] = std::exp(options.expression_sdlog * z);
    }
  }
  truth.mean_.assign(n_genes * n_samples, 0.0);
  truth.count_.assign(n_genes * n_samples, 0);
  const double other_fraction = options.intronic_fraction + options.intergenic_fraction + options.multimapper_fraction;
  for (std::size_t j = 0; j < n_samples; ++j) {
    truth.sample_ids_.push_back(sample_name(options.sample_prefix, static_cast<int>(j), options.n_samples));
    const bool high = j >= n_samples - static_cast<std::size_t>(options.n_ifn_high);
    const bool second =
        !high && j >= n_samples - static_cast<std::size_t>(options.n_ifn_high + options.n_second_high);
    const std::uint8_t raised = high ? CohortTruth::kFirstPanel : second ? CohortTruth::kSecondPanel : 0;
    truth.ifn_high_.push_back(raised);
    truth.sample_seeds_.push_back(mix_seed(options.seed, 1000 + j));
    Random random(mix_seed(truth.sample_seeds_[j], 1));
    const double depth = std::exp(options.depth_sd * random.normal() - 0.5 * options.depth_sd * options.depth_sd);
    SampleBudget budget;
    budget.pairs = std::max<std::int64_t>(1, std::llround(static_cast<double>(options.pairs) * depth));
    budget.intronic = std::llround(static_cast<double>(budget.pairs) * options.intronic_fraction);
    budget.intergenic = std::llround(static_cast<double>(budget.pairs) * options.intergenic_fraction);
    budget.multimappers = std::llround(static_cast<double>(budget.pairs) * options.multimapper_fraction);
    truth.budget_.push_back(budget);
    const double exonic = static_cast<double>(budget.pairs) * (1.0 - other_fraction);
    double total_weight = 0;
    double* mean = truth.mean_.data() + j * n_genes;
    for (std::size_t g = 0; g < n_genes; ++g) {
      // Fragments scale with expression times spliced length.
      const double fold = (panel_genes[g] & raised) != 0 ? options.fold : 1.0;
      mean[g] = truth.base_mean_[g] * fold * static_cast<double>(genome.genes()[g].length_bp) / 1000.0;
      total_weight += mean[g];
    }
    for (std::size_t g = 0; g < n_genes; ++g) {
      if (total_weight > 0) mean[g] *= exonic / total_weight;
      truth.count_[j * n_genes + g] = draw_negative_binomial(random, mean[g], truth.dispersion_[g]);
    }
  }
  return truth;
}

}  // namespace ifnsig::sim
