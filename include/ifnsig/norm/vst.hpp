// Owns: DESeq2's variance stabilizing transformation, both varianceStabilizingTransformation(blind=TRUE)
//       (trend from all genes) and vst(nsub=1000) (trend from a subsample): with the parametric dispersion
//       trend (closed form), or with the local (locfit) trend, which DESeq2 substitutes when the parametric
//       fit fails, through DESeq2's numerical integration (trapezoids on an asinh grid, an "fmm" spline, and
//       the scaling that maps the 95% and 99.9% quantiles of the genes' mean normalized counts to log2).
// Thread-safety: pure functions; TBB parallelism over genes and samples, thread-count independent.
// Invariant: with the parametric trend a sample's transform depends only on its counts, its size factor and
//            the trend; with the local trend it also depends on the cohort (grid range and scaling).
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "ifnsig/norm/dispersion.hpp"
#include "ifnsig/norm/local_trend.hpp"

namespace ifnsig::norm {

constexpr std::size_t kVstSubsample = 1000;

// DESeq2's fitType: parametric (falling back to local when the fit fails, as DESeq2 does) or local.
enum class VstFit { kParametric, kLocal };
VstFit parse_vst_fit(const std::string& name);  // throws UsageError

using VstTrend = std::variant<DispersionTrend, LocalDispersionTrend>;

// Fits the trend on all genes (n_subsample == 0) or on DESeq2's vst() subsample of genes with mean
// normalized count > 5. Logs a warning when the parametric fit fails and the local trend replaces it.
// Throws InputError when no gene-wise dispersion exceeds 1e-6 or too few genes qualify.
// `norm_factors` (genes x samples), when not null, replaces the size factors (DESeq2's normalizationFactors).
VstTrend fit_vst_trend(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                       std::size_t n_subsample, VstFit fit, const Eigen::MatrixXd* norm_factors = nullptr);

// log2 scale: ((1 + a1 + 2 a0 q + 2 sqrt(a0 q (1 + a1 + a0 q))) / (4 a0)), q = count / size factor.
Eigen::MatrixXd apply_vst(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                          const DispersionTrend& trend, const Eigen::MatrixXd* norm_factors = nullptr);

// DESeq2's getVarianceStabilizedData for a local trend, on the whole cohort `counts`.
Eigen::MatrixXd apply_local_vst(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                                const LocalDispersionTrend& trend);

// The genes vst() fits on: o[round(seq(1, n, length = n_subsample))] of the genes with mean > 5,
// ordered by mean (ties in input order).
std::vector<std::size_t> vst_subsample_rows(const std::vector<double>& base_mean, std::size_t n_subsample);

}  // namespace ifnsig::norm
