#include "ifnsig/norm/frozen_reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::norm {
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
  const auto path = std::string(::testing::TempDir()) + "/ref.json";
  write_reference(ref, path);
  const auto back = read_reference(path);
  EXPECT_EQ(back.factors.log_geo_means[0], ref.factors.log_geo_means[0]);
  EXPECT_TRUE(std::isinf(back.factors.log_geo_means[1]));
  EXPECT_EQ(back.factors.centering, ref.factors.centering);
  EXPECT_EQ(back.vst_trend->asympt_disp, ref.vst_trend->asympt_disp);
  EXPECT_EQ(back.score_json, R"({"panel":{"x":1}})");
}

TEST(FrozenReference, EditedByHandIsRefused) {
  FrozenReference ref;
  ref.ifnsig_version = "test";
  ref.genes = {"IFI27", "RSAD2"};
  ref.samples = {"a"};
  ref.factors.method = FactorMethod::kRatio;
  ref.factors.log_geo_means = {2.5, 0.125};
  ref.transform.kind = TransformKind::kCounts;
  const auto path = std::string(::testing::TempDir()) + "/ref_edited.json";
  write_reference(ref, path);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  std::string edited = text.str();
  edited[edited.find("0.125") + 4] = '6';
  std::ofstream(path) << edited;
  try {
    read_reference(path);
    ADD_FAILURE() << "an edited reference was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(std::string(e.what()).find("modified after ifnsig wrote it"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ifnsig::norm
