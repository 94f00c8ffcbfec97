#include "ifnsig/norm/normalizer_genes.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig {
namespace {

// A sample's log size factor: the median over `genes` (all when empty) of log(count) - log(geometric mean),
// over the genes it counted (DESeq2 skips zeros).
double log_size_factor(const Eigen::MatrixXd& counts, Eigen::Index sample, const std::vector<double>& log_geo_means,
                       const std::vector<std::size_t>* genes) {
  std::vector<double> ratios;
  const auto add = [&](std::size_t g) {
    const double count = counts(static_cast<Eigen::Index>(g), sample);
    if (std::isfinite(log_geo_means[g]) && count > 0) ratios.push_back(std::log(count) - log_geo_means[g]);
  };
  if (genes != nullptr) {
    for (const std::size_t g : *genes) add(g);
  } else {
    for (std::size_t g = 0; g < log_geo_means.size(); ++g) add(g);
  }
  return r_median(ratios);
}

}  // namespace

NormalizerGenes select_normalizer_genes(const Eigen::MatrixXd& counts, const std::vector<std::string>& gene_ids,
                                        const FactorFit& fit, const std::vector<char>& excluded, std::size_t n) {
  NormalizerGenes out;
  const std::vector<double>& log_geo_means = fit.log_geo_means;
  if (log_geo_means.empty() || n == 0 || counts.cols() == 0) return out;
  const Eigen::Index n_samples = counts.cols();
  // The whole size factor runs over the fit's control genes when it has them.
  std::vector<std::size_t> controls;
  for (std::size_t g = 0; g < fit.control_genes.size(); ++g) {
    if (fit.control_genes[g]) controls.push_back(g);
  }
  const std::vector<std::size_t>* whole = fit.control_genes.empty() ? nullptr : &controls;
  std::vector<double> log_factor(static_cast<std::size_t>(n_samples));
  for (Eigen::Index s = 0; s < n_samples; ++s) log_factor[static_cast<std::size_t>(s)] = log_size_factor(counts, s, log_geo_means, whole);
  struct Candidate {
    double error;
    std::size_t gene;
  };
  std::vector<Candidate> candidates;
  for (std::size_t g = 0; g < log_geo_means.size(); ++g) {
    if (!std::isfinite(log_geo_means[g]) || (!excluded.empty() && excluded[g])) continue;
    const auto row = counts.row(static_cast<Eigen::Index>(g));
    if (row.minCoeff() < kMinNormalizerCount) continue;
    double sum = 0;
    double sum_squares = 0;
    for (Eigen::Index s = 0; s < n_samples; ++s) {
      const double deviation = std::log(row(s)) - log_geo_means[g] - log_factor[static_cast<std::size_t>(s)];
      sum += deviation;
      sum_squares += deviation * deviation;
    }
    const double mean = sum / static_cast<double>(n_samples);
    const double variance = n_samples > 1 ? (sum_squares - sum * mean) / static_cast<double>(n_samples - 1) : 0;
    candidates.push_back({std::sqrt(std::max(0.0, variance)), g});
  }
  const std::size_t kept = std::min(n, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(kept), candidates.end(),
                    [](const Candidate& a, const Candidate& b) { return a.error != b.error ? a.error < b.error : a.gene < b.gene; });
  std::vector<std::size_t> genes;
  for (std::size_t i = 0; i < kept; ++i) genes.push_back(candidates[i].gene);
  std::sort(genes.begin(), genes.end());
  for (const std::size_t g : genes) out.genes.push_back(gene_ids[g]);
  for (Eigen::Index s = 0; s < n_samples && !genes.empty(); ++s) {
    const double ratio = std::exp(log_size_factor(counts, s, log_geo_means, &genes) - log_factor[static_cast<std::size_t>(s)]);
    out.max_size_factor_error = std::max(out.max_size_factor_error, std::abs(ratio - 1));
  }
  return out;
}

}  // namespace ifnsig
