#include "ifnsig/norm/dispersion.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "ifnsig/norm/r_stats.hpp"

namespace ifnsig {
namespace {

constexpr double kMinDisp = 1e-8;
constexpr double kKappa0 = 1.0;
constexpr double kDispTol = 1e-6;
constexpr int kMaxIt = 100;
constexpr double kMinMu = 0.5;
constexpr double kArmijoEpsilon = 1e-4;
constexpr int kGridPoints = 20;

// One gene under the ~1 design with DESeq2's Cox-Reid adjusted log-likelihood (log_posterior without
// prior) and its derivative, computed term by term exactly as DESeq2 does, so the line search takes the same
// decisions. What repeats is computed once: lgamma and digamma of count + 1/alpha once per distinct count
// (counts repeat across samples), log(1 + mu alpha) and 1 / (1/mu + alpha) once per alpha for both the
// likelihood and its derivative (the line search asks for the derivative where it last evaluated the
// likelihood), 1/mu once per gene.
class GeneLikelihood {
 public:
  // Reuses the buffers of the previous gene.
  void reset(const double* counts, const std::vector<double>& size_factors, double base_mean) {
    const std::size_t m = size_factors.size();
    y_.assign(counts, counts + m);
    mu_.resize(m);
    inverse_mu_.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
      mu_[j] = std::max(kMinMu, base_mean * size_factors[j]);
      inverse_mu_[j] = 1.0 / mu_[j];
    }
    index_levels();
    log1p_mu_alpha_.resize(m);
    weight_.resize(m);
    cached_log_alpha_ = std::numeric_limits<double>::quiet_NaN();
  }

  double log_posterior(double log_alpha) {
    const double alpha = std::exp(log_alpha);
    const double alpha_neg1 = 1.0 / alpha;
    const double lgamma_neg1 = std::lgamma(alpha_neg1);
    for (std::size_t k = 0; k < levels_.size(); ++k) level_values_[k] = std::lgamma(levels_[k] + alpha_neg1);
    double ll = 0, w_sum = 0;
    for (std::size_t j = 0; j < y_.size(); ++j) {
      const double y = y_[j], mu = mu_[j];
      const double lgamma_y = y == 0 ? lgamma_neg1 : level_values_[level_of_[j]];
      log1p_mu_alpha_[j] = std::log(1.0 + mu * alpha);
      weight_[j] = 1.0 / (inverse_mu_[j] + alpha);
      ll += lgamma_y - lgamma_neg1 - y * std::log(mu + alpha_neg1) - alpha_neg1 * log1p_mu_alpha_[j];
      w_sum += weight_[j];
    }
    cached_log_alpha_ = log_alpha;
    return ll - 0.5 * std::log(w_sum);
  }

  double dlog_posterior(double log_alpha) {
    const double alpha = std::exp(log_alpha);
    const double alpha_neg1 = 1.0 / alpha;
    const double alpha_neg2 = alpha_neg1 * alpha_neg1;
    const double digamma_neg1 = digamma(alpha_neg1);
    for (std::size_t k = 0; k < levels_.size(); ++k) level_values_[k] = digamma(levels_[k] + alpha_neg1);
    const bool cached = log_alpha == cached_log_alpha_;
    double sum = 0, w_sum = 0, dw_sum = 0;
    for (std::size_t j = 0; j < y_.size(); ++j) {
      const double y = y_[j], mu = mu_[j];
      const double digamma_y = y == 0 ? digamma_neg1 : level_values_[level_of_[j]];
      const double log1p = cached ? log1p_mu_alpha_[j] : std::log(1.0 + mu * alpha);
      sum += digamma_neg1 + log1p - mu * alpha / (1.0 + mu * alpha) - digamma_y + y / (mu + alpha_neg1);
      const double inv = inverse_mu_[j] + alpha;
      w_sum += cached ? weight_[j] : 1.0 / inv;
      dw_sum += -1.0 / (inv * inv);
    }
    const double cr = -0.5 * dw_sum / w_sum;
    return (alpha_neg2 * sum + cr) * alpha;
  }

 private:
  // Distinct positive counts and, for each sample with a positive count, the index of its count among them.
  void index_levels() {
    by_count_.clear();
    for (std::size_t j = 0; j < y_.size(); ++j) {
      if (y_[j] > 0) by_count_.emplace_back(y_[j], static_cast<std::uint32_t>(j));
    }
    std::sort(by_count_.begin(), by_count_.end());
    levels_.clear();
    level_of_.assign(y_.size(), 0);
    for (const auto& [count, sample] : by_count_) {
      if (levels_.empty() || levels_.back() != count) levels_.push_back(count);
      level_of_[sample] = static_cast<std::uint32_t>(levels_.size() - 1);
    }
    level_values_.resize(levels_.size());
  }

