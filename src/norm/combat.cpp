#include "ifnsig/norm/combat.hpp"

#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::norm {
namespace {

using Index = Eigen::Index;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr double kConvergence = 1e-4;
constexpr Index kGenesPerBlock = 64;

std::vector<std::vector<Index>> samples_by_batch(const CombatDesign& design, std::size_t n_batch) {
  std::vector<std::vector<Index>> out(n_batch);
  for (std::size_t j = 0; j < design.batch.size(); ++j) out[design.batch[j]].push_back(static_cast<Index>(j));
  return out;
}

// Rows [first, last) of `rows` gathered into a row-major block. The data are column-major, so reading a gene
// across its samples directly would touch one page per sample; a block reads each column's rows together.
RowMatrix gather_rows(const Eigen::MatrixXd& data, const std::vector<Index>& rows, Index first, Index last) {
  RowMatrix block(last - first, data.cols());
  for (Index j = 0; j < data.cols(); ++j) {
    for (Index k = first; k < last; ++k) block(k - first, j) = data(rows[static_cast<std::size_t>(k)], j);
  }
  return block;
}

// Runs body(k, values of gene rows[k]) for every k, in parallel over blocks of genes.
template <typename Body>
void for_each_gene_row(const Eigen::MatrixXd& data, const std::vector<Index>& rows, Body body) {
  const auto n = static_cast<Index>(rows.size());
  tbb::parallel_for(Index{0}, (n + kGenesPerBlock - 1) / kGenesPerBlock, [&](Index block) {
    const Index first = block * kGenesPerBlock, last = std::min(n, first + kGenesPerBlock);
    const RowMatrix values = gather_rows(data, rows, first, last);
    for (Index k = first; k < last; ++k) body(k, values.row(k - first));
  });
}

// ComBat leaves genes that are constant within any batch of two or more samples unadjusted.
std::vector<char> adjustable_genes(const Eigen::MatrixXd& data, const std::vector<std::vector<Index>>& batches) {
  std::vector<Index> all(static_cast<std::size_t>(data.rows()));
  std::iota(all.begin(), all.end(), Index{0});
  std::vector<char> keep(all.size(), 1);
  for_each_gene_row(data, all, [&](Index g, const auto& values) {
    for (const auto& members : batches) {
      if (members.size() < 2) continue;
      bool constant = true;
      for (const Index j : members) constant = constant && values[j] == values[members.front()];
      if (constant) keep[static_cast<std::size_t>(g)] = 0;
    }
  });
  return keep;
}

Eigen::MatrixXd design_matrix(const CombatDesign& design, std::size_t n_batch) {
  const auto n = static_cast<Index>(design.batch.size());
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, static_cast<Index>(n_batch) + design.covariates.cols());
  for (Index j = 0; j < n; ++j) x(j, static_cast<Index>(design.batch[static_cast<std::size_t>(j)])) = 1;
  x.rightCols(design.covariates.cols()) = design.covariates;
  return x;
}

double row_mean(const RowMatrix& m, Index g, const std::vector<Index>& cols) {
  long double sum = 0;
  for (const Index j : cols) sum += m(g, j);
  return static_cast<double>(sum / static_cast<long double>(cols.size()));
}

struct Priors {
  double gamma_bar, t2, a, b;
};

Priors batch_priors(const Eigen::VectorXd& gamma_hat, const Eigen::VectorXd& delta_hat) {
  const std::span<const double> g(gamma_hat.data(), static_cast<std::size_t>(gamma_hat.size()));
  const std::span<const double> d(delta_hat.data(), static_cast<std::size_t>(delta_hat.size()));
  long double sum = 0;
  for (const double v : g) sum += v;
  const double m = matrix::r_mean(d), s2 = matrix::r_var(d);
  return {static_cast<double>(sum / static_cast<long double>(g.size())), matrix::r_var(g), (2 * s2 + m * m) / s2,
          (m * s2 + m * m * m) / s2};
}

