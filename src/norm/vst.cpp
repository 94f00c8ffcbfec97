#include "ifnsig/norm/vst.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/matrix/r_stats.hpp"
#include "ifnsig/matrix/row_reduce.hpp"

namespace ifnsig::norm {
namespace {

std::vector<double> row_normalized_means(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors) {
  const auto n = static_cast<long double>(counts.cols());
  return matrix::reduce_rows(
      counts, static_cast<long double>(0),
      [&](long double& sum, double v, Eigen::Index j) { sum += v / size_factors[static_cast<std::size_t>(j)]; },
      [n](long double sum) { return static_cast<double>(sum / n); });
}

// rowMeans(counts / normalizationFactors).
std::vector<double> row_offset_means(const Eigen::MatrixXd& counts, const Eigen::MatrixXd& norm_factors) {
  const Eigen::MatrixXd normalized = counts.array() / norm_factors.array();
  const auto n = static_cast<long double>(counts.cols());
  return matrix::reduce_rows(
      normalized, static_cast<long double>(0), [](long double& sum, double v, Eigen::Index) { sum += v; },
      [n](long double sum) { return static_cast<double>(sum / n); });
}

Eigen::MatrixXd pick_rows(const Eigen::MatrixXd& counts, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), counts.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.row(static_cast<Eigen::Index>(r)) = counts.row(static_cast<Eigen::Index>(rows[r]));
  }
  return out;
}

}  // namespace

std::vector<std::size_t> vst_subsample_rows(const std::vector<double>& base_mean, std::size_t n_subsample) {
  std::vector<std::size_t> high;
  for (std::size_t g = 0; g < base_mean.size(); ++g) {
    if (base_mean[g] > 5) high.push_back(g);
  }
  if (high.size() < n_subsample) {
    throw InputError("counts", "", "only " + std::to_string(high.size()) + " genes have a mean normalized count > 5; vst() needs " +
                                       std::to_string(n_subsample),
                     "use --vst-genes all (DESeq2's varianceStabilizingTransformation)");
  }
  std::stable_sort(high.begin(), high.end(), [&](std::size_t a, std::size_t b) { return base_mean[a] < base_mean[b]; });
  std::vector<std::size_t> rows;
  const double n = static_cast<double>(high.size());
  const double step = (n - 1) / static_cast<double>(n_subsample - 1);
  for (std::size_t k = 0; k < n_subsample; ++k) {
    const double position = k == 0 ? 1.0 : k + 1 == n_subsample ? n : 1.0 + static_cast<double>(k) * step;
    rows.push_back(high[static_cast<std::size_t>(std::nearbyint(position)) - 1]);
  }
  return rows;
}

VstFit parse_vst_fit(const std::string& name) {
  if (name == "parametric") return VstFit::kParametric;
  if (name == "local") return VstFit::kLocal;
  throw UsageError("--vst-fit must be 'parametric' or 'local', not " + quote_field(name));
}

VstTrend fit_vst_trend(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                       std::size_t n_subsample, VstFit fit, const Eigen::MatrixXd* norm_factors) {
  if (counts.cols() < 2) {
    throw InputError("counts", "", "VST needs at least two samples to estimate dispersions",
                     "normalize new samples against a frozen reference (--reference)");
  }
  GeneDispersions dispersions;
  if (n_subsample == 0) {
    dispersions = estimate_gene_dispersions(counts, size_factors, norm_factors);
  } else {
    if (static_cast<std::size_t>(counts.rows()) < n_subsample) {
      throw InputError("counts", "", "fewer than " + std::to_string(n_subsample) + " genes for vst()",
                       "use --vst-genes all (DESeq2's varianceStabilizingTransformation)");
    }
    const auto rows = vst_subsample_rows(norm_factors != nullptr ? row_offset_means(counts, *norm_factors)
                                                                 : row_normalized_means(counts, size_factors),
                                         n_subsample);
    if (norm_factors != nullptr) {
      const Eigen::MatrixXd picked_factors = pick_rows(*norm_factors, rows);
      dispersions = estimate_gene_dispersions(pick_rows(counts, rows), size_factors, &picked_factors);
    } else {
      dispersions = estimate_gene_dispersions(pick_rows(counts, rows), size_factors);
    }
  }
  const TrendGenes genes = trend_genes(dispersions);
  if (genes.means.empty()) {
    throw InputError("counts", "", "all gene-wise dispersion estimates are within 2 orders of magnitude of the minimum "
                                   "(1e-8); no dispersion trend can be fitted",
                     "use --transform logcpm or log2");
  }
  if (fit == VstFit::kLocal && norm_factors != nullptr) {
    throw UsageError("--vst-fit local cannot use average transcript lengths (DESeq2's local VST reads size factors, "
                     "which a DESeqDataSetFromTximport object with lengths does not have)",
                     "use --vst-fit parametric, or --counts-from-abundance lengthScaledTPM");
  }
  if (fit == VstFit::kParametric) {
    std::string why;
    if (const auto trend = fit_parametric_trend(genes, why)) {
      log_info("VST dispersion trend: parametric, asymptDisp " + std::to_string(trend->asympt_disp) + ", extraPois " +
               std::to_string(trend->extra_pois));
      return *trend;
    }
    if (norm_factors != nullptr) {
      throw InputError("counts", "", "the parametric dispersion trend of the VST failed (" + why +
                                         ") and DESeq2's local (locfit) fallback cannot use average transcript lengths",
                       "use --counts-from-abundance lengthScaledTPM, or --transform log2");
    }
    log_warning("the parametric dispersion trend of the VST failed (" + why +
                "); using the local (locfit) trend instead, as DESeq2 does");
  }
  auto trend = LocalDispersionTrend::fit(genes.means, genes.estimates);
  log_info("VST dispersion trend: local (locfit), " + std::to_string(trend.vertices().size()) + " vertices");
  return trend;
}

