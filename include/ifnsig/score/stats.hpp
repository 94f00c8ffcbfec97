// Owns: the small statistics the scoring methods share, with R's conventions (median of an even count is
//       the mean of the middle two, sd with n-1, mad with constant 1.4826, ranks with R's tie methods).
// Thread-safety: pure functions.
// Invariant: results equal R's median(), mean(), sd(), mad(), order() and rank() for finite input.
#pragma once
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

enum class TieMethod { kAverage, kMin };
// R's rank(x, ties.method=...): 1 is the smallest. `ranks` is resized to values.size().
void rank(std::span<const double> values, TieMethod ties, std::vector<double>& ranks);

}  // namespace ifnsig::score