// sva:::it.sol for one batch: alternate posterior means of gamma and delta until the largest relative change
// over all genes is below 1e-4.
void it_sol(const RowMatrix& s, const std::vector<Index>& members, const Priors& p, Eigen::Ref<Eigen::VectorXd> g_hat,
            Eigen::Ref<Eigen::VectorXd> d_hat) {
  const auto n = static_cast<double>(members.size());
  Eigen::VectorXd g_old = g_hat, d_old = d_hat, g_new(g_hat.size()), d_new(g_hat.size());
  double change = 1;
  while (change > kConvergence) {
    change = tbb::parallel_reduce(
        tbb::blocked_range<Index>(0, g_hat.size(), 256), -INFINITY,
        [&](const tbb::blocked_range<Index>& range, double local) {
          for (Index g = range.begin(); g < range.end(); ++g) {
            g_new[g] = (p.t2 * n * g_hat[g] + d_old[g] * p.gamma_bar) / (p.t2 * n + d_old[g]);
            long double sum2 = 0;
            for (const Index j : members) sum2 += (s(g, j) - g_new[g]) * (s(g, j) - g_new[g]);
            d_new[g] = (0.5 * static_cast<double>(sum2) + p.b) / (n / 2 + p.a - 1);
            local = std::max({local, std::abs(g_new[g] - g_old[g]) / g_old[g], std::abs(d_new[g] - d_old[g]) / d_old[g]});
          }
          return local;
        },
        [](double a, double b) { return std::max(a, b); });
    g_old = g_new;
    d_old = d_new;
  }
  g_hat = g_new;
  d_hat = d_new;
}

// sva:::int.eprior: each gene's posterior from the empirical distribution of the other genes' estimates.
void int_eprior(const RowMatrix& s, const std::vector<Index>& members, Eigen::Ref<Eigen::VectorXd> g_hat,
                Eigen::Ref<Eigen::VectorXd> d_hat) {
  const Index n_genes = g_hat.size();
  const auto n = static_cast<double>(members.size());
  Eigen::VectorXd g_star(n_genes), d_star(n_genes);
  tbb::parallel_for(Index{0}, n_genes, [&](Index i) {
    long double sum_g = 0, sum_d = 0, sum_lh = 0;
    for (Index k = 0; k < n_genes; ++k) {
      if (k == i) continue;
      double sum2 = 0;
      for (const Index j : members) sum2 += (s(i, j) - g_hat[k]) * (s(i, j) - g_hat[k]);
      double lh = 1 / std::pow(2 * std::numbers::pi * d_hat[k], n / 2) * std::exp(-sum2 / (2 * d_hat[k]));
      if (std::isnan(lh)) lh = 0;
      sum_g += g_hat[k] * lh;
      sum_d += d_hat[k] * lh;
      sum_lh += lh;
    }
    g_star[i] = static_cast<double>(sum_g) / static_cast<double>(sum_lh);
    d_star[i] = static_cast<double>(sum_d) / static_cast<double>(sum_lh);
  });
  g_hat = g_star;
  d_hat = d_star;
}

void check_design(const Eigen::MatrixXd& x, std::size_t n_batch) {
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < x.cols()) {
    throw InputError("sample sheet", "", x.cols() == static_cast<Index>(n_batch) + 1 || x.cols() > static_cast<Index>(n_batch)
                         ? "the covariates are confounded with the batch (the design has rank " +
                               std::to_string(qr.rank()) + " < " + std::to_string(x.cols()) + " columns)"
                         : "the batch design is singular",
                     "remove the confounded --covariate, or correct only for the batch");
  }
}

// m * v summed in column order, as reference BLAS does. Genes that are constant within a batch up to
// the last bit (all-zero genes on logCPM) have a pooled variance of pure rounding noise; sva's estimates
// over all genes depend on those bits, so the sums must be formed in R's order.
Eigen::VectorXd sequential_product(const Eigen::MatrixXd& m, const Eigen::VectorXd& v) {
  Eigen::VectorXd out = Eigen::VectorXd::Zero(m.rows());
  for (Index j = 0; j < m.cols(); ++j) {
    for (Index i = 0; i < m.rows(); ++i) out[i] += v[j] * m(i, j);
  }
  return out;
}

// Genes that pass sva's "not constant within a batch" test only through their last bits (all-zero genes on
// logCPM, whose values differ by rounding) have a pooled variance of rounding noise, so their standardized
// values are noise too; like sva, ComBat keeps them, and through the empirical Bayes priors they move every
// gene's adjustment by an amount that depends on the arithmetic (docs/normalize.md). Said once.
void warn_of_rounding_noise_genes(const CombatFit& fit, const std::vector<Index>& rows) {
  std::size_t noisy = 0;
  for (const Index g : rows) {
    const auto gi = static_cast<std::size_t>(g);
    if (fit.var_pooled[gi] <= 1e-20 * (1 + fit.grand_mean[gi] * fit.grand_mean[gi])) ++noisy;
  }
  if (noisy == 0) return;
  log_warning("ComBat: " + std::to_string(noisy) +
              " genes are constant across the samples up to rounding (e.g. genes with no reads); as in sva, "
              "their rounding noise enters the batch priors and shifts every gene's adjustment (up to 0.1 on "
              "log2 data in a tested cohort) by an amount that depends on the floating-point arithmetic. "
              "Remove such genes before ComBat for results that do not (see docs/normalize.md)");
}