Eigen::MatrixXd apply_vst(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                          const DispersionTrend& trend, const Eigen::MatrixXd* norm_factors) {
  const double a0 = trend.asympt_disp, a1 = trend.extra_pois;
  Eigen::MatrixXd out(counts.rows(), counts.cols());
  tbb::parallel_for(Eigen::Index{0}, counts.cols(), [&](Eigen::Index j) {
    const double sf = size_factors[static_cast<std::size_t>(j)];
    for (Eigen::Index g = 0; g < counts.rows(); ++g) {
      const double q = counts(g, j) / (norm_factors != nullptr ? (*norm_factors)(g, j) : sf);
      out(g, j) = std::log((1 + a1 + 2 * a0 * q + 2 * std::sqrt(a0 * q * (1 + a1 + a0 * q))) / (4 * a0)) / std::log(2.0);
    }
  });
  return out;
}

Eigen::MatrixXd apply_local_vst(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                                const LocalDispersionTrend& trend) {
  double max_count = 0;
  for (Eigen::Index j = 0; j < counts.cols(); ++j) {
    const double sf = size_factors[static_cast<std::size_t>(j)];
    for (Eigen::Index g = 0; g < counts.rows(); ++g) max_count = std::max(max_count, counts(g, j) / sf);
  }
  // xg = sinh(seq(asinh(0), asinh(max), length.out = 1000))[-1]
  auto grid = matrix::r_seq(0, std::asinh(max_count), 1000);
  grid.erase(grid.begin());
  for (auto& x : grid) x = std::sinh(x);
  std::vector<double> inverse_factors(size_factors.size());
  for (std::size_t j = 0; j < size_factors.size(); ++j) inverse_factors[j] = 1 / size_factors[j];
  const double mean_inverse_factor = matrix::r_mean(inverse_factors);
  std::vector<double> integrand(grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const double base_variance = trend.at(grid[k]) * (grid[k] * grid[k]) + mean_inverse_factor * grid[k];
    integrand[k] = 1 / std::sqrt(base_variance);
  }
  // Trapezoids between grid points, accumulated; the spline runs in asinh of the midpoints.
  std::vector<double> nodes(grid.size() - 1), areas(grid.size() - 1);
  for (std::size_t k = 0; k + 1 < grid.size(); ++k) {
    nodes[k] = std::asinh((grid[k + 1] + grid[k]) / 2);
    areas[k] = (grid[k + 1] - grid[k]) * (integrand[k + 1] + integrand[k]) / 2;
  }
  const matrix::FmmSpline spline(std::move(nodes), matrix::r_cumsum(areas));
  const auto means = row_normalized_means(counts, size_factors);
  const double h1 = matrix::r_quantile7(means, 0.95);
  const double h2 = matrix::r_quantile7(means, 0.999);
  const double eta = (std::log2(h2) - std::log2(h1)) / (spline(std::asinh(h2)) - spline(std::asinh(h1)));
  const double xi = std::log2(h1) - eta * spline(std::asinh(h1));
  Eigen::MatrixXd out(counts.rows(), counts.cols());
  tbb::parallel_for(Eigen::Index{0}, counts.cols(), [&](Eigen::Index j) {
    const double sf = size_factors[static_cast<std::size_t>(j)];
    for (Eigen::Index g = 0; g < counts.rows(); ++g) out(g, j) = eta * spline(std::asinh(counts(g, j) / sf)) + xi;
  });
  return out;
}

}  // namespace ifnsig::norm
