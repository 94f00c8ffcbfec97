// R's order() and rank() conventions of the score statistics on ties, signs and zeros.
#include "score/stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace ifnsig::score {
namespace {

// The reference: an index sort that keeps equal values in index order.
std::vector<int> reference_order(const std::vector<double>& values, bool decreasing) {
  std::vector<int> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const double va = values[static_cast<std::size_t>(a)];
    const double vb = values[static_cast<std::size_t>(b)];
    return decreasing ? va > vb : va < vb;
  });
  return order;
}

TEST(ScoreStats, StableOrderMatchesAStableIndexSort) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 100.0);
  for (std::size_t n : {0u, 1u, 2u, 17u, 5000u}) {
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) {
      switch (i % 5) {
        case 0: values[i] = std::round(normal(rng) / 50.0); break;  // many ties, both signs
        case 1: values[i] = i % 2 ? 0.0 : -0.0; break;
        case 2: values[i] = normal(rng) * 1e-300; break;
        default: values[i] = normal(rng);
      }
    }
    for (bool decreasing : {false, true}) {
      std::vector<int> order;
      stable_order(values, decreasing, order);
      EXPECT_EQ(order, reference_order(values, decreasing)) << "n " << n << " decreasing " << decreasing;
    }
  }
}

TEST(ScoreStats, RankTiesLikeR) {
  std::vector<double> ranks;
  rank(std::vector<double>{3.0, -1.0, 3.0, 0.0, -0.0, 7.0}, TieMethod::kAverage, ranks);
  EXPECT_EQ(ranks, (std::vector<double>{4.5, 1.0, 4.5, 2.5, 2.5, 6.0}));
  rank(std::vector<double>{3.0, -1.0, 3.0, 0.0, -0.0, 7.0}, TieMethod::kMin, ranks);
  EXPECT_EQ(ranks, (std::vector<double>{4.0, 1.0, 4.0, 2.0, 2.0, 6.0}));
}

}  // namespace
}  // namespace ifnsig::score
