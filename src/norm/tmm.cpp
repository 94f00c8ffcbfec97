// edgeR's trimmed mean of M-values, transcribed from .calcFactorTMM and .calcFactorTMMwsp (edgeR 3.40).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>
#include <vector>

#include "ifnsig/matrix/r_stats.hpp"
#include "ifnsig/norm/size_factors.hpp"

namespace ifnsig::norm {
namespace {

constexpr double kLogratioTrim = 0.3;
constexpr double kSumTrim = 0.05;
constexpr double kAcutoff = -1e10;

// R's order() on one or two keys: stable, ties keep input order.
std::vector<std::size_t> r_order(const std::vector<double>& key, const std::vector<double>* second = nullptr) {
  std::vector<std::size_t> order(key.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (key[a] != key[b]) return key[a] < key[b];
    return second != nullptr && (*second)[a] < (*second)[b];
  });
  return order;
}

std::vector<char> keep_middle(const std::vector<std::size_t>& order, double trim) {
  const std::size_t n = order.size();
  const auto lo = static_cast<std::size_t>(static_cast<double>(n) * trim) + 1;
  const std::size_t hi = n + 1 - lo;
  std::vector<char> keep(n, 0);
  for (std::size_t k = lo; k <= hi; ++k) keep[order[k - 1]] = 1;
  return keep;
}

// The values whose R rank (ties averaged) lies within [lo, hi], found in linear time: values strictly between
// the lo-th and hi-th order statistics always qualify; values equal to either get their tie group's average rank.
class RankWindow {
 public:
  RankWindow(const std::vector<double>& values, double lo, double hi) {
    std::tie(v_lo_, v_hi_) =
        matrix::order_statistics(values, static_cast<std::size_t>(lo) - 1, static_cast<std::size_t>(hi) - 1);
    std::size_t below_lo = 0, equal_lo = 0, below_hi = 0, equal_hi = 0;
    for (const double v : values) {
      below_lo += v < v_lo_ ? 1 : 0;
      equal_lo += v == v_lo_ ? 1 : 0;
      below_hi += v < v_hi_ ? 1 : 0;
      equal_hi += v == v_hi_ ? 1 : 0;
    }
    auto average_rank = [](std::size_t below, std::size_t equal) {
      return static_cast<double>(below) + static_cast<double>(equal + 1) / 2;
    };
    const double r_lo = average_rank(below_lo, equal_lo), r_hi = average_rank(below_hi, equal_hi);
    keep_lo_ = r_lo >= lo && r_lo <= hi;
    keep_hi_ = r_hi >= lo && r_hi <= hi;
  }

  bool contains(double x) const {
    return (x > v_lo_ && x < v_hi_) || (x == v_lo_ && keep_lo_) || (x == v_hi_ && keep_hi_);
  }

 private:
  double v_lo_ = 0, v_hi_ = 0;
  bool keep_lo_ = false, keep_hi_ = false;
};

}  // namespace

TmmReference::TmmReference(const double* ref, std::size_t n, double lib_ref)
    : share(n), log_share(n), variance(n) {
  for (std::size_t g = 0; g < n; ++g) {
    share[g] = ref[g] / lib_ref;
    log_share[g] = std::log2(share[g]);
    variance[g] = (lib_ref - ref[g]) / lib_ref / ref[g];
  }
}

