#include "ifnsig/norm/dispersion.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "r_math.hpp"
#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::norm {
namespace {

constexpr double kMinDisp = 1e-8;
constexpr double kKappa0 = 1.0;
constexpr double kDispTol = 1e-6;
constexpr int kMaxIt = 100;
constexpr double kMinMu = 0.5;
constexpr double kArmijoEpsilon = 1e-4;
constexpr int kGridPoints = 20;

// One gene under the ~1 design: DESeq2's Cox-Reid adjusted log-likelihood (log_posterior without prior)
// and its derivative in log alpha.
//
// The line search must take DESeq2's decisions, and near the optimum these compare likelihood differences
// as small as the rounding noise of DESeq2's term-by-term sums; only the same arithmetic reproduces them.
// So the derivative (which moves alpha) is always computed as DESeq2 does, and the likelihood in two ways:
// * fast (one log and one division per sample) with a bound on its distance from DESeq2's value:
//   log(mu + 1/a) = log(1 + mu a) - log(a), and sum_j lgamma(y_j + c) - lgamma(c) is summed over the
//   distinct positive counts as increments lgamma(v + c) - lgamma(u + c) = log prod_{i=u}^{v-1} (c + i)
//   across small gaps (lgamma differences across wide ones);
// * exact, term by term as DESeq2, for a comparison the fast values cannot settle within their bounds.
// Both share what repeats: lgamma and digamma once per distinct count, log(1 + mu a) and 1 / (1/mu + a)
// once per alpha (the derivative is asked where the likelihood was last evaluated), 1/mu once per gene.
class GeneLikelihood {
 public:
  // Reuses the buffers of the previous gene. `fitted_mean` is DESeq2's linearModelMu value of the gene's
  // normalized counts; the samples' means are it times their size factors, at least minmu.
  void reset(const double* counts, const std::vector<double>& size_factors, double fitted_mean) {
    const std::size_t m = size_factors.size();
    y_.assign(counts, counts + m);
    mu_.resize(m);
    inverse_mu_.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
      mu_[j] = std::max(kMinMu, fitted_mean * size_factors[j]);
      inverse_mu_[j] = 1.0 / mu_[j];
    }
    positive_.clear();
    for (std::size_t j = 0; j < m; ++j) {
      if (y_[j] != 0) positive_.push_back(static_cast<std::uint32_t>(j));
    }
    pow_args_.resize(2 * m + positive_.size());
    pows_.resize(pow_args_.size());
    const auto [mu_min, mu_max] = std::minmax_element(mu_.begin(), mu_.end());
    mu_min_ = *mu_min;
    mu_max_ = *mu_max;
    index_levels();
    log1p_mu_alpha_.resize(m);
    weight_.resize(m);
    cached_log_alpha_ = std::numeric_limits<double>::quiet_NaN();
  }

  struct Estimate {
    double value;
    double error;  // bound on |value - log_posterior(log_alpha)|
  };

