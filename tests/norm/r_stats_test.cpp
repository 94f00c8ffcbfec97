#include "ifnsig/norm/r_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ifnsig {
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

}  // namespace
}  // namespace ifnsig
