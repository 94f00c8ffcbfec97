// GSVA 1.46 and singscore outputs on the shared reference vectors (../shared/data/gsva_vectors).
#include <cmath>

#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "score/matrix_methods.hpp"
#include "ifnsig/score/rank_methods.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

constexpr double kTolerance = 1e-8;

struct Vectors {
  matrix::GeneMatrix log2expr = matrix::GeneMatrix::read_plain(test::kVectors + "input_log2expr.tsv");
  matrix::GeneMatrix counts = matrix::GeneMatrix::read_plain(test::kVectors + "input_counts.tsv");
  std::vector<GeneSet> sets = read_gmt(test::kVectors + "genesets.gmt");

  SetRows rows_in(const matrix::GeneMatrix& matrix) const {
    GeneMatcher matcher(matrix.gene_ids, {});
    SetRows rows;
    for (const auto& set : sets) rows.push_back(matcher.match(set).rows);
    return rows;
  }
};

// Compares scores (sets x samples) with a reference table; `up_to_sign` allows a sign flip per set.
void expect_matches(const Eigen::MatrixXd& scores, const Vectors& v, const matrix::GeneMatrix& matrix,
                    const std::string& file, bool up_to_sign = false) {
  const auto expected = test::read_set_table(test::kVectors + file);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(scores.size())) << file;
  for (std::size_t s = 0; s < v.sets.size(); ++s) {
    double sign = 1.0;
    const double first = expected.at({v.sets[s].name, matrix.sample_ids[0]});
    if (up_to_sign && std::signbit(first) != std::signbit(scores(static_cast<Eigen::Index>(s), 0))) sign = -1.0;
    for (std::size_t j = 0; j < matrix.sample_ids.size(); ++j) {
      EXPECT_NEAR(sign * scores(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j)),
                  expected.at({v.sets[s].name, matrix.sample_ids[j]}), kTolerance)
          << file << " set " << v.sets[s].name << " sample " << matrix.sample_ids[j];
    }
  }
}

TEST(ReferenceVectors, GsvaGaussianMaxDiff) {
  Vectors v;
  expect_matches(gsva(v.log2expr.values, v.rows_in(v.log2expr), {}).scores, v, v.log2expr,
                 "gsva_gaussian_tau1_mxdiffT.tsv");
}

TEST(ReferenceVectors, GsvaGaussianNoMaxDiff) {
  Vectors v;
  GsvaOptions options;
  options.mx_diff = false;
  expect_matches(gsva(v.log2expr.values, v.rows_in(v.log2expr), options).scores, v, v.log2expr,
                 "gsva_gaussian_tau1_mxdiffF.tsv");
}

TEST(ReferenceVectors, GsvaGaussianAbsRanking) {
  Vectors v;
  GsvaOptions options;
  options.abs_ranking = true;
  expect_matches(gsva(v.log2expr.values, v.rows_in(v.log2expr), options).scores, v, v.log2expr,
                 "gsva_gaussian_tau1_absrankT.tsv");
}

TEST(ReferenceVectors, GsvaNoKernel) {
  Vectors v;
  GsvaOptions options;
  options.kcdf = Kcdf::kNone;
  expect_matches(gsva(v.log2expr.values, v.rows_in(v.log2expr), options).scores, v, v.log2expr, "gsva_none.tsv");
}

TEST(ReferenceVectors, GsvaPoissonOnCounts) {
  Vectors v;
  GsvaOptions options;
  options.kcdf = Kcdf::kPoisson;
  expect_matches(gsva(v.counts.values, v.rows_in(v.counts), options).scores, v, v.counts, "gsva_poisson_counts.tsv");
}

TEST(ReferenceVectors, SsgseaNormalizedAndNot) {
  Vectors v;
  expect_matches(ssgsea(v.log2expr.values, v.rows_in(v.log2expr), 0.25, true).scores, v, v.log2expr,
                 "ssgsea_alpha0.25_norm.tsv");
  expect_matches(ssgsea(v.log2expr.values, v.rows_in(v.log2expr), 0.25, false).scores, v, v.log2expr,
                 "ssgsea_alpha0.25_nonorm.tsv");
}

TEST(ReferenceVectors, LeeZscore) {
  Vectors v;
  expect_matches(lee_zscore(v.log2expr.values, v.rows_in(v.log2expr)).scores, v, v.log2expr, "zscore.tsv");
}

TEST(ReferenceVectors, PlageUpToSign) {
  Vectors v;
  expect_matches(plage(v.log2expr.values, v.rows_in(v.log2expr)).scores, v, v.log2expr, "plage.tsv", true);
}

TEST(ReferenceVectors, SingscoreCentredWithMadDispersion) {
  Vectors v;
  const SetScores result = singscore(v.log2expr.values, v.rows_in(v.log2expr), true);
  expect_matches(result.scores, v, v.log2expr, "singscore_centered.tsv");
  expect_matches(result.dispersion, v, v.log2expr, "singscore_dispersion_mad.tsv");
}

TEST(ReferenceVectors, SingscoreUnknownDirection) {
  Vectors v;
  expect_matches(singscore(v.log2expr.values, v.rows_in(v.log2expr), false).scores, v, v.log2expr,
                 "singscore_unknown_direction.tsv");
}

}  // namespace
}  // namespace ifnsig::score