// One gene's fit of the batch + covariate model (B.hat), its grand mean, pooled variance, and its
// standardized values (dat - stand.mean) / sqrt(var.pooled), in sva's order of operations.
void standardize_gene(CombatFit& fit, Index g, const Eigen::VectorXd& y, const Eigen::MatrixXd& x,
                      const Eigen::VectorXd& b_hat, const std::vector<std::vector<Index>>& batches,
                      const CombatDesign& design, Eigen::Ref<Eigen::RowVectorXd> s_row) {
  const auto n = static_cast<double>(x.rows());
  const auto n_batch = static_cast<Index>(batches.size());
  double grand = 0;
  for (Index b = 0; b < n_batch; ++b) grand += (static_cast<double>(batches[static_cast<std::size_t>(b)].size()) / n) * b_hat[b];
  const Eigen::VectorXd fitted = sequential_product(x, b_hat);
  double var_pooled = 0;
  for (Index j = 0; j < x.rows(); ++j) var_pooled += (y[j] - fitted[j]) * (y[j] - fitted[j]) * (1 / n);
  const Eigen::VectorXd cov = b_hat.tail(design.covariates.cols());
  const double root = std::sqrt(var_pooled);
  for (Index j = 0; j < x.rows(); ++j) s_row[j] = (y[j] - (grand + design.covariates.row(j).dot(cov))) / root;
  const auto gi = static_cast<std::size_t>(g);
  fit.grand_mean[gi] = grand;
  fit.var_pooled[gi] = var_pooled;
  fit.covariate_coefs.row(g) = cov.transpose();
}

}  // namespace

CombatLevels combat_levels(const std::vector<std::string>& batch, const std::vector<std::string>& covariate_names,
                           const std::vector<std::vector<std::string>>& covariates) {
  CombatLevels levels;
  const std::set<std::string> batches(batch.begin(), batch.end());
  levels.batches.assign(batches.begin(), batches.end());
  levels.covariate_names = covariate_names;
  for (const auto& column : covariates) {
    const std::set<std::string> values(column.begin(), column.end());
    levels.covariate_levels.emplace_back(values.begin(), values.end());
  }
  return levels;
}

CombatDesign combat_design(const CombatLevels& levels, const std::vector<std::string>& sample_ids,
                           const std::vector<std::string>& batch, const std::vector<std::vector<std::string>>& covariates) {
  CombatDesign design;
  Index n_columns = 0;
  for (const auto& lv : levels.covariate_levels) n_columns += static_cast<Index>(lv.size()) - 1;
  design.covariates = Eigen::MatrixXd::Zero(static_cast<Index>(sample_ids.size()), n_columns);
  for (std::size_t j = 0; j < sample_ids.size(); ++j) {
    const auto it = std::find(levels.batches.begin(), levels.batches.end(), batch[j]);
    if (it == levels.batches.end()) {
      throw InputError("sample " + quote_field(sample_ids[j]), "", "batch " + quote_field(batch[j]) + " is not one of the fitted batches",
                       "a frozen ComBat reference only adjusts samples from the batches it was fitted on");
    }
    design.batch.push_back(static_cast<std::size_t>(it - levels.batches.begin()));
    Index column = 0;
    for (std::size_t c = 0; c < covariates.size(); ++c) {
      const auto& lv = levels.covariate_levels[c];
      const auto level = std::find(lv.begin(), lv.end(), covariates[c][j]);
      if (level == lv.end()) {
        throw InputError("sample " + quote_field(sample_ids[j]), "",
                         levels.covariate_names[c] + " " + quote_field(covariates[c][j]) + " is not a fitted level");
      }
      const auto k = level - lv.begin();
      if (k > 0) design.covariates(static_cast<Index>(j), column + k - 1) = 1;
      column += static_cast<Index>(lv.size()) - 1;
    }
  }
  return design;
}

