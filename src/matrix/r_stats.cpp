#include "ifnsig/matrix/r_stats.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <cmath>
#include <limits>
#include <numeric>

namespace ifnsig::matrix {

namespace {

// Selection within `copy` (reordered): for short or non-finite input, where a histogram does not pay, and
// within the histogram's one or two ranges.
std::pair<double, double> select_by_sorting(std::vector<double> copy, std::size_t lo, std::size_t hi) {
  const auto lo_at = copy.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(copy.begin(), lo_at, copy.end());
  if (hi == lo) return {*lo_at, *lo_at};
  const auto hi_at = copy.begin() + static_cast<std::ptrdiff_t>(hi);
  std::nth_element(lo_at + 1, hi_at, copy.end());  // the hi-th value is among those after the lo-th
  return {*lo_at, *hi_at};
}

}  // namespace

std::pair<double, double> order_statistics(std::span<const double> values, std::size_t lo, std::size_t hi) {
  constexpr std::size_t kBuckets = 4096;
  if (values.size() < 4 * kBuckets) return select_by_sorting({values.begin(), values.end()}, lo, hi);
  // Four running minima and maxima keep the loop free of branches and of one long dependency chain.
  std::array<double, 4> mins, maxs;
  mins.fill(values[0]);
  maxs.fill(values[0]);
  const std::size_t n = values.size();
  for (std::size_t i = 0; i + 4 <= n; i += 4) {
    for (std::size_t k = 0; k < 4; ++k) {
      mins[k] = std::min(mins[k], values[i + k]);
      maxs[k] = std::max(maxs[k], values[i + k]);
    }
  }
  for (std::size_t i = n - n % 4; i < n; ++i) {
    mins[0] = std::min(mins[0], values[i]);
    maxs[0] = std::max(maxs[0], values[i]);
  }
  const double min = std::min(std::min(mins[0], mins[1]), std::min(mins[2], mins[3]));
  const double max = std::max(std::max(maxs[0], maxs[1]), std::max(maxs[2], maxs[3]));
  if (max == min) return {min, min};
  const double scale = static_cast<double>(kBuckets) / (max - min);
  if (!std::isfinite(min) || !std::isfinite(max) || !std::isfinite(scale)) {
    return select_by_sorting({values.begin(), values.end()}, lo, hi);
  }
  auto bucket = [&](double v) {  // monotone in v; every value equal to the maximum lands in the last bucket
    return std::min(kBuckets - 1, static_cast<std::size_t>((v - min) * scale));
  };
  std::array<std::uint32_t, kBuckets> counts{};
  for (const double v : values) ++counts[bucket(v)];
  std::size_t bucket_lo = 0, bucket_hi = 0, below_lo = 0, below_hi = 0, below = 0;
  for (std::size_t b = 0; below <= hi; below += counts[b++]) {
    if (below <= lo && lo < below + counts[b]) {
      bucket_lo = b;
      below_lo = below;
    }
    if (hi < below + counts[b]) {
      bucket_hi = b;
      below_hi = below;
    }
  }
  std::vector<double> low_part(counts[bucket_lo]), high_part(bucket_hi != bucket_lo ? counts[bucket_hi] : 0);
  double* low_end = low_part.data();
  double* high_end = high_part.data();
  for (const double v : values) {
    const auto b = bucket(v);
    if (b == bucket_lo) {
      *low_end++ = v;
    } else if (b == bucket_hi) {
      *high_end++ = v;
    }
  }
  if (bucket_hi == bucket_lo) return select_by_sorting(std::move(low_part), lo - below_lo, hi - below_lo);
  return {select_by_sorting(std::move(low_part), lo - below_lo, lo - below_lo).first,
          select_by_sorting(std::move(high_part), hi - below_hi, hi - below_hi).first};
}

double r_median(std::span<const double> values) {
  const std::size_t n = values.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t half = (n + 1) / 2 - 1;
  const auto [lower, upper] = order_statistics(values, half, n % 2 == 1 ? half : half + 1);
  if (n % 2 == 1) return lower;
  return static_cast<double>((static_cast<long double>(lower) + upper) / 2);
}

double r_quantile7(std::span<const double> values, double p) {
  const std::size_t n = values.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double index = 1 + static_cast<double>(n - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(index));
  const auto hi = static_cast<std::size_t>(std::ceil(index));
  const auto [x_lo, x_hi] = order_statistics(values, lo - 1, hi - 1);
  if (x_hi == x_lo) return x_lo;
  const double h = index - static_cast<double>(lo);
  return (1 - h) * x_lo + h * x_hi;
}

std::vector<double> r_rank(std::span<const double> values) {
  const std::size_t n = values.size();
  // Sorting (value, index) pairs directly is much faster than an indirect sort; tie order is irrelevant
  // because tied values share their average rank.
  std::vector<std::pair<double, std::uint32_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {values[i], static_cast<std::uint32_t>(i)};
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> ranks(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && sorted[j + 1].first == sorted[i].first) ++j;
    const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k) ranks[sorted[k].second] = average;
    i = j + 1;
  }
  return ranks;
}

