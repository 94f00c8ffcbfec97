#include "ifnsig/norm/normalizer_genes.hpp"

#include <algorithm>
#include <cmath>

namespace ifnsig::norm {

NormalizerGenes select_normalizer_genes(const Eigen::MatrixXd& counts, const std::vector<std::string>& gene_ids,
                                        const std::vector<std::string>& sample_ids, const FactorFit& fit,
                                        const SampleFactors& factors, const std::vector<char>& excluded,
                                        std::size_t n) {
  NormalizerGenes out;
  if (fit.method != FactorMethod::kRatio || n == 0 || counts.cols() == 0) return out;
  const Eigen::Index n_samples = counts.cols();
  struct Candidate {
    double error;
    std::size_t gene;
  };
  std::vector<Candidate> candidates;
  for (std::size_t g = 0; g < fit.log_geo_means.size(); ++g) {
    if (!std::isfinite(fit.log_geo_means[g]) || (!excluded.empty() && excluded[g])) continue;
    const auto row = counts.row(static_cast<Eigen::Index>(g));
    if (row.minCoeff() < kMinNormalizerCount) continue;
    double sum = 0;
    double sum_squares = 0;
    for (Eigen::Index s = 0; s < n_samples; ++s) {
      const double deviation =
          std::log(row(s)) - fit.log_geo_means[g] - std::log(factors.factor[static_cast<std::size_t>(s)]);
      sum += deviation;
      sum_squares += deviation * deviation;
    }
    const double mean = sum / static_cast<double>(n_samples);
    const double variance = n_samples > 1 ? (sum_squares - sum * mean) / static_cast<double>(n_samples - 1) : 0;
    candidates.push_back({std::sqrt(std::max(0.0, variance)), g});
  }
  const std::size_t kept = std::min(n, candidates.size());
  if (kept == 0) return out;
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(kept), candidates.end(),
                    [](const Candidate& a, const Candidate& b) { return a.error != b.error ? a.error < b.error : a.gene < b.gene; });
  // A sample counted for the normalizers only is normalized by the same fit with them as its control genes.
  FactorFit over_normalizers = fit;
  over_normalizers.control_genes.assign(gene_ids.size(), 0);
  for (std::size_t i = 0; i < kept; ++i) over_normalizers.control_genes[candidates[i].gene] = 1;
  for (std::size_t g = 0; g < gene_ids.size(); ++g) {
    if (over_normalizers.control_genes[g]) out.genes.push_back(gene_ids[g]);
  }
  const SampleFactors targeted = apply_factors(over_normalizers, counts, sample_ids);
  double log_scale = 0;
  for (std::size_t s = 0; s < targeted.factor.size(); ++s) log_scale += std::log(targeted.factor[s] / factors.factor[s]);
  out.scale = std::exp(log_scale / static_cast<double>(targeted.factor.size()));
  for (std::size_t s = 0; s < targeted.factor.size(); ++s) {
    out.max_size_factor_error =
        std::max(out.max_size_factor_error, std::abs(targeted.factor[s] / out.scale / factors.factor[s] - 1));
  }
  return out;
}

}  // namespace ifnsig::norm