  Estimate fast_log_posterior(double log_alpha) {
    const double alpha = std::exp(log_alpha);
    const double alpha_neg1 = 1.0 / alpha;
    double sum_log1p = 0, sum_y_log1p = 0, w_sum = 0;
    for (std::size_t j = 0; j < y_.size(); ++j) {
      log1p_mu_alpha_[j] = std::log(1.0 + mu_[j] * alpha);
      weight_[j] = 1.0 / (inverse_mu_[j] + alpha);
      sum_log1p += log1p_mu_alpha_[j];
      sum_y_log1p += y_[j] * log1p_mu_alpha_[j];
      w_sum += weight_[j];
    }
    cached_log_alpha_ = log_alpha;
    // sum_j lgamma(y + 1/a) - lgamma(1/a) - y log(mu + 1/a) - (1/a) log(1 + mu a)
    const double ll = lgamma_increments(alpha_neg1) + log_alpha * count_sum_ - sum_y_log1p - alpha_neg1 * sum_log1p;
    const double log_w = std::log(w_sum);
    const double value = ll - 0.5 * log_w;
    // Both values sum terms whose rounding errors are a few ulp of their magnitudes, accumulated over at
    // most 2m additions (samples, distinct counts); bound the magnitudes (|lgamma(x)| <= (x + 1)(|log x| + 1)).
    const double m = static_cast<double>(y_.size());
    const double log_y_max = std::max(std::abs(std::log(levels_.empty() ? alpha_neg1 : levels_.back() + alpha_neg1)),
                                      std::abs(log_alpha));
    const double log_mu_max =
        std::max(std::abs(std::log(mu_min_ + alpha_neg1)), std::abs(std::log(mu_max_ + alpha_neg1)));
    const double magnitude = (count_sum_ + m * (alpha_neg1 + 1)) * (log_y_max + 1) +
                             m * std::abs(std::lgamma(alpha_neg1)) + count_sum_ * log_mu_max +
                             alpha_neg1 * sum_log1p + std::abs(log_w) + std::abs(value);
    const double error = (4 * m + 64) * std::numeric_limits<double>::epsilon() * magnitude;
    return {value, std::isfinite(error) ? error : std::numeric_limits<double>::infinity()};
  }

  // DESeq2's term-by-term value (log_posterior in DESeq2.cpp, with R's lgammafn).
  double log_posterior(double log_alpha) {
    const double alpha = std::exp(log_alpha);
    const double alpha_neg1 = 1.0 / alpha;
    const double lgamma_neg1 = r_lgamma(alpha_neg1);
    for (std::size_t k = 0; k < levels_.size(); ++k) level_values_[k] = r_lgamma(levels_[k] + alpha_neg1);
    const bool cached = log_alpha == cached_log_alpha_;
    double ll = 0, w_sum = 0;
    for (std::size_t j = 0; j < y_.size(); ++j) {
      const double y = y_[j], mu = mu_[j];
      const double lgamma_y = y == 0 ? lgamma_neg1 : level_values_[level_of_[j]];
      const double log1p = cached ? log1p_mu_alpha_[j] : std::log(1.0 + mu * alpha);
      ll += lgamma_y - lgamma_neg1 - y * std::log(mu + alpha_neg1) - alpha_neg1 * log1p;
      w_sum += cached ? weight_[j] : 1.0 / (inverse_mu_[j] + alpha);
    }
    return ll - 0.5 * std::log(w_sum);
  }

