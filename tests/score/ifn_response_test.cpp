// The dominant-response rule (score/ifn_response.hpp) on hand-checked scores: each panel against its own
// threshold (controls mean + 2 SD) and, when both are high, the larger excess in control SDs by a factor of 2.
#include <gtest/gtest.h>

#include <cmath>

#include "ifnsig/score/ifn_response.hpp"

namespace ifnsig::score {
namespace {

// A panel whose controls scored mean 1, SD 0.25: threshold 1.5.
ResponseScore panel(double score, double mean = 1.0, double sd = 0.25) {
  Threshold t;
  t.control_mean = mean;
  t.control_sd = sd;
  t.value = mean + 2 * sd;
  t.rule = "controls mean+2sd (n=6)";
  return {score, t};
}

TEST(DominantResponse, EachPanelAgainstItsOwnThreshold) {
  EXPECT_EQ(dominant_response(panel(1.2), panel(1.4)).call, "none");
  EXPECT_EQ(dominant_response(panel(3.0), panel(1.4)).call, "I");
  EXPECT_EQ(dominant_response(panel(1.2), panel(1.6)).call, "II");
  // The type II panel's controls vary four times less: 1.6 is 0.4 SD above its threshold of 1.5 ...
  const auto d = dominant_response(panel(2.0), panel(1.6, 1.0, 0.25));
  EXPECT_DOUBLE_EQ(d.excess_i, 2.0);   // (2.0 - 1.5) / 0.25
  EXPECT_NEAR(d.excess_ii, 0.4, 1e-12);  // (1.6 - 1.5) / 0.25
  EXPECT_EQ(d.call, "I");              // 2.0 >= 2 x 0.4
}

TEST(DominantResponse, BothHighNeedsATwofoldLargerExcessToDominate) {
  EXPECT_EQ(dominant_response(panel(2.5), panel(2.0)).call, "I");     // excesses 4 and 2: exactly 2x
  EXPECT_EQ(dominant_response(panel(2.4), panel(2.0)).call, "I+II");  // 3.6 < 2 x 2
  EXPECT_EQ(dominant_response(panel(1.75), panel(3.5)).call, "II");   // 1 and 8
  // Scales differ: a type II panel whose controls spread 1.0 (threshold 3) is compared in its own SDs.
  const auto d = dominant_response(panel(2.5), panel(5.0, 1.0, 1.0));
  EXPECT_DOUBLE_EQ(d.excess_i, 4.0);
  EXPECT_DOUBLE_EQ(d.excess_ii, 2.0);
  EXPECT_EQ(d.call, "I");
}

TEST(DominantResponse, UnknownThresholdOrSpread) {
  ResponseScore no_threshold{2.0, Threshold{}};
  EXPECT_EQ(dominant_response(no_threshold, panel(1.0)).call, "NA");
  EXPECT_EQ(dominant_response(panel(1.0), no_threshold).call, "NA");
  // Scored against a reference: thresholds without the controls' SD. One high panel still decides; two cannot
  // be ranked.
  ResponseScore a = panel(3.0), b = panel(3.0);
  a.threshold.control_sd = b.threshold.control_sd = std::nan("");
  EXPECT_EQ(dominant_response(a, panel(1.0)).call, "I");
  const auto d = dominant_response(a, b);
  EXPECT_EQ(d.call, "I+II");
  EXPECT_TRUE(std::isnan(d.excess_i));
}

TEST(DominantResponse, FindsTheFirstPanelOfEachResponse) {
  std::vector<GeneSet> panels(4);
  panels[0].response = "";
  panels[1].response = "type II";
  panels[2].response = "type I";
  panels[3].response = "type I";
  const ResponsePanels found = find_response_panels(panels);
  EXPECT_EQ(found.type_i, 2);
  EXPECT_EQ(found.type_ii, 1);
  EXPECT_TRUE(found.complete());
  EXPECT_FALSE(find_response_panels({panels[0], panels[3]}).complete());
}

}  // namespace
}  // namespace ifnsig::score
