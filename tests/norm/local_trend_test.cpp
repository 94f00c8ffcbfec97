// DESeq2's local dispersion trend against locfit 1.5-9.7 (values printed by R with 17 digits):
//   d <- data.frame(logDisps = log(disps), logMeans = log(means))
//   exp(predict(locfit(logDisps ~ logMeans, data = d, weights = means), data.frame(logMeans = log(at))))
#include "ifnsig/norm/local_trend.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ifnsig::norm {
namespace {

const std::vector<double> kMeans = {0.8, 1.5, 2.2, 3.9, 5.1, 7.7, 12, 18, 25, 40,
                                    66, 90, 150, 260, 400, 720, 1300, 2500, 4100, 9000};
const std::vector<double> kDispersions = {1.9,  1.2,  0.9,  0.7, 0.45, 0.5,   0.31, 0.22, 0.25, 0.15,
                                          0.12, 0.1, 0.11, 0.08, 0.09, 0.07, 0.075, 0.06, 0.08, 0.09};

TEST(LocalDispersionTrend, MatchesLocfitInsideAndOutsideTheDataRange) {
  const auto trend = LocalDispersionTrend::fit(kMeans, kDispersions);
  // locfit's tree: the data range, then midpoints while a cell is longer than 0.8 x its smaller bandwidth.
  const std::vector<double> vertices = {-0.22314355131420971, 2.10888730059393170, 4.44091815250207311,
                                        6.77294900441021497, 9.10497985631835682};
  ASSERT_EQ(trend.vertices().size(), vertices.size());
  for (std::size_t v = 0; v < vertices.size(); ++v) EXPECT_NEAR(trend.vertices()[v].position, vertices[v], 1e-15);
  const std::vector<double> at = {0.1, 0.8, 3, 50, 1000, 9000, 50000};
  const std::vector<double> expected = {12.562213547825772,  1.9483117006872839,  0.76585392228372107,
                                        0.14439237611172762, 0.068745277524573406, 0.090427742698154789,
                                        0.19032211803195617};
  for (std::size_t i = 0; i < at.size(); ++i) EXPECT_NEAR(trend.at(at[i]) / expected[i], 1.0, 1e-12) << at[i];
}

TEST(LocalDispersionTrend, IgnoresDispersionsBelowTenTimesTheMinimum) {
  auto means = kMeans;
  auto dispersions = kDispersions;
  means.push_back(30);
  dispersions.push_back(5e-8);
  const auto with_tiny = LocalDispersionTrend::fit(means, dispersions);
  const auto without = LocalDispersionTrend::fit(kMeans, kDispersions);
  EXPECT_EQ(with_tiny.at(30), without.at(30));
}

}  // namespace
}  // namespace ifnsig::norm