  // DESeq2's term-by-term derivative, operation by operation as DESeq2.cpp's dlog_posterior is compiled:
  // R_pow_di(alpha, -2) is 1 / (alpha * alpha); Rcpp's pow(v, -1) and armadillo's pow(v, -2) are calls to the
  // C library's pow (only pow(pow(mu, -1) + alpha, -1) of the weights became divisions); the Cox-Reid term is
  // -0.5 * det(b) * trace(inv(b) * db) / det(b) for the 1 x 1 matrices b = sum(w), db = sum(dw).
  double dlog_posterior(double log_alpha) {
    const double alpha = std::exp(log_alpha);
    const double alpha_neg1 = 1.0 / alpha;
    const double alpha_neg2 = 1.0 / (alpha * alpha);
    const double digamma_neg1 = r_digamma(alpha_neg1);
    for (std::size_t k = 0; k < levels_.size(); ++k) level_values_[k] = r_digamma(levels_[k] + alpha_neg1);
    const bool cached = log_alpha == cached_log_alpha_;
    const std::size_t m = y_.size();
    // pow(1 + mu alpha, -1), pow(1/mu + alpha, -2) and, for positive counts, pow(mu + 1/alpha, -1).
    for (std::size_t j = 0; j < m; ++j) {
      pow_args_[j] = 1.0 + mu_[j] * alpha;
      pow_args_[m + j] = inverse_mu_[j] + alpha;
    }
    for (std::size_t k = 0; k < positive_.size(); ++k) pow_args_[2 * m + k] = mu_[positive_[k]] + alpha_neg1;
    pow_minus_one(pow_args_.data(), pows_.data(), m);
    pow_minus_two(pow_args_.data() + m, pows_.data() + m, m);
    pow_minus_one(pow_args_.data() + 2 * m, pows_.data() + 2 * m, positive_.size());
    const double* next_positive = pows_.data() + 2 * m;
    double sum = 0, w_sum = 0, dw_sum = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const double y = y_[j], mu = mu_[j];
      const double digamma_y = y == 0 ? digamma_neg1 : level_values_[level_of_[j]];
      const double log1p = cached ? log1p_mu_alpha_[j] : std::log(1.0 + mu * alpha);
      double term = digamma_neg1 + log1p - mu * alpha * pows_[j] - digamma_y;
      term += y == 0 ? 0.0 : y * *next_positive++;  // DESeq2 adds 0 * pow(mu + 1/alpha, -1)
      sum += term;
      w_sum += cached ? weight_[j] : 1.0 / (inverse_mu_[j] + alpha);
      dw_sum += -pows_[m + j];
    }
    const double ddet = w_sum * ((1.0 / w_sum) * dw_sum);
    const double cr = -0.5 * ddet / w_sum;
    return (alpha_neg2 * sum + cr) * alpha;
  }

 private:
  static constexpr double kMaxProductGap = 16;

  // Distinct positive counts (levels), the samples at or above each, and each positive sample's level.
  // Integer counts up to a few times the sample count are tallied directly, others sorted.
  void index_levels() {
    levels_.clear();
    at_least_.clear();
    level_of_.assign(y_.size(), 0);
    count_sum_ = 0;
    double max_count = 0;
    bool integers = true;
    std::size_t n_positive = 0;
    for (const double y : y_) {
      max_count = std::max(max_count, y);
      integers = integers && y == std::floor(y);
      n_positive += y > 0 ? 1 : 0;
    }
    if (integers && max_count <= static_cast<double>(4 * y_.size() + 1024)) {
      samples_at_.assign(static_cast<std::size_t>(max_count) + 1, 0);
      for (const double y : y_) ++samples_at_[static_cast<std::size_t>(y)];
      std::size_t remaining = n_positive;
      for (std::size_t count = 1; count < samples_at_.size(); ++count) {
        if (samples_at_[count] == 0) continue;
        levels_.push_back(static_cast<double>(count));
        at_least_.push_back(static_cast<double>(remaining));
        remaining -= samples_at_[count];
        samples_at_[count] = static_cast<std::uint32_t>(levels_.size() - 1);  // from now on: the level index
      }
      for (std::size_t j = 0; j < y_.size(); ++j) {
        if (y_[j] > 0) level_of_[j] = samples_at_[static_cast<std::size_t>(y_[j])];
        count_sum_ += y_[j];  // integers: exact in any order
      }
    } else {
      by_count_.clear();
      for (std::size_t j = 0; j < y_.size(); ++j) {
        if (y_[j] > 0) by_count_.emplace_back(y_[j], static_cast<std::uint32_t>(j));
      }
      std::sort(by_count_.begin(), by_count_.end());
      for (std::size_t k = 0; k < by_count_.size(); ++k) {
        const auto [count, sample] = by_count_[k];
        count_sum_ += count;
        if (levels_.empty() || levels_.back() != count) {
          levels_.push_back(count);
          at_least_.push_back(static_cast<double>(by_count_.size() - k));
        }
        level_of_[sample] = static_cast<std::uint32_t>(levels_.size() - 1);
      }
    }
    level_values_.resize(levels_.size());
  }

  // sum_j lgamma(y_j + c) - lgamma(c).
  double lgamma_increments(double c) const {
    double total = 0, below = 0, lgamma_below = 0;
    bool lgamma_below_known = false;
    for (std::size_t k = 0; k < levels_.size(); ++k) {
      const double level = levels_[k];
      double product = 1;
      if (level - below <= kMaxProductGap) {
        for (double i = below; i < level; ++i) product *= c + i;
      }
      double increment;
      if (level - below <= kMaxProductGap && std::isfinite(product)) {
        increment = std::log(product);
        lgamma_below_known = false;
      } else {
        if (!lgamma_below_known) lgamma_below = std::lgamma(below + c);
        const double lgamma_level = std::lgamma(level + c);
        increment = lgamma_level - lgamma_below;
        lgamma_below = lgamma_level;
        lgamma_below_known = true;
      }
      total += at_least_[k] * increment;
      below = level;
    }
    return total;
  }

  std::vector<double> y_, mu_, inverse_mu_;
  double mu_min_ = 0, mu_max_ = 0;
  double count_sum_ = 0;
  std::vector<std::uint32_t> samples_at_;                   // scratch for index_levels: tally per count
  std::vector<std::pair<double, std::uint32_t>> by_count_;  // scratch for index_levels: sorted counts
  std::vector<double> levels_;
  std::vector<double> at_least_;
  std::vector<std::uint32_t> level_of_;
  std::vector<double> level_values_;  // lgamma or digamma of each level + 1/alpha
  double cached_log_alpha_ = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> log1p_mu_alpha_, weight_;  // at cached_log_alpha_
  std::vector<std::uint32_t> positive_;            // samples with a positive count
  std::vector<double> pow_args_, pows_;            // the derivative's pow() arguments and values
};

