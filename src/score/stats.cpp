#include "stats.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>

#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::score {

double median(std::span<const double> values) { return matrix::r_median(values); }

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

RowMoments row_moments(const Eigen::MatrixXd& values) {
  const auto n = static_cast<double>(values.cols());
  // Column by column: each gene's terms are still added in sample order.
  Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(values.rows());
  for (Eigen::Index j = 0; j < values.cols(); ++j) sum += values.col(j).array();
  const Eigen::ArrayXd mean = sum / n;
  Eigen::ArrayXd squares = Eigen::ArrayXd::Zero(values.rows());
  for (Eigen::Index j = 0; j < values.cols(); ++j) squares += (values.col(j).array() - mean).square();
  const Eigen::ArrayXd sd = (squares / (n - 1.0)).sqrt();
  return {std::vector<double>(mean.begin(), mean.end()), std::vector<double>(sd.begin(), sd.end())};
}

double mad(std::span<const double> values) {
  const double center = median(values);
  std::vector<double> deviations(values.size());
  std::transform(values.begin(), values.end(), deviations.begin(), [&](double v) { return std::fabs(v - center); });
  return kMadConstant * median(deviations);
}

namespace {

// Unsigned keys in the order of the doubles: flip every bit of negatives, the sign bit of the others.
std::uint64_t ascending_key(double value) {
  if (value == 0.0) value = 0.0;  // -0.0 ties with 0.0
  const auto bits = std::bit_cast<std::uint64_t>(value);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

}  // namespace

void stable_order(std::span<const double> values, bool decreasing, std::vector<int>& order) {
  const std::size_t n = values.size();
  std::vector<std::uint64_t> keys(n);
  std::vector<std::uint64_t> next_keys(n);
  std::vector<int> next_order(n);
  order.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = ascending_key(values[i]);
    keys[i] = decreasing ? ~key : key;
    order[i] = static_cast<int>(i);
  }
  // Least significant digit first; each pass is stable, so equal keys keep their index order.
  constexpr int kDigitBits = 11;
  constexpr std::uint64_t kDigitMask = (std::uint64_t{1} << kDigitBits) - 1;
  std::array<std::size_t, kDigitMask + 1> slot{};
  for (int shift = 0; shift < 64 && n > 1; shift += kDigitBits) {
    slot.fill(0);
    for (std::uint64_t key : keys) ++slot[(key >> shift) & kDigitMask];
    if (slot[(keys[0] >> shift) & kDigitMask] == n) continue;  // one digit value: the pass changes nothing
    std::size_t start = 0;
    for (std::size_t& s : slot) start += std::exchange(s, start);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = slot[(keys[i] >> shift) & kDigitMask]++;
      next_keys[to] = keys[i];
      next_order[to] = order[i];
    }
    keys.swap(next_keys);
    order.swap(next_order);
  }
}

void rank(std::span<const double> values, TieMethod ties, std::vector<double>& ranks) {
  const std::size_t n = values.size();
  std::vector<int> order;
  stable_order(values, false, order);
  ranks.resize(n);
  for (std::size_t start = 0; start < n;) {
    const double tied = values[static_cast<std::size_t>(order[start])];
    std::size_t end = start + 1;
    while (end < n && values[static_cast<std::size_t>(order[end])] == tied) ++end;
    // order[start..end) is one tie group holding the 1-based ranks start+1..end
    const double value = ties == TieMethod::kMin ? static_cast<double>(start + 1)
                                                 : (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t i = start; i < end; ++i) ranks[static_cast<std::size_t>(order[i])] = value;
    start = end;
  }
}

}  // namespace ifnsig::score
