#include "ifnsig/score/rank_methods.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "gaussian_kernel.hpp"
#include "stats.hpp"

namespace ifnsig::score {
namespace {

// Regularized upper incomplete gamma Q(a, x) (series below a+1, continued fraction above).
double gamma_q(double a, double x) {
  if (x <= 0) return 1.0;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1.0) {
    double term = 1.0 / a;
    double sum = term;
    for (double n = 1; n < 100000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * 1e-17) break;
    }
    return 1.0 - sum * std::exp(log_prefix);
  }
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (double i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-17) break;
  }
  return std::exp(log_prefix) * h;
}

// R's ppois(q, lambda): P(X <= floor(q + 1e-7)).
double poisson_cdf(double q, double lambda) {
  const double k = std::floor(q + 1e-7);
  if (k < 0) return 0.0;
  if (lambda == 0) return 1.0;
  return gamma_q(k + 1.0, lambda);
}

// One gene's density from its values across the samples and their SD (GSVA keeps genes with an SD of at
// least 1e-10, so the Gaussian bandwidth SD/4 is positive); `left_tail` is scratch of the same length.
void density_of_gene(std::span<const double> x, double sd, Kcdf kcdf, std::span<double> left_tail,
                     std::span<double> out) {
  const std::size_t n = x.size();
  if (kcdf == Kcdf::kNone) {
    std::vector<double> sorted(x.begin(), x.end());
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t j = 0; j < n; ++j) {
      const auto below = std::upper_bound(sorted.begin(), sorted.end(), x[j]) - sorted.begin();
      const double f = static_cast<double>(below) / static_cast<double>(n);
      out[j] = std::log(f / (1.0 - f));
    }
    return;
  }
  if (kcdf == Kcdf::kGaussian) {
    gaussian_left_tails(x, sd / 4.0, left_tail);
  } else {
    for (std::size_t j = 0; j < n; ++j) {
      left_tail[j] = 0.0;
      for (double xk : x) left_tail[j] += poisson_cdf(x[j], xk + 0.5);
    }
  }
  for (std::size_t j = 0; j < n; ++j) {
    const double tail = left_tail[j] / static_cast<double>(n);
    out[j] = -1.0 * std::log((1.0 - tail) / tail);
  }
}

std::vector<std::vector<char>> set_masks(const SetRows& sets, int n_genes) {
  std::vector<std::vector<char>> masks(sets.size(), std::vector<char>(static_cast<std::size_t>(n_genes), 0));
  for (std::size_t s = 0; s < sets.size(); ++s) {
    for (int row : sets[s]) masks[s][static_cast<std::size_t>(row)] = 1;
  }
  return masks;
}

double gsva_walk(const std::vector<int>& order, const std::vector<double>& weight, const std::vector<char>& mask,
                 const std::vector<int>& members, const GsvaOptions& options) {
  const auto p = static_cast<double>(order.size());
  const double decrement = 1.0 / (p - static_cast<double>(members.size()));
  double sum_set = 0.0;
  for (int g : members) sum_set += std::pow(weight[static_cast<std::size_t>(g)], options.tau);
  double cum = 0.0;
  double max_pos = 0.0;
  double max_neg = 0.0;
  for (int g : order) {
    const auto gi = static_cast<std::size_t>(g);
    if (mask[gi] != 0) {
      cum += std::pow(weight[gi], options.tau) / sum_set;
    } else {
      cum -= decrement;
    }
    max_pos = std::max(max_pos, cum);
    max_neg = std::min(max_neg, cum);
  }
  if (options.mx_diff) return options.abs_ranking ? max_pos - max_neg : max_pos + max_neg;
  return max_pos > std::fabs(max_neg) ? max_pos : max_neg;
}


