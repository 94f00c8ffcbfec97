// GSVA 1.46's gene filter before gsva, zscore and plage: genes whose SD across the samples is below 1e-10
// are dropped. U (zero in every sample but one value of 1e-200, whose SD underflows to 0) crashed the
// Gaussian kernel with a bandwidth of 0; N varies by 2^-40 only (SD 5.8e-13), kept before the fix. The
// expected scores are GSVA 1.46's on this matrix (R, gsva(x, sets, method = ...), printed with %.17g).
#include <cmath>

#include "score/matrix_methods.hpp"
#include "ifnsig/score/rank_methods.hpp"
#include "score/stats.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

constexpr double kTolerance = 1e-12;

matrix::GeneMatrix cohort() {
  return test::small_matrix({"G1", "G2", "G3", "U", "G4", "G5", "N", "G6", "G7"}, {"S1", "S2", "S3", "S4", "S5", "S6"},
                            {{2.5, 3.1, 0.7, 4.2, 1.9, 3.3},
                             {5.0, 4.4, 6.1, 5.5, 4.9, 6.6},
                             {0.0, 1.2, 0.3, 2.2, 0.8, 1.5},
                             {0, 0, 0, 0, 0, 1e-200},
                             {7.1, 6.2, 8.4, 7.7, 6.9, 9.0},
                             {1.1, 0.4, 2.6, 1.8, 0.2, 2.9},
                             {3, 3, 3 + 0x1p-40, 3, 3 - 0x1p-40, 3},
                             {4.0, 5.2, 3.3, 4.8, 5.9, 3.7},
                             {2.2, 2.9, 1.4, 3.6, 2.0, 1.1}});
}

// A = {G1, G2, G3, U}, B = {G4, G5, N, U, G6}.
const SetRows kSets = {{0, 1, 2, 3}, {4, 5, 6, 3, 7}};

void expect_scores(const SetScores& result, const std::vector<std::vector<double>>& expected, bool up_to_sign) {
  ASSERT_EQ(result.scores.rows(), 2);
  ASSERT_EQ(result.scores.cols(), 6);
  EXPECT_EQ(result.n_used, (std::vector<int>{3, 3}));
  for (Eigen::Index s = 0; s < 2; ++s) {
    const auto& want = expected[static_cast<std::size_t>(s)];
    const double sign = up_to_sign && std::signbit(want[0]) != std::signbit(result.scores(s, 0)) ? -1.0 : 1.0;
    for (Eigen::Index j = 0; j < 6; ++j) {
      EXPECT_NEAR(sign * result.scores(s, j), want[static_cast<std::size_t>(j)], kTolerance) << "set " << s << " sample " << j;
    }
  }
}

TEST(GsvaGeneFilter, DropsGenesWithAnSdBelow1e10) {
  const RowMoments moments = row_moments(cohort().values);
  EXPECT_EQ(moments.sd[3], 0.0);  // U: the squared deviations underflow
  EXPECT_GT(moments.sd[6], 0.0);
  EXPECT_FALSE(gsva_keeps_gene(moments.sd[3]));
  EXPECT_FALSE(gsva_keeps_gene(moments.sd[6]));
  EXPECT_TRUE(gsva_keeps_gene(moments.sd[0]));
  EXPECT_FALSE(gsva_keeps_gene(row_moments(Eigen::MatrixXd::Ones(1, 1)).sd[0]));  // NA with one sample
}

TEST(GsvaGeneFilter, GaussianGsvaMatchesGsva146) {
  expect_scores(gsva(cohort().values, kSets, {}),
                {{-0.48076923076923078, -0.25000000000000006, -0.55555555555555558, 0.53846153846153832,
                  -0.25000000000000006, 0.77777777777777779},
                 {0, -0.25000000000000006, 0.80000000000000004, -0.75, 0.1538461538461538, 0.22727272727272724}},
                false);
}

TEST(GsvaGeneFilter, ZscoreMatchesGsva146) {
  expect_scores(lee_zscore(cohort().values, kSets),
                {{-1.0643192372627284, -0.34502588455027206, -0.92750288413455906, 1.6678062707232464,
                  -0.84744599876647508, 1.5164877339907872},
                 {-0.74067961132857296, -0.90295712906874248, 0.34938944167060676, 0.4234979599418725,
                  -0.20336344455192223, 1.0741127833367594}},
                false);
}

TEST(GsvaGeneFilter, PlageMatchesGsva146UpToSign) {
  expect_scores(plage(cohort().values, kSets),
                {{0.32621752617842537, -0.12454990994998505, 0.55437931840433274, -0.65707855528746573,
                  0.20943994882861211, -0.30840832817391939},
                 {0.053161216067486403, 0.47514385429228323, -0.4699604781918712, -0.018242311133054939,
                  0.5040731164029163, -0.54417539743776011}},
                true);
}

}  // namespace
}  // namespace ifnsig::score
