#include "norm/r_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace ifnsig::norm {
namespace {

// R 4.2.2's lgamma() and digamma() at these points, printed with sprintf("%a"): the ports must give R's bits.
struct RValues {
  double x, lgamma, digamma;
};
constexpr RValues kR[] = {
    {0x1.56e1fc2f8f359p-997, 0x1.5963447f87fb5p+9, -0x1.7e43c8800759bp+996},
    {0x1.797cc39ffd60fp-15, 0x1.404845464576cp+3, -0x1.5b3b328c71128p+14},
    {0x1.3333333333333p-2, 0x1.188637a6c4196p+0, -0x1.c052b6b5e6116p+1},
    {0x1p+0, 0x0p+0, -0x1.2788cfc6fb614p-1},
    {0x1.8p+0, -0x1.eeb95b094c18ep-4, 0x1.2aed059bd60cp-5},
    {0x1p+1, 0x0p+0, 0x1.b0ee6072093d4p-2},
    {0x1.4p+1, 0x1.2383e809a67e8p-2, 0x1.680425af12b6p-1},
    {0x1.dp+2, 0x1.c35701a50ff06p+2, 0x1.e9137b7a7e564p+0},
    {0x1.4p+3, 0x1.99a8921a7f7cfp+3, 0x1.20396dc85cc96p+1},
    {0x1.5p+3, 0x1.be199a0f64394p+3, 0x1.26c8bce67b3afp+1},
    {0x1.edd2f1a9fbe77p+6, 0x1.d59b0522ff3bfp+8, 0x1.33f502faf1dfdp+2},
    {0x1.86a0555555555p+16, 0x1.00a9b8beeeb4fp+20, 0x1.7069df2b621b4p+3},
    {0x1.2d3104p+22, 0x1.0f4b6796bda09p+26, 0x1.ed2d85052341ep+3},
    {0x1.7d78444p+26, 0x1.9f576a6d0589ep+30, 0x1.26bb1be7a007cp+4},
    {0x1.0a741a46278p+58, 0x1.46c28ba022bbcp+63, 0x1.41f0c2b46127fp+5},
};

TEST(RMath, LgammaAndDigammaAreRsBits) {
  for (const auto& r : kR) {
    EXPECT_EQ(r_lgamma(r.x), r.lgamma) << std::hexfloat << r.x;
    EXPECT_EQ(r_digamma(r.x), r.digamma) << std::hexfloat << r.x;
  }
  EXPECT_TRUE(std::isnan(r_lgamma(0)));
  EXPECT_TRUE(std::isnan(r_digamma(-1)));
}

// The batch versions return the C library's pow, bit for bit, including where pow(x, -1) is not 1 / x (glibc:
// about one argument in a thousand), and at the edges of their fast path.
TEST(RMath, ReciprocalPowersEqualTheLibraryPow) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> log_x(-40, 40);
  std::vector<double> x(300000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::exp(log_x(rng)) + (i % 3 == 1 ? 1.0 : 0.0);
  for (const double edge : {0x1p-300, 0x1p-120, 0x1p120, 0x1p300, 1.0, 2.0, 0.5, 3.0, 1e-300, 1e300}) x.push_back(edge);
  std::vector<double> minus_one(x.size()), minus_two(x.size());
  pow_minus_one(x.data(), minus_one.data(), x.size());
  pow_minus_two(x.data(), minus_two.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(minus_one[i], libm_pow(x[i], -1.0)) << std::hexfloat << x[i];
    ASSERT_EQ(minus_two[i], libm_pow(x[i], -2.0)) << std::hexfloat << x[i];
  }
}

}  // namespace
}  // namespace ifnsig::norm
