// normalize with tximport's inputs: non-integer counts rounded as DESeqDataSetFromTximport rounds them, and
// average transcript lengths as DESeq2's normalization factors.
#include <gtest/gtest.h>

#include <cmath>

#include "ifnsig/core/error.hpp"
#include "ifnsig/norm/count_checks.hpp"
#include "ifnsig/norm/normalize.hpp"

namespace ifnsig::norm {
namespace {

matrix::CountTable table(const Eigen::MatrixXd& values) {
  matrix::CountTable t;
  t.counts.values = values;
  const std::vector<std::string> genes = {"g0", "g1", "g2", "g3"}, samples = {"s0", "s1", "s2"};
  for (Eigen::Index g = 0; g < values.rows(); ++g) t.counts.gene_ids.push_back(genes.at(static_cast<std::size_t>(g)));
  for (Eigen::Index j = 0; j < values.cols(); ++j) {
    t.counts.sample_ids.push_back(samples.at(static_cast<std::size_t>(j)));
    t.sources.push_back("est.tsv");
  }
  return t;
}

Eigen::MatrixXd estimates() {
  Eigen::MatrixXd m(4, 3);
  m << 10.5, 20, 31.5,  //
      5, 11.49, 16,     //
      100, 180.5, 310,  //
      7, 15, 20.51;
  return m;
}

TEST(TximportCounts, RoundedHalvesToEvenOnceAndRecorded) {
  NormalizeInput input;
  input.counts = table(estimates());
  NormalizeRules rules;
  rules.transform_kind = TransformKind::kNone;  // the rounded counts themselves
  const Normalized n = normalize_counts(input, rules, ifnsig::Execution{}, "test");
  EXPECT_EQ(n.values.values(0, 0), 10);   // 10.5 -> 10
  EXPECT_EQ(n.values.values(0, 2), 32);   // 31.5 -> 32
  EXPECT_EQ(n.values.values(1, 1), 11);
  EXPECT_EQ(n.values.values(2, 1), 180);  // 180.5 -> 180
  EXPECT_EQ(n.values.values(3, 2), 21);
  EXPECT_NE(n.reference.inputs.find("5 non-integer counts rounded"), std::string::npos);
  rules.strict_counts = true;
  EXPECT_THROW(normalize_counts(input, rules, ifnsig::Execution{}, "test"), InputError);
}

TEST(TximportCounts, EqualLengthsGiveTheRatioNormalizedCounts) {
  const Eigen::MatrixXd counts = estimates().array().round();
  NormalizeInput plain;
  plain.counts = table(counts);
  NormalizeInput offset = plain;
  offset.avg_tx_length = Eigen::MatrixXd::Constant(4, 3, 1500);
  const Normalized a = normalize_counts(plain, NormalizeRules{}, ifnsig::Execution{}, "test");
  const Normalized b = normalize_counts(offset, NormalizeRules{}, ifnsig::Execution{}, "test");
  // nf = nm x sf / its geometric mean over samples: with nm = 1 a constant multiple of the size factors.
  const double scale = b.values.values(0, 0) / a.values.values(0, 0);
  for (Eigen::Index g = 0; g < 4; ++g) {
    for (Eigen::Index j = 0; j < 3; ++j) EXPECT_NEAR(b.values.values(g, j), a.values.values(g, j) * scale, 1e-12 * b.values.values(g, j));
  }
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(b.factors.factor[j], a.factors.factor[j], 1e-15);
}

TEST(TximportCounts, LengthsScaleTheirGenesFactors) {
  const Eigen::MatrixXd counts = estimates().array().round();
  Eigen::MatrixXd lengths = Eigen::MatrixXd::Constant(4, 3, 1000);
  lengths(1, 2) = 2000;  // gene 1 is twice as long in sample 2
  const SampleFactors f = fit_length_factors(counts, lengths, {}, {"a", "b", "c", "d"}, {"x", "y", "z"});
  ASSERT_EQ(f.norm_factors.rows(), 4);
  for (Eigen::Index g = 0; g < 4; ++g) EXPECT_NEAR(f.norm_factors.row(g).array().log().sum(), 0, 1e-14);
  EXPECT_NEAR(f.norm_factors(1, 2) / f.norm_factors(1, 1),
              2 * f.norm_factors(0, 2) / f.norm_factors(0, 1), 1e-12);
}

TEST(TximportCounts, LengthOffsetsRefusedWhereDeseqHasNoEquivalent) {
  NormalizeInput input;
  input.counts = table(estimates().array().round());
  input.avg_tx_length = Eigen::MatrixXd::Constant(4, 3, 1000);
  NormalizeRules rules;
  rules.transform_kind = TransformKind::kCpm;
  EXPECT_THROW(normalize_counts(input, rules, ifnsig::Execution{}, "test"), UsageError);
  input.freeze = true;
  EXPECT_THROW(normalize_counts(input, NormalizeRules{}, ifnsig::Execution{}, "test"), UsageError);
  input.freeze = false;
  input.avg_tx_length(2, 1) = 0;
  EXPECT_THROW(normalize_counts(input, NormalizeRules{}, ifnsig::Execution{}, "test"), InputError);
}

TEST(TximportCounts, TpmRefusedWhereCountsAreNeeded) {
  matrix::GeneMatrix tpm;
  tpm.gene_ids = {"a", "b"};
  tpm.sample_ids = {"x", "y"};
  tpm.values.resize(2, 2);
  tpm.values << 250000.5, 999999.25, 749999.5, 0.75;
  EXPECT_THROW(check_not_tpm(tpm, {"tpm.tsv", "tpm.tsv"}), InputError);
  tpm.values << 250000, 999999, 750000, 1;  // whole numbers: counts that happen to sum to a million
  EXPECT_NO_THROW(check_not_tpm(tpm, {"c.tsv", "c.tsv"}));
}

}  // namespace
}  // namespace ifnsig::norm
