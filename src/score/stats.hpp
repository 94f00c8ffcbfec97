// Owns: the small statistics the scoring methods share, with R's conventions (median of an even count is
//       the mean of the middle two, sd with n-1, mad with constant 1.4826, ranks with R's tie methods).
// Thread-safety: pure functions.
// Invariant: results equal R's median(), mean(), sd(), mad(), order() and rank() for finite input.
#pragma once
#include <Eigen/Dense>
#include <span>
#include <vector>

namespace ifnsig::score {

inline constexpr double kMadConstant = 1.4826;

double median(std::span<const double> values);  // norm's r_median; NaN for empty input
double mean(std::span<const double> values);
double sd(std::span<const double> values);  // n-1 denominator; NaN for fewer than 2 values
double mad(std::span<const double> values);

// Indices of `values` by increasing (or decreasing) value, equal values in index order: R's order(), also
// with decreasing=TRUE. -0.0 equals 0.0. A stable radix sort on the values' bits. `order` is resized.
void stable_order(std::span<const double> values, bool decreasing, std::vector<int>& order);

// Per gene (row) across the samples: the mean (summed in sample order) and the n-1 SD of the deviations from
// it, summed in sample order, as matrixStats' rowSds and GSVA's C sd() compute them.
struct RowMoments {
  std::vector<double> mean;
  std::vector<double> sd;
};
RowMoments row_moments(const Eigen::MatrixXd& values);

// GSVA 1.46 (.filterFeatures) drops the genes whose SD across the samples is below 1e-10 (or NA, with one
// sample) before gsva, zscore and plage: constant genes, and genes whose variation is rounding noise or
// underflows (a single value of 1e-200 among zeros), for which the Gaussian kernel would have no bandwidth.
inline constexpr double kGsvaMinSd = 1e-10;
inline bool gsva_keeps_gene(double sd) { return sd >= kGsvaMinSd; }

enum class TieMethod { kAverage, kMin };
// R's rank(x, ties.method=...): 1 is the smallest. `ranks` is resized to values.size().
void rank(std::span<const double> values, TieMethod ties, std::vector<double>& ranks);

}  // namespace ifnsig::score