// The log posterior at one point: the fast estimate, and DESeq2's value once a comparison needs it.
class Point {
 public:
  Point(double log_alpha, GeneLikelihood& gene)
      : log_alpha_(log_alpha), fast_(gene.fast_log_posterior(log_alpha)), gene_(&gene) {}
  double log_alpha() const { return log_alpha_; }
  double fast() const { return fast_.value; }
  double error() const { return fast_.error; }
  double exact() {
    if (std::isnan(exact_)) exact_ = gene_->log_posterior(log_alpha_);
    return exact_;
  }

 private:
  double log_alpha_;
  GeneLikelihood::Estimate fast_;
  GeneLikelihood* gene_;
  double exact_ = std::numeric_limits<double>::quiet_NaN();
};

// Evaluates `holds(lp1, lp2)`, a comparison whose two sides move by at most `sensitivity` times the
// change of lp1 and lp2, on the fast values when they decide it beyond their error, else on exact values.
template <typename Comparison>
bool decide(Point& p1, Point& p2, double sensitivity, Comparison holds, double fast_margin) {
  if (std::abs(fast_margin) > sensitivity * (p1.error() + p2.error())) return holds(p1.fast(), p2.fast());
  return holds(p1.exact(), p2.exact());
}

struct LineSearchResult {
  double log_alpha;
  int iterations;
  std::optional<Point> initial;
  std::optional<Point> last;
};

// DESeq2's fitDisp: Armijo line search along the gradient in log alpha.
LineSearchResult line_search(double log_alpha, GeneLikelihood& gene, double min_log_alpha) {
  double a = log_alpha;
  Point current(a, gene);
  double dlp = gene.dlog_posterior(a);
  double kappa = kKappa0;
  LineSearchResult result{a, 0, current, current};
  int accepted = 0;
  for (int t = 0; t < kMaxIt; ++t) {
    ++result.iterations;
    const double propose = a + kappa * dlp;
    if (propose < -30.0) kappa = (-30.0 - a) / dlp;
    if (propose > 10.0) kappa = (10.0 - a) / dlp;
    Point proposed(a + kappa * dlp, gene);
    // theta_kappa <= theta_hat_kappa in DESeq2's terms.
    const double armijo_step = kappa * kArmijoEpsilon * (dlp * dlp);  // R_pow_di(dlp, 2) is dlp * dlp
    const auto armijo = [&](double lp_proposed, double lp_current) {
      return -lp_proposed <= -lp_current - armijo_step;
    };
    const double armijo_margin = (-current.fast() - armijo_step) + proposed.fast();
    if (decide(proposed, current, 1.0, armijo, armijo_margin)) {
      ++accepted;
      a = a + kappa * dlp;
      // DESeq2 evaluates log_posterior(a) again here; it is the proposal's value bit for bit.
      const auto converged = [](double lp_new, double lp_old) { return lp_new - lp_old < kDispTol; };
      const double converged_margin = kDispTol - (proposed.fast() - current.fast());
      if (decide(proposed, current, 1.0, converged, converged_margin)) {
        current = proposed;
        break;
      }
      if (a < min_log_alpha) break;  // as DESeq2: the last value kept is the previous point's
      current = proposed;
      dlp = gene.dlog_posterior(a);
      kappa = std::min(kappa * 1.1, kKappa0);
      if (accepted % 5 == 0) kappa = kappa / 2.0;
    } else {
      kappa = kappa / 2.0;
    }
  }
  result.log_alpha = a;
  result.last = current;
  return result;
}