double r_sum(std::span<const double> values) {
  long double sum = 0;
  for (const double v : values) sum += v;
  return static_cast<double>(sum);
}

double r_mean(std::span<const double> values) {
  const auto n = static_cast<long double>(values.size());
  long double sum = 0;
  for (const double v : values) sum += v;
  long double mean = sum / n;
  if (std::isfinite(static_cast<double>(mean))) {
    long double correction = 0;
    for (const double v : values) correction += v - mean;
    mean += correction / n;
  }
  return static_cast<double>(mean);
}

double r_var(std::span<const double> values) {
  const std::size_t n = values.size();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double mean = r_mean(values);
  long double sum = 0;
  for (const double v : values) sum += (v - mean) * (v - mean);
  return static_cast<double>(sum / static_cast<long double>(n - 1));
}

}  // namespace ifnsig::matrix

namespace ifnsig::matrix {

std::vector<double> r_cumsum(std::span<const double> values) {
  std::vector<double> sums(values.size());
  long double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    sums[i] = static_cast<double>(sum);
  }
  return sums;
}

std::vector<double> r_seq(double from, double to, std::size_t n) {
  std::vector<double> values(n);
  const double step = (to - from) / static_cast<double>(n - 1);
  for (std::size_t i = 0; i < n; ++i) values[i] = i == 0 ? from : i + 1 == n ? to : from + static_cast<double>(i) * step;
  return values;
}

// R's spline_coef for method "fmm" (src/library/stats/src/splines.c), 0-based.
FmmSpline::FmmSpline(std::vector<double> x, std::vector<double> y)
    : x_(std::move(x)), y_(std::move(y)), b_(x_.size()), c_(x_.size()), d_(x_.size()) {
  const std::size_t n = x_.size();
  auto& b = b_;
  auto& c = c_;
  auto& d = d_;
  const auto& xs = x_;
  const auto& ys = y_;
  if (n < 2) return;
  if (n < 3) {
    const double t = (ys[1] - ys[0]) / (xs[1] - xs[0]);
    b[0] = b[1] = t;
    return;
  }
  const std::size_t last = n - 1;
  // Tridiagonal system: b = diagonal, d = off-diagonal, c = right-hand side.
  d[0] = xs[1] - xs[0];
  c[1] = (ys[1] - ys[0]) / d[0];
  for (std::size_t i = 1; i < last; ++i) {
    d[i] = xs[i + 1] - xs[i];
    b[i] = 2 * (d[i - 1] + d[i]);
    c[i + 1] = (ys[i + 1] - ys[i]) / d[i];
    c[i] = c[i + 1] - c[i];
  }
  // End conditions: third derivatives at the ends from divided differences.
  b[0] = -d[0];
  b[last] = -d[last - 1];
  c[0] = c[last] = 0;
  if (n > 3) {
    c[0] = c[2] / (xs[3] - xs[1]) - c[1] / (xs[2] - xs[0]);
    c[last] = c[last - 1] / (xs[last] - xs[last - 2]) - c[last - 2] / (xs[last - 1] - xs[last - 3]);
    c[0] = c[0] * d[0] * d[0] / (xs[3] - xs[0]);
    c[last] = -c[last] * d[last - 1] * d[last - 1] / (xs[last] - xs[last - 3]);
  }
  for (std::size_t i = 1; i <= last; ++i) {  // elimination
    const double t = d[i - 1] / b[i - 1];
    b[i] = b[i] - t * d[i - 1];
    c[i] = c[i] - t * c[i - 1];
  }
  c[last] = c[last] / b[last];  // back substitution
  for (std::size_t i = last; i-- > 0;) c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
  // Cubic coefficients.
  b[last] = (ys[last] - ys[last - 1]) / d[last - 1] + d[last - 1] * (c[last - 1] + 2 * c[last]);
  for (std::size_t i = 0; i < last; ++i) {
    b[i] = (ys[i + 1] - ys[i]) / d[i] - d[i] * (c[i + 1] + 2 * c[i]);
    d[i] = (c[i + 1] - c[i]) / d[i];
    c[i] = 3 * c[i];
  }
  c[last] = 3 * c[last];
  d[last] = d[last - 1];
}

double FmmSpline::operator()(double u) const {
  // The interval with x[i] <= u < x[i+1] (the first below x[0], the last at or above x[n-1]).
  const auto upper = std::upper_bound(x_.begin() + 1, x_.end(), u);
  const auto i = static_cast<std::size_t>(upper - x_.begin()) - 1;
  const double dx = u - x_[i];
  return y_[i] + dx * (b_[i] + dx * (c_[i] + dx * d_[i]));
}

}  // namespace ifnsig::matrix
