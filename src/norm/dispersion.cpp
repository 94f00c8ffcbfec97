#include "ifnsig/norm/dispersion.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

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

// One gene's data for the ~1 design: raw counts and fitted means.
struct GeneData {
  std::vector<double> y;
  std::vector<double> mu;
};

// Cox-Reid adjusted NB log-likelihood in log alpha (DESeq2's log_posterior without prior).
double log_posterior(double log_alpha, const GeneData& gene) {
  const double alpha = std::exp(log_alpha);
  const double alpha_neg1 = 1.0 / alpha;
  const double lgamma_neg1 = std::lgamma(alpha_neg1);
  double ll = 0, w_sum = 0;
  for (std::size_t j = 0; j < gene.y.size(); ++j) {
    const double y = gene.y[j], mu = gene.mu[j];
    // For y == 0, lgamma(y + 1/alpha) is lgamma_neg1 bit for bit: skip the call (zeros are common).
    const double lgamma_y = y == 0 ? lgamma_neg1 : std::lgamma(y + alpha_neg1);
    ll += lgamma_y - lgamma_neg1 - y * std::log(mu + alpha_neg1) - alpha_neg1 * std::log(1.0 + mu * alpha);
    w_sum += 1.0 / (1.0 / mu + alpha);
  }
  return ll - 0.5 * std::log(w_sum);
}

double dlog_posterior(double log_alpha, const GeneData& gene) {
  const double alpha = std::exp(log_alpha);
  const double alpha_neg1 = 1.0 / alpha;
  const double alpha_neg2 = alpha_neg1 * alpha_neg1;
  const double digamma_neg1 = digamma(alpha_neg1);
  double sum = 0, w_sum = 0, dw_sum = 0;
  for (std::size_t j = 0; j < gene.y.size(); ++j) {
    const double y = gene.y[j], mu = gene.mu[j];
    const double digamma_y = y == 0 ? digamma_neg1 : digamma(y + alpha_neg1);
    sum += digamma_neg1 + std::log(1 + mu * alpha) - mu * alpha / (1.0 + mu * alpha) - digamma_y + y / (mu + alpha_neg1);
    const double inv = 1.0 / mu + alpha;
    w_sum += 1.0 / inv;
    dw_sum += -1.0 / (inv * inv);
  }
  const double cr = -0.5 * dw_sum / w_sum;
  return (alpha_neg2 * sum + cr) * alpha;
}

struct LineSearchResult {
  double log_alpha;
  int iterations;
  double initial_lp;
  double last_lp;
};

// DESeq2's fitDisp: Armijo line search along the gradient in log alpha.
LineSearchResult line_search(double log_alpha, const GeneData& gene, double min_log_alpha) {
  double a = log_alpha;
  double lp = log_posterior(a, gene);
  double dlp = dlog_posterior(a, gene);
  double kappa = kKappa0;
  LineSearchResult result{a, 0, lp, lp};
  int accepted = 0;
  for (int t = 0; t < kMaxIt; ++t) {
    ++result.iterations;
    const double propose = a + kappa * dlp;
    if (propose < -30.0) kappa = (-30.0 - a) / dlp;
    if (propose > 10.0) kappa = (10.0 - a) / dlp;
    const double theta_kappa = -log_posterior(a + kappa * dlp, gene);
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
      dlp = dlog_posterior(a, gene);
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
double grid_search(const GeneData& gene, double max_disp) {
  const double lo = std::log(1e-8), hi = std::log(max_disp);
  const double step = (hi - lo) / (kGridPoints - 1);
  auto best_on = [&](double from, double delta) {
    double best = from, best_lp = -std::numeric_limits<double>::infinity();
    for (int t = 0; t < kGridPoints; ++t) {
      const double a = t == kGridPoints - 1 ? from + delta * (kGridPoints - 1) : from + delta * t;
      const double lp = log_posterior(a, gene);
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

double fit_one_gene(const double* counts, const std::vector<double>& size_factors, double xim, double max_disp) {
  const std::size_t m = size_factors.size();
  std::vector<double> normalized(m);
  for (std::size_t j = 0; j < m; ++j) normalized[j] = counts[j] / size_factors[j];
  long double sum = 0;
  for (const double v : normalized) sum += v;
  const double base_mean = static_cast<double>(sum / static_cast<long double>(m));
  const double base_var = r_var(normalized);
  const double alpha_init = initial_dispersion(normalized.data(), m, base_mean, base_var, xim, max_disp);
  GeneData gene{std::vector<double>(counts, counts + m), std::vector<double>(m)};
  for (std::size_t j = 0; j < m; ++j) gene.mu[j] = std::max(kMinMu, base_mean * size_factors[j]);
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
      if (!all_zero) out.estimate[g] = fit_one_gene(row, size_factors, xim, max_disp);
    }
  });
  return out;
}

}  // namespace ifnsig
