// edgeR's trimmed mean of M-values, transcribed from .calcFactorTMM and .calcFactorTMMwsp (edgeR 3.40).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "ifnsig/norm/size_factors.hpp"

namespace ifnsig {
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

// Which values have an R rank (ties averaged) within [lo, hi], in linear time: values strictly between the
// lo-th and hi-th order statistics always do; values equal to either get their tie group's average rank.
std::vector<char> rank_within(const std::vector<double>& values, double lo, double hi) {
  std::vector<double> work = values;
  const auto lo_at = work.begin() + static_cast<std::ptrdiff_t>(lo) - 1;
  const auto hi_at = work.begin() + static_cast<std::ptrdiff_t>(hi) - 1;
  std::nth_element(work.begin(), lo_at, work.end());
  const double v_lo = *lo_at;
  std::nth_element(lo_at, hi_at, work.end());  // hi >= lo: the hi-th value is among those after the lo-th
  const double v_hi = *hi_at;
  std::size_t below_lo = 0, equal_lo = 0, below_hi = 0, equal_hi = 0;
  for (const double v : values) {
    below_lo += v < v_lo ? 1 : 0;
    equal_lo += v == v_lo ? 1 : 0;
    below_hi += v < v_hi ? 1 : 0;
    equal_hi += v == v_hi ? 1 : 0;
  }
  auto average_rank = [](std::size_t below, std::size_t equal) {
    return static_cast<double>(below) + static_cast<double>(equal + 1) / 2;
  };
  const double r_lo = average_rank(below_lo, equal_lo), r_hi = average_rank(below_hi, equal_hi);
  const bool keep_lo = r_lo >= lo && r_lo <= hi, keep_hi = r_hi >= lo && r_hi <= hi;
  std::vector<char> keep(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    keep[i] = (x > v_lo && x < v_hi) || (x == v_lo && keep_lo) || (x == v_hi && keep_hi);
  }
  return keep;
}

}  // namespace

double tmm_factor(const double* obs, const double* ref, std::size_t n, double lib_obs, double lib_ref) {
  std::vector<double> log_r, abs_e, v;
  log_r.reserve(n);
  abs_e.reserve(n);
  v.reserve(n);
  for (std::size_t g = 0; g < n; ++g) {
    if (obs[g] == 0 || ref[g] == 0) continue;  // an infinite or undefined log ratio, skipped below anyway
    const double lr = std::log2((obs[g] / lib_obs) / (ref[g] / lib_ref));
    const double ae = (std::log2(obs[g] / lib_obs) + std::log2(ref[g] / lib_ref)) / 2;
    if (!std::isfinite(lr) || !std::isfinite(ae) || !(ae > kAcutoff)) continue;
    log_r.push_back(lr);
    abs_e.push_back(ae);
    v.push_back((lib_obs - obs[g]) / lib_obs / obs[g] + (lib_ref - ref[g]) / lib_ref / ref[g]);
  }
  double max_abs = -INFINITY;
  for (const double lr : log_r) max_abs = std::max(max_abs, std::abs(lr));
  if (max_abs < 1e-6) return 1.0;
  const auto count = static_cast<double>(log_r.size());
  const double lo_l = std::floor(count * kLogratioTrim) + 1, hi_l = count + 1 - lo_l;
  const double lo_s = std::floor(count * kSumTrim) + 1, hi_s = count + 1 - lo_s;
  const auto keep_r = rank_within(log_r, lo_l, hi_l);
  const auto keep_e = rank_within(abs_e, lo_s, hi_s);
  long double numerator = 0, denominator = 0;
  for (std::size_t k = 0; k < log_r.size(); ++k) {
    if (!keep_r[k] || !keep_e[k]) continue;
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

}  // namespace ifnsig