  std::vector<double> y_, mu_, inverse_mu_;
  std::vector<std::pair<double, std::uint32_t>> by_count_;  // scratch for index_levels
  std::vector<double> levels_;
  std::vector<std::uint32_t> level_of_;
  std::vector<double> level_values_;  // lgamma or digamma of each level + 1/alpha
  double cached_log_alpha_ = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> log1p_mu_alpha_, weight_;  // at cached_log_alpha_
};

struct LineSearchResult {
  double log_alpha;
  int iterations;
  double initial_lp;
  double last_lp;
};

// DESeq2's fitDisp: Armijo line search along the gradient in log alpha.
LineSearchResult line_search(double log_alpha, GeneLikelihood& gene, double min_log_alpha) {
  double a = log_alpha;
  double lp = gene.log_posterior(a);
  double dlp = gene.dlog_posterior(a);
  double kappa = kKappa0;
  LineSearchResult result{a, 0, lp, lp};
  int accepted = 0;
  for (int t = 0; t < kMaxIt; ++t) {
    ++result.iterations;
    const double propose = a + kappa * dlp;
    if (propose < -30.0) kappa = (-30.0 - a) / dlp;
    if (propose > 10.0) kappa = (10.0 - a) / dlp;
    const double theta_kappa = -gene.log_posterior(a + kappa * dlp);
    const double theta_hat_kappa = -lp - kappa * kArmijoEpsilon * dlp * dlp;
    if (theta_kappa <= theta_hat_kappa) {
      ++accepted;
      a = a + kappa * dlp;
      // DESeq2 evaluates log_posterior(a) again here; it is -theta_kappa bit for bit.
      const double lp_new = -theta_kappa;
      const double change = lp_new - lp;
      if (change < kDispTol) {
        lp = lp_new;
        break;
      }
      if (a < min_log_alpha) break;
      lp = lp_new;
      dlp = gene.dlog_posterior(a);
      kappa = std::min(kappa * 1.1, kKappa0);
      if (accepted % 5 == 0) kappa = kappa / 2.0;
    } else {
      kappa = kappa / 2.0;
    }
  }
  result.log_alpha = a;
  result.last_lp = lp;
  return result;
}

// DESeq2's fitDispGrid: a coarse then a fine grid over log alpha.
double grid_search(GeneLikelihood& gene, double max_disp) {
  const double lo = std::log(1e-8), hi = std::log(max_disp);
  const double step = (hi - lo) / (kGridPoints - 1);
  auto best_on = [&](double from, double delta) {
    double best = from, best_lp = -std::numeric_limits<double>::infinity();
    for (int t = 0; t < kGridPoints; ++t) {
      const double a = t == kGridPoints - 1 ? from + delta * (kGridPoints - 1) : from + delta * t;
      const double lp = gene.log_posterior(a);
      if (lp > best_lp) {
        best_lp = lp;
        best = a;
      }
    }
    return best;
  };
  const double coarse = best_on(lo, step);
  return std::exp(best_on(coarse - step, 2 * step / (kGridPoints - 1)));
}

double initial_dispersion(const double* normalized, std::size_t m, double base_mean, double base_var, double xim,
                          double max_disp) {
  const double mu = std::max(1.0, base_mean);
  long double sum = 0;
  for (std::size_t j = 0; j < m; ++j) sum += ((normalized[j] - mu) * (normalized[j] - mu) - mu) / (mu * mu);
  const double rough = std::max(0.0, static_cast<double>(sum) / static_cast<double>(m - 1));
  const double moments = (base_var - xim * base_mean) / (base_mean * base_mean);
  return std::min(std::max(kMinDisp, std::min(rough, moments)), max_disp);
}

// `gene` is scratch space reused across genes.
double fit_one_gene(const double* counts, const std::vector<double>& normalized, double base_mean,
                    const std::vector<double>& size_factors, double xim, double max_disp, GeneLikelihood& gene) {
  const double base_var = r_var(normalized);
  const double alpha_init = initial_dispersion(normalized.data(), normalized.size(), base_mean, base_var, xim, max_disp);
  gene.reset(counts, size_factors, base_mean);
  const auto fit = line_search(std::log(alpha_init), gene, std::log(kMinDisp / 10));
  double estimate = std::min(std::exp(fit.log_alpha), max_disp);
  if (fit.last_lp < fit.initial_lp + std::abs(fit.initial_lp) / 1e6) estimate = alpha_init;
  const bool converged = fit.iterations < kMaxIt && fit.iterations != 1;
  if (!converged && estimate > kMinDisp * 10) estimate = grid_search(gene, max_disp);
  return std::min(std::max(estimate, kMinDisp), max_disp);
}

}  // namespace

double digamma(double x) {
  double result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const double inv = 1 / x, inv2 = inv * inv;
  const double series =
      inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))));
  return result + std::log(x) - 0.5 * inv - series;
}

GeneDispersions estimate_gene_dispersions(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors) {
  const auto n_genes = static_cast<std::size_t>(counts.rows());
  const std::size_t m = size_factors.size();
  const double max_disp = std::max(10.0, static_cast<double>(m));
  std::vector<double> inverse(m);
  for (std::size_t j = 0; j < m; ++j) inverse[j] = 1.0 / size_factors[j];
  const double xim = r_mean(inverse);
  GeneDispersions out;
  out.base_mean.assign(n_genes, 0.0);
  out.estimate.assign(n_genes, std::numeric_limits<double>::quiet_NaN());
  // Blocks of genes are copied row-major so that each gene's counts are contiguous.
  constexpr std::size_t kBlock = 64;
  tbb::parallel_for(std::size_t{0}, (n_genes + kBlock - 1) / kBlock, [&](std::size_t block) {
    const std::size_t first = block * kBlock, last = std::min(n_genes, first + kBlock);
    std::vector<double> rows((last - first) * m);
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t g = first; g < last; ++g) {
        rows[(g - first) * m + j] = counts(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(j));
      }
    }
    std::vector<double> normalized(m);
    GeneLikelihood likelihood;
    for (std::size_t g = first; g < last; ++g) {
      const double* row = rows.data() + (g - first) * m;
      long double sum = 0;
      bool all_zero = true;
      for (std::size_t j = 0; j < m; ++j) {
        normalized[j] = row[j] / size_factors[j];
        sum += normalized[j];
        all_zero = all_zero && row[j] == 0;
      }
      out.base_mean[g] = static_cast<double>(sum / static_cast<long double>(m));
      if (!all_zero) out.estimate[g] = fit_one_gene(row, normalized, out.base_mean[g], size_factors, xim, max_disp, likelihood);
    }
  });
  return out;
}

}  // namespace ifnsig