// The same operations in the same order as edgeR's, so that the log ratios tie exactly where R's do; the
// reference column's terms come precomputed.
double tmm_factor(const double* obs, const TmmReference& ref, double lib_obs) {
  const std::size_t n = ref.share.size();
  std::vector<double> log_r, abs_e, v;
  log_r.reserve(n);
  abs_e.reserve(n);
  v.reserve(n);
  for (std::size_t g = 0; g < n; ++g) {
    if (obs[g] == 0 || ref.share[g] == 0) continue;  // an infinite or undefined log ratio, skipped below anyway
    const double share = obs[g] / lib_obs;
    const double lr = std::log2(share / ref.share[g]);
    const double ae = (std::log2(share) + ref.log_share[g]) / 2;
    if (!std::isfinite(lr) || !std::isfinite(ae) || !(ae > kAcutoff)) continue;
    log_r.push_back(lr);
    abs_e.push_back(ae);
    v.push_back((lib_obs - obs[g]) / lib_obs / obs[g] + ref.variance[g]);
  }
  double max_abs = -INFINITY;
  for (const double lr : log_r) max_abs = std::max(max_abs, std::abs(lr));
  if (max_abs < 1e-6) return 1.0;
  const auto count = static_cast<double>(log_r.size());
  const double lo_l = std::floor(count * kLogratioTrim) + 1, hi_l = count + 1 - lo_l;
  const double lo_s = std::floor(count * kSumTrim) + 1, hi_s = count + 1 - lo_s;
  const RankWindow window_r(log_r, lo_l, hi_l), window_e(abs_e, lo_s, hi_s);
  long double numerator = 0, denominator = 0;
  for (std::size_t k = 0; k < log_r.size(); ++k) {
    if (!window_r.contains(log_r[k]) || !window_e.contains(abs_e[k])) continue;
    numerator += log_r[k] / v[k];
    denominator += 1 / v[k];
  }
  double f = static_cast<double>(numerator) / static_cast<double>(denominator);
  if (std::isnan(f)) f = 0;
  return std::pow(2.0, f);
}

double tmmwsp_factor(const double* obs_in, const double* ref_in, std::size_t n_in, double lib_obs, double lib_ref) {
  constexpr double kEps = 1e-14;
  std::vector<double> obs, ref, single_obs, single_ref;
  std::size_t zero_obs = 0, zero_ref = 0;
  for (std::size_t g = 0; g < n_in; ++g) {
    const bool pos_obs = obs_in[g] > kEps, pos_ref = ref_in[g] > kEps;
    if (!pos_obs && !pos_ref) continue;
    if (pos_obs && pos_ref) {
      obs.push_back(obs_in[g]);
      ref.push_back(ref_in[g]);
      continue;
    }
    zero_obs += pos_obs ? 0 : 1;
    zero_ref += pos_ref ? 0 : 1;
    single_obs.push_back(obs_in[g]);
    single_ref.push_back(ref_in[g]);
  }
  // Pair the largest singletons of each side with each other.
  const std::size_t n_pairs = std::min(zero_obs, zero_ref);
  std::sort(single_obs.begin(), single_obs.end(), std::greater<>());
  std::sort(single_ref.begin(), single_ref.end(), std::greater<>());
  obs.insert(obs.end(), single_obs.begin(), single_obs.begin() + static_cast<std::ptrdiff_t>(n_pairs));
  ref.insert(ref.end(), single_ref.begin(), single_ref.begin() + static_cast<std::ptrdiff_t>(n_pairs));
  const std::size_t n = obs.size();
  if (n == 0) return 1.0;
  std::vector<double> m(n), a(n), m_shrunk(n);
  double max_abs = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double op = obs[k] / lib_obs, rp = ref[k] / lib_ref;
    m[k] = std::log2(op / rp);
    a[k] = 0.5 * std::log2(op * rp);
    max_abs = std::max(max_abs, std::abs(m[k]));
    m_shrunk[k] = std::log2(((obs[k] + 0.5) / (lib_obs + 0.5)) / ((ref[k] + 0.5) / (lib_ref + 0.5)));
  }
  if (max_abs < 1e-6) return 1.0;
  const auto keep_m = keep_middle(r_order(m, &m_shrunk), kLogratioTrim);
  const auto keep_a = keep_middle(r_order(a), kSumTrim);
  long double numerator = 0, denominator = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!keep_m[k] || !keep_a[k]) continue;
    const double op = obs[k] / lib_obs, rp = ref[k] / lib_ref;
    const double v = (1 - op) / op / lib_obs + (1 - rp) / rp / lib_ref;
    const double w = (1 + 1e-6) / (v + 1e-6);
    numerator += w * m[k];
    denominator += w;
  }
  return std::pow(2.0, static_cast<double>(numerator) / static_cast<double>(denominator));
}

}  // namespace ifnsig::norm
