// Owns: R's numeric conventions that the reference tools rely on (median, quantile type 7, ranks, var).
// Thread-safety: pure functions.
// Invariant: results equal R's median(), quantile(type=7), rank(ties="average") and var() for finite input.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

namespace ifnsig {

// Reorders `values`. Mean of the two middle values when the count is even; NaN when empty.
double r_median(std::vector<double>& values);
// quantile(values, p, type = 7); reorders `values`.
double r_quantile7(std::vector<double>& values, double p);
// rank() with ties averaged (1-based).
std::vector<double> r_rank(std::span<const double> values);
// mean() with R's long-double accumulation.
double r_mean(std::span<const double> values);
// var() with the n-1 denominator (two passes, as R); NaN when fewer than two values.
double r_var(std::span<const double> values);
// sum() with long-double accumulation.
double r_sum(std::span<const double> values);

}  // namespace ifnsig
