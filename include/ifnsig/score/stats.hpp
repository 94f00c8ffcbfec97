// Owns: the small statistics the scoring methods share, with R's conventions (median of an even count is
//       the mean of the middle two, sd with n-1, mad with constant 1.4826, ranks with R's tie methods).
// Thread-safety: pure functions.
// Invariant: results equal R's median(), mean(), sd(), mad() and rank() for finite input.
#pragma once
#include <span>
#include <vector>

namespace ifnsig::score {

inline constexpr double kMadConstant = 1.4826;

double median(std::span<const double> values);  // copies; NaN for empty input
double mean(std::span<const double> values);
double sd(std::span<const double> values);  // n-1 denominator; NaN for fewer than 2 values
double mad(std::span<const double> values);

enum class TieMethod { kAverage, kMin };
// R's rank(x, ties.method=...): 1 is the smallest. `ranks` is resized to values.size().
void rank(std::span<const double> values, TieMethod ties, std::vector<double>& ranks);

}  // namespace ifnsig::score