// The density of the given expression rows, in that order, from their SDs (`sd`, by matrix row); one task
// per gene: identical at any -T. Genes run in blocks whose values are copied sample by sample into one
// contiguous row per gene (and the densities back), so the column-major matrix is read and written a cache
// line at a time, not one row element per line.
Eigen::MatrixXd density_of_rows(const Eigen::MatrixXd& expression, const std::vector<Eigen::Index>& rows,
                                const std::vector<double>& sd, Kcdf kcdf) {
  constexpr Eigen::Index kBlock = 16;
  const Eigen::Index n = expression.cols();
  const auto un = static_cast<std::size_t>(n);
  Eigen::MatrixXd density(static_cast<Eigen::Index>(rows.size()), n);
  tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, density.rows(), kBlock), [&](const auto& range) {
    std::vector<double> values(un * kBlock);
    std::vector<double> densities(un * kBlock);
    std::vector<double> left_tail(un);
    for (Eigen::Index first = range.begin(); first < range.end(); first += kBlock) {
      const Eigen::Index count = std::min(kBlock, range.end() - first);
      for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index g = 0; g < count; ++g) {
          values[static_cast<std::size_t>(g) * un + static_cast<std::size_t>(j)] =
              expression(rows[static_cast<std::size_t>(first + g)], j);
        }
      }
      for (Eigen::Index g = 0; g < count; ++g) {
        const std::size_t offset = static_cast<std::size_t>(g) * un;
        density_of_gene(std::span<const double>(values).subspan(offset, un),
                        sd[static_cast<std::size_t>(rows[static_cast<std::size_t>(first + g)])], kcdf, left_tail,
                        std::span<double>(densities).subspan(offset, un));
      }
      for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index g = 0; g < count; ++g) {
          density(first + g, j) = densities[static_cast<std::size_t>(g) * un + static_cast<std::size_t>(j)];
        }
      }
    }
  });
  return density;
}

}  // namespace

SetScores gsva(const Eigen::MatrixXd& expression, const SetRows& sets, const GsvaOptions& options) {
  // GSVA drops the genes constant across samples (up to an SD of 1e-10) before anything else.
  std::vector<int> new_row(static_cast<std::size_t>(expression.rows()), -1);
  std::vector<Eigen::Index> kept;
  const std::vector<double> sd = row_moments(expression).sd;
  for (Eigen::Index g = 0; g < expression.rows(); ++g) {
    if (gsva_keeps_gene(sd[static_cast<std::size_t>(g)])) {
      new_row[static_cast<std::size_t>(g)] = static_cast<int>(kept.size());
      kept.push_back(g);
    }
  }
  SetRows members(sets.size());
  SetScores result;
  for (std::size_t s = 0; s < sets.size(); ++s) {
    for (int row : sets[s]) {
      if (new_row[static_cast<std::size_t>(row)] >= 0) members[s].push_back(new_row[static_cast<std::size_t>(row)]);
    }
    result.n_used.push_back(static_cast<int>(members[s].size()));
  }
  const Eigen::MatrixXd density = density_of_rows(expression, kept, sd, options.kcdf);
  const int p = static_cast<int>(kept.size());
  const auto masks = set_masks(members, p);
  result.scores = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(sets.size()), expression.cols(),
                                            std::numeric_limits<double>::quiet_NaN());
  tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, expression.cols()), [&](const auto& range) {
    std::vector<int> order;
    std::vector<double> weight(static_cast<std::size_t>(p));
    for (Eigen::Index j = range.begin(); j != range.end(); ++j) {
      stable_order(std::span<const double>(density.col(j).data(), static_cast<std::size_t>(p)), true, order);
      for (int pos = 0; pos < p; ++pos) {
        weight[static_cast<std::size_t>(order[static_cast<std::size_t>(pos)])] =
            std::fabs(static_cast<double>(p - pos) - static_cast<double>(p) / 2.0);
      }
      for (std::size_t s = 0; s < sets.size(); ++s) {
        if (!members[s].empty()) {
          result.scores(static_cast<Eigen::Index>(s), j) = gsva_walk(order, weight, masks[s], members[s], options);
        }
      }
    }
  });
  return result;
}