CombatFit fit_combat(const Eigen::MatrixXd& data, const CombatLevels& levels, const CombatDesign& design,
                     const CombatOptions& options) {
  const std::size_t n_batch = levels.batches.size();
  const auto batches = samples_by_batch(design, n_batch);
  CombatFit fit;
  fit.levels = levels;
  fit.parametric = options.parametric;
  fit.mean_only = options.mean_only;
  for (const auto& members : batches) fit.mean_only = fit.mean_only || members.size() == 1;
  fit.adjusted = adjustable_genes(data, batches);
  std::vector<Index> rows;
  for (std::size_t g = 0; g < fit.adjusted.size(); ++g) {
    if (fit.adjusted[g]) rows.push_back(static_cast<Index>(g));
  }
  const Eigen::MatrixXd x = design_matrix(design, n_batch);
  check_design(x, n_batch);
  const auto n_genes = data.rows();
  const auto n_kept = static_cast<Index>(rows.size());
  fit.grand_mean.assign(static_cast<std::size_t>(n_genes), 0.0);
  fit.var_pooled.assign(static_cast<std::size_t>(n_genes), 0.0);
  fit.covariate_coefs = Eigen::MatrixXd::Zero(n_genes, design.covariates.cols());
  // Standardized data of the adjusted genes, one contiguous row per gene (the only genes x samples
  // intermediate, to bound memory on large cohorts).
  RowMatrix s(n_kept, x.rows());
  Eigen::MatrixXd gamma(n_kept, static_cast<Index>(n_batch)), delta(n_kept, static_cast<Index>(n_batch));
  const auto lu = (x.transpose() * x).eval().partialPivLu();
  for_each_gene_row(data, rows, [&](Index k, const auto& gene) {
    const Index g = rows[static_cast<std::size_t>(k)];
    const Eigen::VectorXd y = gene.transpose();
    const Eigen::VectorXd b_hat = lu.solve(sequential_product(x.transpose(), y));
    standardize_gene(fit, g, y, x, b_hat, batches, design, s.row(k));
    for (std::size_t b = 0; b < n_batch; ++b) {
      const auto& members = batches[b];
      gamma(k, static_cast<Index>(b)) = row_mean(s, k, members);
      std::vector<double> values;
      for (const Index j : members) values.push_back(s(k, j));
      delta(k, static_cast<Index>(b)) = fit.mean_only ? 1.0 : matrix::r_var(values);
    }
  });
  warn_of_rounding_noise_genes(fit, rows);
  for (std::size_t b = 0; b < n_batch; ++b) {
    const auto col = static_cast<Index>(b);
    const Priors priors = batch_priors(gamma.col(col), delta.col(col));
    if (!options.parametric) {
      int_eprior(s, batches[b], gamma.col(col), delta.col(col));
    } else if (fit.mean_only) {
      gamma.col(col) = (priors.t2 * gamma.col(col).array() + priors.gamma_bar) / (priors.t2 + 1);
    } else {
      it_sol(s, batches[b], priors, gamma.col(col), delta.col(col));
    }
  }
  fit.gamma_star = Eigen::MatrixXd::Zero(n_genes, static_cast<Index>(n_batch));
  fit.delta_star = Eigen::MatrixXd::Ones(n_genes, static_cast<Index>(n_batch));
  for (Index k = 0; k < n_kept; ++k) {
    fit.gamma_star.row(rows[static_cast<std::size_t>(k)]) = gamma.row(k);
    fit.delta_star.row(rows[static_cast<std::size_t>(k)]) = delta.row(k);
  }
  return fit;
}

void apply_combat(const CombatFit& fit, Eigen::MatrixXd& data, const CombatDesign& design) {
  Eigen::MatrixXd& out = data;
  tbb::parallel_for(Index{0}, data.cols(), [&](Index j) {
    const auto b = static_cast<Index>(design.batch[static_cast<std::size_t>(j)]);
    for (Index g = 0; g < data.rows(); ++g) {
      const auto gi = static_cast<std::size_t>(g);
      if (!fit.adjusted[gi]) continue;
      const double stand = fit.grand_mean[gi] + fit.covariate_coefs.row(g).dot(design.covariates.row(j));
      const double root = std::sqrt(fit.var_pooled[gi]);
      const double standardized = (data(g, j) - stand) / root;
      out(g, j) = (standardized - fit.gamma_star(g, b)) / std::sqrt(fit.delta_star(g, b)) * root + stand;
    }
  });
}

}  // namespace ifnsig::norm
