#include "ifnsig/norm/size_factors.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>

#include "ifnsig/core/error.hpp"
#include "ifnsig/norm/dispersion.hpp"
#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::norm {
namespace {

Eigen::MatrixXd small_counts() {
  Eigen::MatrixXd m(5, 3);
  m << 10, 20, 30,  //
      5, 10, 16,    //
      100, 180, 310,  //
      0, 3, 1,      //
      7, 15, 20;
  return m;
}

const std::vector<std::string> kGenes{"a", "b", "c", "d", "e"};
const std::vector<std::string> kSamples{"s1", "s2", "s3"};

TEST(SizeFactors, RatioIsMedianOfRatiosToTheGeometricMean) {
  const auto counts = small_counts();
  const auto fit = fit_factors(counts, {FactorMethod::kRatio, {}}, kGenes, kSamples);
  const auto factors = apply_factors(fit, counts, kSamples);
  // Gene d has a zero: excluded. Hand computation for s1 over genes a, b, c, e.
  std::vector<double> ratios;
  for (int g : {0, 1, 2, 4}) {
    const double log_gm = (std::log(counts(g, 0)) + std::log(counts(g, 1)) + std::log(counts(g, 2))) / 3;
    ratios.push_back(std::log(counts(g, 0)) - log_gm);
  }
  std::sort(ratios.begin(), ratios.end());
  EXPECT_NEAR(factors.factor[0], std::exp((ratios[1] + ratios[2]) / 2), 1e-14);
  EXPECT_DOUBLE_EQ(factors.lib_size[0], 122);
}

TEST(SizeFactors, EdgeRFactorsMultiplyToOne) {
  const auto counts = small_counts();
  for (const auto method : {FactorMethod::kTmm, FactorMethod::kTmmWsp, FactorMethod::kUpperQuartile, FactorMethod::kRle,
                            FactorMethod::kPoscounts}) {
    const auto fit = fit_factors(counts, {method, {}}, kGenes, kSamples);
    const auto f = apply_factors(fit, counts, kSamples).factor;
    EXPECT_NEAR(std::log(f[0]) + std::log(f[1]) + std::log(f[2]), 0, 1e-14) << to_string(method);
  }
}

TEST(SizeFactors, TmmOfAColumnWithItselfIsOne) {
  const auto counts = small_counts();
  EXPECT_EQ(tmm_factor(counts.col(1).data(), TmmReference(counts.col(1).data(), 5, 228), 228), 1.0);
}

TEST(SizeFactors, RatioWithAZeroInEveryGeneSuggestsPoscounts) {
  Eigen::MatrixXd counts(2, 2);
  counts << 0, 3, 4, 0;
  try {
    fit_factors(counts, {FactorMethod::kRatio, {}}, {"a", "b"}, {"x", "y"});
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(error.hint().find("poscounts"), std::string::npos);
  }
}

TEST(SizeFactors, ReapplyingTheFitGivesTheInCohortFactorsOneSampleAtATime) {
  const auto counts = small_counts();
  for (const auto method : {FactorMethod::kRatio, FactorMethod::kPoscounts, FactorMethod::kTmm, FactorMethod::kRle}) {
    const auto fit = fit_factors(counts, {method, {}}, kGenes, kSamples);
    const auto all = apply_factors(fit, counts, kSamples);
    for (Eigen::Index j = 0; j < 3; ++j) {
      const auto one = apply_factors(fit, counts.col(j), {kSamples[static_cast<std::size_t>(j)]});
      EXPECT_EQ(one.factor[0], all.factor[static_cast<std::size_t>(j)]) << to_string(method);
    }
  }
}

TEST(SizeFactors, ParseRejectsUnknownMethods) {
  EXPECT_EQ(parse_factor_method("tmmwsp"), FactorMethod::kTmmWsp);
  EXPECT_THROW(parse_factor_method("deseq"), UsageError);
}

TEST(Dispersion, GeneEstimatesDoNotDependOnTheThreadCount) {
  Eigen::MatrixXd counts(40, 6);
  for (Eigen::Index g = 0; g < 40; ++g) {
    for (Eigen::Index j = 0; j < 6; ++j) counts(g, j) = static_cast<double>((g * 7 + j * 13 + g * j) % 50 + g);
  }
  const std::vector<double> sf{0.8, 1.1, 1.0, 0.9, 1.2, 1.05};
  GeneDispersions one, two;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = estimate_gene_dispersions(counts, sf);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two = estimate_gene_dispersions(counts, sf);
  }
  EXPECT_EQ(one.estimate, two.estimate);
}

}  // namespace
}  // namespace ifnsig::norm

namespace ifnsig::norm {
namespace {

// Many ties in M and A: the linear-time rank test must select exactly the genes R's rank() selects
// (.calcFactorTMM written out below with full ranks).
TEST(SizeFactors, TmmWithTiesMatchesTheFullRankDefinition) {
  std::vector<double> obs, ref;
  for (int g = 0; g < 200; ++g) {
    obs.push_back(static_cast<double>(g % 7 + 1));
    ref.push_back(static_cast<double>((g * 3) % 5 + 1));
  }
  const double lib_obs = 900, lib_ref = 700;
  std::vector<double> log_r, abs_e, v;
  for (std::size_t g = 0; g < obs.size(); ++g) {
    log_r.push_back(std::log2((obs[g] / lib_obs) / (ref[g] / lib_ref)));
    abs_e.push_back((std::log2(obs[g] / lib_obs) + std::log2(ref[g] / lib_ref)) / 2);
    v.push_back((lib_obs - obs[g]) / lib_obs / obs[g] + (lib_ref - ref[g]) / lib_ref / ref[g]);
  }
  const auto rank_r = matrix::r_rank(log_r), rank_e = matrix::r_rank(abs_e);
  const double n = 200, lo_l = std::floor(n * 0.3) + 1, hi_l = n + 1 - lo_l, lo_s = std::floor(n * 0.05) + 1,
               hi_s = n + 1 - lo_s;
  long double num = 0, den = 0;
  for (std::size_t k = 0; k < log_r.size(); ++k) {
    if (rank_r[k] < lo_l || rank_r[k] > hi_l || rank_e[k] < lo_s || rank_e[k] > hi_s) continue;
    num += log_r[k] / v[k];
    den += 1 / v[k];
  }
  const double expected = std::pow(2.0, static_cast<double>(num) / static_cast<double>(den));
  EXPECT_EQ(tmm_factor(obs.data(), TmmReference(ref.data(), ref.size(), lib_ref), lib_obs), expected);
}

}  // namespace
}  // namespace ifnsig::norm
