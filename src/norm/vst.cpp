#include "ifnsig/norm/vst.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"

namespace ifnsig {
namespace {

std::vector<double> row_normalized_means(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors) {
  std::vector<double> means(static_cast<std::size_t>(counts.rows()));
  tbb::parallel_for(Eigen::Index{0}, counts.rows(), [&](Eigen::Index g) {
    long double sum = 0;
    for (Eigen::Index j = 0; j < counts.cols(); ++j) sum += counts(g, j) / size_factors[static_cast<std::size_t>(j)];
    means[static_cast<std::size_t>(g)] = static_cast<double>(sum / static_cast<long double>(counts.cols()));
  });
  return means;
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

DispersionTrend fit_vst_trend(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                              std::size_t n_subsample) {
  if (counts.cols() < 2) {
    throw InputError("counts", "", "VST needs at least two samples to estimate dispersions",
                     "normalize new samples against a frozen reference (--reference)");
  }
  GeneDispersions dispersions;
  if (n_subsample == 0) {
    dispersions = estimate_gene_dispersions(counts, size_factors);
  } else {
    if (static_cast<std::size_t>(counts.rows()) < n_subsample) {
      throw InputError("counts", "", "fewer than " + std::to_string(n_subsample) + " genes for vst()",
                       "use --vst-genes all (DESeq2's varianceStabilizingTransformation)");
    }
    const auto rows = vst_subsample_rows(row_normalized_means(counts, size_factors), n_subsample);
    dispersions = estimate_gene_dispersions(pick_rows(counts, rows), size_factors);
  }
  std::string why;
  const auto trend = fit_parametric_trend(dispersions, why);
  if (!trend) {
    throw InputError("counts", "", "the parametric dispersion trend of the VST failed (" + why +
                                       "); DESeq2 would switch to a local (locfit) trend, which ifnsig does not reproduce",
                     "use --transform logcpm or log2, or run DESeq2 with fitType=\"local\" for this cohort");
  }
  log_info("VST dispersion trend: asymptDisp " + std::to_string(trend->asympt_disp) + ", extraPois " +
           std::to_string(trend->extra_pois));
  return *trend;
}

Eigen::MatrixXd apply_vst(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                          const DispersionTrend& trend) {
  const double a0 = trend.asympt_disp, a1 = trend.extra_pois;
  Eigen::MatrixXd out(counts.rows(), counts.cols());
  tbb::parallel_for(Eigen::Index{0}, counts.cols(), [&](Eigen::Index j) {
    const double sf = size_factors[static_cast<std::size_t>(j)];
    for (Eigen::Index g = 0; g < counts.rows(); ++g) {
      const double q = counts(g, j) / sf;
      out(g, j) = std::log((1 + a1 + 2 * a0 * q + 2 * std::sqrt(a0 * q * (1 + a1 + a0 * q))) / (4 * a0)) / std::log(2.0);
    }
  });
  return out;
}

}  // namespace ifnsig
