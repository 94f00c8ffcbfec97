#include "ifnsig/score/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace ifnsig::score {

double median(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> copy(values.begin(), values.end());
  const std::size_t half = copy.size() / 2;
  std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(half), copy.end());
  const double upper = copy[half];
  if (copy.size() % 2 == 1) return upper;
  const double lower = *std::max_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(half));
  return (lower + upper) / 2.0;
}

double mean(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double sd(std::span<const double> values) {
  if (values.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const double m = mean(values);
  double sum = 0.0;
  for (double v : values) sum += (v - m) * (v - m);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

double mad(std::span<const double> values) {
  const double center = median(values);
  std::vector<double> deviations(values.size());
  std::transform(values.begin(), values.end(), deviations.begin(), [&](double v) { return std::fabs(v - center); });
  return kMadConstant * median(deviations);
}

void rank(std::span<const double> values, TieMethod ties, std::vector<double>& ranks) {
  const std::size_t n = values.size();
  // Sorting (value, index) pairs in place is faster than an indirect stable sort and gives the same order.
  std::vector<std::pair<double, std::size_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {values[i], i};
  std::sort(sorted.begin(), sorted.end());
  ranks.resize(n);
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && sorted[end].first == sorted[start].first) ++end;
    // sorted[start..end) is one tie group holding the 1-based ranks start+1..end
    const double value = ties == TieMethod::kMin ? static_cast<double>(start + 1)
                                                 : (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t i = start; i < end; ++i) ranks[sorted[i].second] = value;
    start = end;
  }
}

}  // namespace ifnsig::score
