#include "ifnsig/norm/frozen_reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace ifnsig {
namespace {

TEST(FrozenReference, JsonRoundTripIsExact) {
  FrozenReference ref;
  ref.ifnsig_version = "test";
  ref.genes = {"g1", "g2"};
  ref.samples = {"a"};
  ref.factors.method = FactorMethod::kRatio;
  ref.factors.log_geo_means = {0.1 + 0.2, -std::numeric_limits<double>::infinity()};
  ref.factors.centering = 1.0 / 3.0;
  ref.transform.kind = TransformKind::kVst;
  ref.vst_trend = DispersionTrend{0.123456789012345678, 3.3};
  ref.score_json = R"({"panel":{"x":1}})";
  std::stringstream text;
  write_reference(ref, text);
  const auto path = std::string(::testing::TempDir()) + "/ref.json";
  {
    std::ofstream out(path);
    out << text.str();
  }
  const auto back = read_reference(path);
  EXPECT_EQ(back.factors.log_geo_means[0], ref.factors.log_geo_means[0]);
  EXPECT_TRUE(std::isinf(back.factors.log_geo_means[1]));
  EXPECT_EQ(back.factors.centering, ref.factors.centering);
  EXPECT_EQ(back.vst_trend->asympt_disp, ref.vst_trend->asympt_disp);
  EXPECT_EQ(back.score_json, R"({"panel":{"x":1}})");
}

}  // namespace
}  // namespace ifnsig
