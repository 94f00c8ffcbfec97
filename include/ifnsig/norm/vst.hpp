// Owns: DESeq2's variance stabilizing transformation with the parametric dispersion trend, both
//       varianceStabilizingTransformation(blind=TRUE) (all genes) and vst(nsub=1000) (a subsample).
// Thread-safety: pure functions; TBB parallelism over genes and samples, thread-count independent.
// Invariant: the transform of a sample depends only on its counts, its size factor and the trend.
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "ifnsig/norm/dispersion.hpp"

namespace ifnsig {

constexpr std::size_t kVstSubsample = 1000;

// Fits the trend on all genes (n_subsample == 0) or on DESeq2's vst() subsample of genes with mean
// normalized count > 5. Throws InputError when the parametric fit fails (DESeq2 would switch to a
// locfit "local" trend, which ifnsig does not reproduce) or when too few genes qualify.
DispersionTrend fit_vst_trend(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                              std::size_t n_subsample);

// log2 scale: ((1 + a1 + 2 a0 q + 2 sqrt(a0 q (1 + a1 + a0 q))) / (4 a0)), q = count / size factor.
Eigen::MatrixXd apply_vst(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                          const DispersionTrend& trend);

// The genes vst() fits on: o[round(seq(1, n, length = n_subsample))] of the genes with mean > 5,
// ordered by mean (ties in input order).
std::vector<std::size_t> vst_subsample_rows(const std::vector<double>& base_mean, std::size_t n_subsample);

}  // namespace ifnsig
