// Micro-benchmarks of the cohort kernels: size factors (DESeq2 median-of-ratios, edgeR TMM), DESeq2's
// gene-wise dispersions (the VST's main cost) and ranking (R-style average-tie ranks, singscore) on a seeded
// negative-binomial-like 20,000 genes x 100 samples matrix.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "ifnsig/norm/dispersion.hpp"
#include "ifnsig/norm/size_factors.hpp"
#include "ifnsig/score/rank_methods.hpp"
#include "score/stats.hpp"

namespace {

using namespace ifnsig;

constexpr int kGenes = 20000;
constexpr int kSamples = 100;

struct Cohort {
  Eigen::MatrixXd counts{kGenes, kSamples};
  std::vector<std::string> gene_ids;
  std::vector<std::string> sample_ids;
  Cohort() {
    std::mt19937_64 random(7);
    std::lognormal_distribution<double> mean(2.0, 1.8);
    for (int g = 0; g < kGenes; ++g) {
      const double mu = mean(random);
      std::gamma_distribution<double> gamma(10.0, mu / 10.0);
      for (int j = 0; j < kSamples; ++j) {
        std::poisson_distribution<int> poisson(std::max(1e-9, gamma(random)));
        counts(g, j) = poisson(random);
      }
      gene_ids.push_back("g" + std::to_string(g));
    }
    for (int j = 0; j < kSamples; ++j) sample_ids.push_back("s" + std::to_string(j));
  }
};

const Cohort& cohort() {
  static const Cohort instance;
  return instance;
}

void BM_SizeFactors(benchmark::State& state) {
  const Cohort& c = cohort();
  norm::FactorOptions options;
  options.method = static_cast<norm::FactorMethod>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(norm::fit_factors(c.counts, options, c.gene_ids, c.sample_ids));
  state.SetItemsProcessed(state.iterations() * kSamples);
  state.SetLabel(to_string(options.method));
}
BENCHMARK(BM_SizeFactors)
    ->Arg(static_cast<int>(norm::FactorMethod::kRatio))
    ->Arg(static_cast<int>(norm::FactorMethod::kTmm))
    ->Unit(benchmark::kMillisecond);

void BM_GeneDispersions(benchmark::State& state) {
  constexpr int kDispersionGenes = 2000;
  const Cohort& c = cohort();
  const Eigen::MatrixXd counts = c.counts.topRows(kDispersionGenes);
  norm::SampleFactors factors;
  norm::fit_factors(c.counts, {norm::FactorMethod::kPoscounts, {}}, c.gene_ids, c.sample_ids, &factors);
  for (auto _ : state) benchmark::DoNotOptimize(norm::estimate_gene_dispersions(counts, factors.size_factor));
  state.SetItemsProcessed(state.iterations() * kDispersionGenes);
}
BENCHMARK(BM_GeneDispersions)->Unit(benchmark::kMillisecond);

void BM_RankAverageTies(benchmark::State& state) {
  const Cohort& c = cohort();
  std::vector<double> ranks;
  for (auto _ : state) {
    score::rank(std::span<const double>(c.counts.col(0).data(), kGenes), score::TieMethod::kAverage, ranks);
    benchmark::DoNotOptimize(ranks.data());
  }
  state.SetItemsProcessed(state.iterations() * kGenes);
}
BENCHMARK(BM_RankAverageTies);

void BM_Singscore(benchmark::State& state) {
  const Cohort& c = cohort();
  const Eigen::MatrixXd logged = (c.counts.array() + 1).log().matrix();
  const score::SetRows sets{{10, 200, 3000, 4000, 5000, 6000}};
  for (auto _ : state) benchmark::DoNotOptimize(score::singscore(logged, sets, true));
  state.SetItemsProcessed(state.iterations() * kSamples);
}
BENCHMARK(BM_Singscore)->Unit(benchmark::kMillisecond);

}  // namespace