// DESeq2's fitDispGrid: the best of R's seq(log(1e-8), log(maxDisp), length = 20), then the best of
// armadillo's linspace(best - delta, best + delta, 20), delta the coarse grid's first step. Both grids have their
// exact end points: from + i * ((to - from) / 19) for the others.
double grid_search(GeneLikelihood& gene, double max_disp) {
  const double lo = std::log(1e-8), hi = std::log(max_disp);
  const double step = (hi - lo) / (kGridPoints - 1);
  const double delta = (lo + step) - lo;
  auto best_on = [&](double from, double to, double by) {
    std::optional<Point> best;  // none while no value has beaten -Inf, DESeq2's initial best
    for (int t = 0; t < kGridPoints; ++t) {
      const double a = t == kGridPoints - 1 ? to : from + static_cast<double>(t) * by;
      Point point(a, gene);
      const auto better = [](double lp, double best_lp) { return lp > best_lp; };
      const bool improves = best ? decide(point, *best, 1.0, better, point.fast() - best->fast())
                                 : point.exact() > -std::numeric_limits<double>::infinity();
      if (improves) best = point;
    }
    return best ? best->log_alpha() : from;
  };
  const double coarse = best_on(lo, hi, step);
  const double fine_from = coarse - delta, fine_to = coarse + delta;
  return std::exp(best_on(fine_from, fine_to, (fine_to - fine_from) / (kGridPoints - 1)));
}

// DESeq2's starting value: the smaller of roughDispEstimate (around the linearModelMu mean, at least 1) and
// momentsDispEstimate (from rowMeans and matrixStats' rowVars), within [minDisp, maxDisp].
double initial_dispersion(const double* normalized, std::size_t m, double fitted_mean, double base_mean,
                          double base_var, double xim, double max_disp) {
  const double mu = std::max(1.0, fitted_mean);
  long double sum = 0;
  for (std::size_t j = 0; j < m; ++j) sum += static_cast<long double>(((normalized[j] - mu) * (normalized[j] - mu) - mu) / (mu * mu));
  const double rough = std::max(0.0, static_cast<double>(sum) / static_cast<double>(m - 1));
  const double moments = (base_var - xim * base_mean) / (base_mean * base_mean);
  return std::min(std::max(kMinDisp, std::min(rough, moments)), max_disp);
}

// DESeq2's linearModelMu(y, x) for the design ~1, which it uses as the fitted mean of the normalized counts:
// (y %*% Q) %*% t(x %*% solve(R)) with R's qr(x) (LINPACK dqrdc2 on a column of ones: R = -sqrt(n),
// Q[1] = 1 - (1 + 1/sqrt(n)), Q[j > 1] = -1/sqrt(n)) and the reference BLAS's dgemv, which sums the products
// in sample order. Not rowMeans: the two differ in the last bits, which the line search can see.
double linear_model_mean(const std::vector<double>& normalized) {
  const std::size_t m = normalized.size();
  const double s = 1.0 / std::sqrt(static_cast<double>(m));
  const double q1 = 1.0 - (1.0 + s);
  double sum = q1 * normalized[0];
  for (std::size_t j = 1; j < m; ++j) sum += -s * normalized[j];
  return -s * sum;
}

