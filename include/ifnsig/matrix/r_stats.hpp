// Owns: R's numeric conventions that the reference tools rely on (median, quantile type 7, ranks, var,
//       cumsum, seq(length.out) and splinefun(method = "fmm")).
// Thread-safety: pure functions.
// Invariant: results equal R's median(), quantile(type=7), rank(ties="average"), var(), cumsum(), seq() and
//            splinefun() for finite input.
#pragma once
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace ifnsig::matrix {

// The lo-th and hi-th smallest values (0-based, lo <= hi < size), in linear time: a histogram over
// equal-width value ranges finds the ranges holding those ranks, and only their values are then selected.
std::pair<double, double> order_statistics(std::span<const double> values, std::size_t lo, std::size_t hi);
// Mean of the two middle values when the count is even; NaN when empty.
double r_median(std::span<const double> values);
// quantile(values, p, type = 7); NaN when empty.
double r_quantile7(std::span<const double> values, double p);
// rank() with ties averaged (1-based).
std::vector<double> r_rank(std::span<const double> values);
// mean() with R's long-double accumulation.
double r_mean(std::span<const double> values);
// var() with the n-1 denominator (two passes, as R); NaN when fewer than two values.
double r_var(std::span<const double> values);
// sum() with long-double accumulation.
double r_sum(std::span<const double> values);
// cumsum() with long-double accumulation.
std::vector<double> r_cumsum(std::span<const double> values);
// seq(from, to, length.out = n), n >= 2: from + i * ((to - from) / (n - 1)), the last value exactly `to`.
std::vector<double> r_seq(double from, double to, std::size_t n);

// splinefun(x, y, method = "fmm") for strictly increasing x (Forsythe, Malcolm and Moler's end conditions:
// cubics through the first and last four points); outside [x1, xn] the end cubics are extended.
class FmmSpline {
 public:
  FmmSpline(std::vector<double> x, std::vector<double> y);
  double operator()(double u) const;

 private:
  std::vector<double> x_, y_, b_, c_, d_;
};

}  // namespace ifnsig::matrix
