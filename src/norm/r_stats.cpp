#include "ifnsig/norm/r_stats.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <cmath>
#include <limits>
#include <numeric>

namespace ifnsig {

double r_median(std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t half = (n + 1) / 2 - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half), values.end());
  const double lower = values[half];
  if (n % 2 == 1) return lower;
  const double upper = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(half) + 1, values.end());
  return static_cast<double>((static_cast<long double>(lower) + upper) / 2);
}

double r_quantile7(std::vector<double>& values, double p) {
  const std::size_t n = values.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double index = 1 + static_cast<double>(n - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(index));
  const auto hi = static_cast<std::size_t>(std::ceil(index));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo - 1), values.end());
  const double x_lo = values[lo - 1];
  if (hi == lo) return x_lo;
  const double x_hi = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
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

}  // namespace ifnsig
