// Normalizer genes, checked by hand: with size factors 1, 2 and 0.5, a gene whose counts follow them exactly
// tracks the size factor with no error, a noisy one with some; panel genes and genes below the count floor
// in any sample are never taken; the reference keeps them through its JSON.
#include "ifnsig/norm/normalizer_genes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "ifnsig/core/error.hpp"

#include "ifnsig/norm/frozen_reference.hpp"

namespace ifnsig::norm {
namespace {

struct Cohort {
  Eigen::MatrixXd counts{4, 3};
  std::vector<std::string> genes{"A", "B", "C", "D"};
  std::vector<std::string> samples{"s1", "s2", "s3"};
  FactorFit fit;
  SampleFactors factors;
  Cohort() {
    counts << 100, 200, 50,  // A: follows the size factors (1, 2, 0.5)
        100, 400, 25,        // B: strays from them
        100, 200, 50,        // C: follows them, but is a panel gene
        10, 20, 5;           // D: follows them, below the count floor in two samples
    fit = fit_factors(counts, {FactorMethod::kRatio, {}}, genes, samples, &factors);
  }
};

TEST(NormalizerGenes, TheGenesThatTrackTheSizeFactorBestOutsideThePanels) {
  const Cohort cohort;
  const std::vector<char> panel_genes{0, 0, 1, 0};
  const NormalizerGenes one = select_normalizer_genes(cohort.counts, cohort.genes, cohort.samples, cohort.fit, cohort.factors, panel_genes, 1);
  EXPECT_EQ(one.genes, (std::vector<std::string>{"A"}));
  EXPECT_NEAR(one.max_size_factor_error, 0, 1e-12);
  const NormalizerGenes all = select_normalizer_genes(cohort.counts, cohort.genes, cohort.samples, cohort.fit, cohort.factors, panel_genes, 10);
  EXPECT_EQ(all.genes, (std::vector<std::string>{"A", "B"}));
  // Over A and B, sample 2's median of ratios is the mean of log 2 and log 4: sqrt(8) / 2 of its factor 2;
  // sample 3's sqrt(1/8) / (1/2): the three ratios' geometric mean, the scale, is 1.
  EXPECT_NEAR(all.max_size_factor_error, std::sqrt(8.0) / 2 - 1, 1e-12);
  EXPECT_NEAR(all.scale, 1, 1e-12);
  // Only DESeq2's ratio fit has them: poscounts, say, keeps none.
  SampleFactors poscount_factors;
  const FactorFit poscounts =
      fit_factors(cohort.counts, {FactorMethod::kPoscounts, {}}, cohort.genes, cohort.samples, &poscount_factors);
  EXPECT_TRUE(select_normalizer_genes(cohort.counts, cohort.genes, cohort.samples, poscounts, poscount_factors,
                                      panel_genes, 10)
                  .genes.empty());
}

TEST(NormalizerGenes, KeptByTheReferenceJson) {
  FrozenReference reference;
  reference.ifnsig_version = "test";
  reference.genes = {"A", "B"};
  reference.samples = {"s1"};
  reference.factors.method = FactorMethod::kRatio;
  reference.factors.log_geo_means = {1.0, 2.0};
  reference.normalizers = {{"A"}, 1.25, 0.125};
  const auto path = std::filesystem::temp_directory_path() / "ifnsig-normalizer-genes-test.json";
  write_reference(reference, path.string());
  const FrozenReference read = read_reference(path.string());
  EXPECT_EQ(read.normalizers.genes, reference.normalizers.genes);
  EXPECT_EQ(read.normalizers.scale, 1.25);
  EXPECT_EQ(read.normalizers.max_size_factor_error, 0.125);
  std::filesystem::remove(path);
}

// A sample counted for chosen genes only: the reference's genes it holds, in the reference's order, its factor
// the median over the normalizers (A: 200/100, B: 800/100, so sqrt(2 * 8) = 4) divided by the scale (2).
TEST(NormalizerGenes, ATargetedSampleIsNormalizedOverThemAlone) {
  FrozenReference reference;
  reference.genes = {"A", "B", "C", "D"};
  reference.factors.method = FactorMethod::kRatio;
  reference.factors.log_geo_means = {std::log(100.0), std::log(100.0), std::log(10.0), std::log(50.0)};
  reference.transform.kind = TransformKind::kCounts;
  reference.normalizers = {{"A", "B"}, 2, 0.1};
  const FrozenReference targeted = targeted_reference(reference, {"C", "B", "A"}, "ref.json");
  EXPECT_EQ(targeted.genes, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(targeted.factors.control_genes, (std::vector<char>{1, 1, 0}));
  Eigen::MatrixXd counts(3, 1);
  counts << 200, 800, 1;
  EXPECT_NEAR(apply_factors(targeted.factors, counts, {"s"}).factor[0], 2, 1e-12);
  // A normalizer gene not counted, a reference without normalizers, or one whose steps need every gene: errors.
  EXPECT_THROW(targeted_reference(reference, {"A", "C"}, "ref.json"), InputError);
  FrozenReference none = reference;
  none.normalizers = {};
  EXPECT_THROW(targeted_reference(none, {"A", "B"}, "ref.json"), InputError);
  FrozenReference logcpm = reference;
  logcpm.transform.kind = TransformKind::kLogCpm;
  EXPECT_THROW(targeted_reference(logcpm, {"A", "B"}, "ref.json"), InputError);
}

}  // namespace
}  // namespace ifnsig::norm