// matrixStats' rowVars (0.63): mean and sum of squares in plain double, sample by sample.
double matrixstats_var(const std::vector<double>& values) {
  double mean = 0;
  for (const double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double sum = 0;
  for (const double v : values) {
    double d = v - mean;
    d *= d;
    sum += d;
  }
  return sum / static_cast<double>(values.size() - 1);
}

// `gene` is scratch space reused across genes.
double fit_one_gene(const double* counts, const std::vector<double>& normalized, double base_mean,
                    const std::vector<double>& size_factors, double xim, double max_disp, GeneLikelihood& gene) {
  const double fitted_mean = linear_model_mean(normalized);
  const double base_var = matrixstats_var(normalized);
  const double alpha_init =
      initial_dispersion(normalized.data(), normalized.size(), fitted_mean, base_mean, base_var, xim, max_disp);
  gene.reset(counts, size_factors, fitted_mean);
  auto fit = line_search(std::log(alpha_init), gene, std::log(kMinDisp / 10));
  double estimate = std::min(std::exp(fit.log_alpha), max_disp);
  const auto no_gain = [](double last, double initial) { return last < initial + std::abs(initial) / 1e6; };
  const double no_gain_margin = fit.initial->fast() + std::abs(fit.initial->fast()) / 1e6 - fit.last->fast();
  if (decide(*fit.last, *fit.initial, 1.0 + 1e-6, no_gain, no_gain_margin)) estimate = alpha_init;
  const bool converged = fit.iterations < kMaxIt && fit.iterations != 1;
  if (!converged && estimate > kMinDisp * 10) estimate = grid_search(gene, max_disp);
  return std::min(std::max(estimate, kMinDisp), max_disp);
}

}  // namespace

GeneDispersions estimate_gene_dispersions(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                                          const Eigen::MatrixXd* norm_factors) {
  const auto n_genes = static_cast<std::size_t>(counts.rows());
  const std::size_t m = size_factors.size();
  const double max_disp = std::max(10.0, static_cast<double>(m));
  std::vector<double> inverse(m);
  std::vector<char> not_all_zero;
  if (norm_factors != nullptr) {
    not_all_zero.resize(n_genes);
    for (std::size_t g = 0; g < n_genes; ++g) not_all_zero[g] = !(counts.row(static_cast<Eigen::Index>(g)).array() == 0).all();
  }
  for (std::size_t j = 0; j < m; ++j) {
    if (norm_factors == nullptr) {
      inverse[j] = 1.0 / size_factors[j];
    } else {  // colMeans(normalizationFactors) over the genes not all zero (objectNZ), long double as R's
      long double sum = 0;
      std::size_t n_used = 0;
      for (std::size_t g = 0; g < n_genes; ++g) {
        if (!not_all_zero[g]) continue;
        sum += static_cast<long double>((*norm_factors)(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(j)));
        ++n_used;
      }
      inverse[j] = 1.0 / static_cast<double>(sum / static_cast<long double>(n_used));
    }
  }
  const double xim = matrix::r_mean(inverse);
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
    std::vector<double> normalized(m), gene_factors = size_factors;
    GeneLikelihood likelihood;
    for (std::size_t g = first; g < last; ++g) {
      const double* row = rows.data() + (g - first) * m;
      if (norm_factors != nullptr) {
        for (std::size_t j = 0; j < m; ++j) gene_factors[j] = (*norm_factors)(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(j));
      }
      long double sum = 0;
      bool all_zero = true;
      for (std::size_t j = 0; j < m; ++j) {
        normalized[j] = row[j] / gene_factors[j];
        sum += static_cast<long double>(normalized[j]);
        all_zero = all_zero && row[j] == 0;
      }
      out.base_mean[g] = static_cast<double>(sum / static_cast<long double>(m));
      if (!all_zero) out.estimate[g] = fit_one_gene(row, normalized, out.base_mean[g], gene_factors, xim, max_disp, likelihood);
    }
  });
  return out;
}

}  // namespace ifnsig::norm
