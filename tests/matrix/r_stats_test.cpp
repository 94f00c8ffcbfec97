#include "ifnsig/matrix/r_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace ifnsig::matrix {
namespace {

TEST(RStats, MedianOfEvenCountIsMeanOfMiddleTwo) {
  std::vector<double> values{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(r_median(values), 2.5);
  std::vector<double> odd{5, 1, 3};
  EXPECT_DOUBLE_EQ(r_median(odd), 3);
  std::vector<double> empty;
  EXPECT_TRUE(std::isnan(r_median(empty)));
}

TEST(RStats, QuantileType7) {
  // R: quantile(c(1, 2, 4, 8, 16), 0.75) == 8; quantile(1:10, 0.75) == 7.75
  std::vector<double> a{16, 1, 8, 2, 4};
  EXPECT_DOUBLE_EQ(r_quantile7(a, 0.75), 8);
  std::vector<double> b{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(r_quantile7(b, 0.75), 7.75);
  std::vector<double> c{0, 0, 0, 5};
  EXPECT_DOUBLE_EQ(r_quantile7(c, 0.75), 1.25);
}

// Long inputs take the histogram path; skewed values, ties and one far outlier crowd most values into a
// few of its ranges, which it must still select among exactly.
TEST(RStats, OrderStatisticsEqualSortedValues) {
  std::vector<double> values;
  for (int i = 0; i < 50000; ++i) values.push_back(std::floor(std::pow(static_cast<double>((i * 7919) % 1000), 2) / 37));
  values.push_back(1e12);
  auto sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [lo, hi] : {std::pair<std::size_t, std::size_t>{0, 0}, {17, 4000}, {15000, 15001}, {25000, 25000},
                              {30000, 50000}, {50000, 50000}}) {
    EXPECT_EQ(order_statistics(values, lo, hi), std::make_pair(sorted[lo], sorted[hi])) << lo << " " << hi;
  }
  values.push_back(INFINITY);  // not finite: selected by sorting instead
  EXPECT_EQ(order_statistics(values, 50001, 50001).first, INFINITY);
}

TEST(RStats, RankAveragesTies) {
  // R: rank(c(10, 20, 10, 30, 20)) == c(1.5, 3.5, 1.5, 5, 3.5)
  const std::vector<double> values{10, 20, 10, 30, 20};
  EXPECT_EQ(r_rank(values), (std::vector<double>{1.5, 3.5, 1.5, 5, 3.5}));
}

TEST(RStats, VarianceUsesNMinusOne) {
  const std::vector<double> values{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(r_var(values), 5.0 / 3.0);
  EXPECT_TRUE(std::isnan(r_var(std::vector<double>{1})));
}

TEST(RStats, SplinefunFmmInsideAndBeyondTheKnots) {
  // R: f <- splinefun(c(0, 0.5, 1.7, 2, 3.5, 4), c(1, 0.2, -0.4, 0.3, 2, 1.1), method = "fmm")
  //    f(c(-1, 0, 0.3, 1.9, 3.9, 4, 5))
  const FmmSpline f({0, 0.5, 1.7, 2, 3.5, 4}, {1, 0.2, -0.4, 0.3, 2, 1.1});
  const std::vector<double> at = {-1, 0, 0.3, 1.9, 3.9, 4, 5};
  const std::vector<double> expected = {0.87033388338230178, 1, 0.5407552721156883, 0.047101085467003201,
                                        1.3615066544541976, 1.1000000000000001, -4.3304125855106594};
  for (std::size_t i = 0; i < at.size(); ++i) EXPECT_NEAR(f(at[i]), expected[i], 1e-14) << at[i];
  // Three knots: no end-condition cubics (R: splinefun(c(1, 2, 4), c(0, 1, 5), method = "fmm")).
  const FmmSpline g({1, 2, 4}, {0, 1, 5});
  EXPECT_NEAR(g(0), -0.33333333333333326, 1e-14);
  EXPECT_NEAR(g(1.5), 0.41666666666666663, 1e-14);
  EXPECT_NEAR(g(3), 2.6666666666666665, 1e-14);
  EXPECT_NEAR(g(6), 11.666666666666668, 1e-13);
}

TEST(RStats, SeqLengthOutAndCumsum) {
  // R: seq(0, asinh(1234.5), length.out = 5)
  const auto grid = r_seq(0, std::asinh(1234.5), 5);
  const std::vector<double> expected = {0, 1.9528921633470457, 3.9057843266940915, 5.8586764900411374,
                                        7.811568653388183};
  ASSERT_EQ(grid.size(), expected.size());
  for (std::size_t i = 0; i < grid.size(); ++i) EXPECT_DOUBLE_EQ(grid[i], expected[i]);
  EXPECT_EQ(grid.back(), std::asinh(1234.5));
  // Long-double accumulation, as R: 1 + 2^-60 is exact in long double, not in double.
  const std::vector<double> values = {1, std::ldexp(1.0, -60), std::ldexp(1.0, -60), -1};
  EXPECT_EQ(r_cumsum(values).back(), std::ldexp(1.0, -59));
}

}  // namespace
}  // namespace ifnsig::matrix
