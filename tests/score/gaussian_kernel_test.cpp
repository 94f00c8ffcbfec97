// GSVA's Gaussian kernel sums: every vectorized path equals the scalar loop bit for bit, and the scalar loop
// equals GSVA's unsymmetrized definition (sum over all k in sample order).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "score/gaussian_kernel.hpp"

namespace ifnsig::score {
namespace {

// GSVA 1.46's C loop, written out: every j against every k, in sample order.
std::vector<double> gsva_definition(const std::vector<double>& x, double bandwidth) {
  std::vector<double> left_tail(x.size(), 0.0);
  for (std::size_t j = 0; j < x.size(); ++j) {
    for (double xk : x) {
      const double v = (x[j] - xk) / bandwidth;
      double cdf = 0;
      if (v < -10) {
        cdf = 0.0;
      } else if (v > 10) {
        cdf = 1.0;
      } else {
        const double entry = 0.5 * std::erfc(-(10.0 * static_cast<int>(std::fabs(v) / 10.0 * 10000) / 10000.0) /
                                             std::sqrt(2.0));
        cdf = v < 0 ? 1.0 - entry : entry;
      }
      left_tail[j] += cdf;
    }
  }
  return left_tail;
}

// Values with ties, zeros, far outliers and differences that land exactly on table steps.
std::vector<double> awkward_values(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(5.0, 2.0);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 7) {
      case 0: x[i] = 0.0; break;
      case 1: x[i] = 1000.0 + static_cast<double>(i); break;
      case 2: x[i] = std::round(normal(rng) * 8.0) / 8.0; break;  // steps of 1/8: exact table boundaries
      default: x[i] = normal(rng);
    }
  }
  return x;
}

double sample_sd(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

const std::vector<KernelPath> kVectorPaths{KernelPath::kAvx2, KernelPath::kAvx512};

const char* path_name(KernelPath path) { return path == KernelPath::kAvx2 ? "avx2" : "avx512"; }

void expect_paths_equal_scalar(const std::vector<double>& x, double bandwidth, const char* what) {
  const std::size_t n = x.size();
  std::vector<double> scalar(n, -1.0);
  gaussian_left_tails(x, bandwidth, scalar, KernelPath::kScalar);
  for (KernelPath path : kVectorPaths) {
    if (!kernel_path_supported(path)) continue;
    std::vector<double> fast(n, -1.0);
    gaussian_left_tails(x, bandwidth, fast, path);
    for (std::size_t j = 0; j < n; ++j) {
      ASSERT_EQ(fast[j], scalar[j]) << path_name(path) << " " << what << " n " << n << " bandwidth " << bandwidth
                                    << " j " << j;
    }
  }
}

TEST(GaussianKernelScore, VectorizedEqualsScalarBitForBit) {
  for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 64u, 203u}) {
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const auto x = awkward_values(n, seed);
      for (double bandwidth : {n > 1 ? sample_sd(x) / 4.0 : 1.0, 0.125, 1e-3, 1e3, 1e-300, 1e300}) {
        expect_paths_equal_scalar(x, bandwidth, "awkward");
      }
    }
  }
}

// Log-expression-like genes (4 decimals, as in the benchmarks), bandwidth SD / 4 as gsva takes it, and
// round bandwidths that put many differences exactly on table steps (the near-integer fallback).
TEST(GaussianKernelScore, VectorizedEqualsScalarOnRandomGenes) {
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int gene = 0; gene < 60; ++gene) {
    const auto n = static_cast<std::size_t>(2 + rng() % 300);
    std::normal_distribution<double> normal(2.0 + 8.0 * uniform(rng), 0.05 + uniform(rng));
    std::vector<double> x(n);
    for (double& v : x) v = std::max(0.0, std::round(normal(rng) * 1e4) / 1e4);
    const double sd = sample_sd(x);
    for (double bandwidth : {sd / 4.0, 0.15, 0.1, 0.0125}) {
      if (bandwidth > 0) expect_paths_equal_scalar(x, bandwidth, "random gene");
    }
  }
}

TEST(GaussianKernelScore, EqualsGsvaDefinition) {
  for (std::size_t n : {5u, 33u, 120u}) {
    const auto x = awkward_values(n, 11);
    const double bandwidth = sample_sd(x) / 4.0;
    const auto expected = gsva_definition(x, bandwidth);
    std::vector<double> fast(n);
    gaussian_left_tails(x, bandwidth, fast);
    for (std::size_t j = 0; j < n; ++j) EXPECT_EQ(fast[j], expected[j]) << "n " << n << " j " << j;
    std::vector<double> scalar(n);
    gaussian_left_tails(x, bandwidth, scalar, KernelPath::kScalar);
    for (std::size_t j = 0; j < n; ++j) EXPECT_EQ(scalar[j], expected[j]) << "n " << n << " j " << j;
  }
}

}  // namespace
}  // namespace ifnsig::score
