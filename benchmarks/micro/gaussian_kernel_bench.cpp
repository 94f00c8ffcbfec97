// Micro-benchmark of GSVA's Gaussian kernel CDF sums (score/gaussian_kernel.hpp), the O(genes x samples^2)
// part of `ifnsig score --method gsva`: one gene of logCPM-like values (normal, 4 decimals, as
// benchmarks/score/generate.awk writes them) at 200 and 2,000 samples, by each path (scalar, AVX2, AVX-512).
// Items are unordered sample pairs, so 1 / items_per_second is the time per pair.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "score/gaussian_kernel.hpp"

namespace {

using namespace ifnsig::score;

std::vector<double> gene_values(std::size_t n) {
  std::mt19937_64 random(20261124);
  std::normal_distribution<double> normal(6.0, 0.6);
  std::vector<double> x(n);
  for (double& v : x) v = std::max(0.0, std::round(normal(random) * 1e4) / 1e4);
  return x;
}

double bandwidth_of(const std::vector<double>& x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(x.size() - 1)) / 4.0;
}

void BM_GaussianLeftTails(benchmark::State& state) {
  const auto path = static_cast<KernelPath>(state.range(0));
  if (!kernel_path_supported(path)) {
    state.SkipWithError("this CPU lacks the instructions of this path");
    return;
  }
  const auto n = static_cast<std::size_t>(state.range(1));
  const std::vector<double> x = gene_values(n);
  const double bandwidth = bandwidth_of(x);
  std::vector<double> left_tail(n);
  for (auto _ : state) {
    gaussian_left_tails(x, bandwidth, left_tail, path);
    benchmark::DoNotOptimize(left_tail.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n * (n - 1) / 2));
  state.SetLabel(path == KernelPath::kScalar ? "scalar" : path == KernelPath::kAvx2 ? "avx2" : "avx512");
}
BENCHMARK(BM_GaussianLeftTails)
    ->ArgsProduct({{static_cast<int>(KernelPath::kScalar), static_cast<int>(KernelPath::kAvx2),
                    static_cast<int>(KernelPath::kAvx512)},
                   {200, 2000}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