SetScores ssgsea(const Eigen::MatrixXd& expression, const SetRows& sets, double alpha, bool normalize) {
  const int p = static_cast<int>(expression.rows());
  SetScores result;
  result.scores.resize(static_cast<Eigen::Index>(sets.size()), expression.cols());
  for (const auto& set : sets) result.n_used.push_back(static_cast<int>(set.size()));
  tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, expression.cols()), [&](const auto& range) {
    std::vector<double> ranks(static_cast<std::size_t>(p));
    std::vector<int> order;
    std::vector<int> position(static_cast<std::size_t>(p));
    for (Eigen::Index j = range.begin(); j != range.end(); ++j) {
      // GSVA ranks with average ties, stores the ranks as integers (floored) and orders genes by decreasing
      // rank, ties in row order. Floored average ranks of different values stay distinct, so that is the
      // order by decreasing value, ties in row order: one sort gives both.
      const double* values = expression.col(j).data();
      stable_order(std::span<const double>(values, static_cast<std::size_t>(p)), true, order);
      for (int start = 0; start < p;) {
        const double tied = values[order[static_cast<std::size_t>(start)]];
        int end = start + 1;
        while (end < p && values[order[static_cast<std::size_t>(end)]] == tied) ++end;
        // decreasing positions start..end-1 hold the ascending ranks p-end+1..p-start
        const double floored = std::floor((static_cast<double>(p - end + 1) + static_cast<double>(p - start)) / 2.0);
        for (int pos = start; pos < end; ++pos) {
          const auto gene = static_cast<std::size_t>(order[static_cast<std::size_t>(pos)]);
          ranks[gene] = floored;
          position[gene] = pos + 1;
        }
        start = end;
      }
      for (std::size_t s = 0; s < sets.size(); ++s) {
        double weighted = 0.0;
        double weights = 0.0;
        double tail = 0.0;
        for (int g : sets[s]) {
          const double w = std::pow(std::fabs(ranks[static_cast<std::size_t>(g)]), alpha);
          const double after = static_cast<double>(p - position[static_cast<std::size_t>(g)] + 1);
          weighted += w * after;
          weights += w;
          tail += after;
        }
        const auto k = static_cast<double>(sets[s].size());
        const double n = static_cast<double>(p);
        result.scores(static_cast<Eigen::Index>(s), j) = weighted / weights - (n * (n + 1.0) / 2.0 - tail) / (n - k);
      }
    }
  });
  if (normalize && result.scores.size() > 0) {
    const double range = result.scores.maxCoeff() - result.scores.minCoeff();
    if (range > 0) result.scores /= range;
  }
  return result;
}

SetScores singscore(const Eigen::MatrixXd& expression, const SetRows& sets, bool known_direction) {
  const auto n_genes = static_cast<std::size_t>(expression.rows());
  SetScores result;
  result.scores.resize(static_cast<Eigen::Index>(sets.size()), expression.cols());
  result.dispersion.resize(static_cast<Eigen::Index>(sets.size()), expression.cols());
  for (const auto& set : sets) result.n_used.push_back(static_cast<int>(set.size()));
  tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, expression.cols()), [&](const auto& range) {
    std::vector<double> ranks;
    std::vector<double> set_ranks;
    for (Eigen::Index j = range.begin(); j != range.end(); ++j) {
      rank(std::span<const double>(expression.col(j).data(), n_genes), TieMethod::kMin, ranks);
      if (!known_direction) {
        const double center = std::ceil(median(ranks));
        for (double& r : ranks) r = std::fabs(r - center);
      }
      for (std::size_t s = 0; s < sets.size(); ++s) {
        set_ranks.clear();
        for (int g : sets[s]) set_ranks.push_back(ranks[static_cast<std::size_t>(g)]);
        double k = static_cast<double>(set_ranks.size());
        double n = static_cast<double>(n_genes);
        if (!known_direction) {
          k = std::floor(k / 2.0);
          n = std::ceil(n / 2.0);
        }
        const double low = (k + 1.0) / 2.0;
        const double high = (2.0 * n - k + 1.0) / 2.0;
        const double scaled = (mean(set_ranks) - low) / (high - low);
        const auto row = static_cast<Eigen::Index>(s);
        result.scores(row, j) = known_direction ? scaled - 0.5 : scaled;
        result.dispersion(row, j) = mad(set_ranks);
      }
    }
  });
  return result;
}

}  // namespace ifnsig::score
