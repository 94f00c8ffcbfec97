// Rice score, control z-scores, module scores and calls on a hand-computed example.
#include <cmath>

#include "ifnsig/core/error.hpp"
#include "ifnsig/score/scorer.hpp"
#include "score/stats.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

// Controls are c1..c3. Control medians: A 2, B 10, C 5 (C is constant in the controls: SD 0).
matrix::GeneMatrix example() {
  return test::small_matrix({"A", "B", "C"}, {"c1", "c2", "c3", "p1", "p2"},
                            {{1, 2, 4, 8, 6}, {10, 10, 30, 50, 20}, {5, 5, 5, 25, 5}});
}

ScoreRun run_example(std::vector<Method> methods, int min_genes = 2) {
  static const matrix::GeneMatrix matrix = example();
  ScoreInput input;
  input.matrix = &matrix;
  input.panels = {MatchedSet{"abc", {0, 1, 2}, {"A", "B", "C"}, {}, 3, {}}};
  input.control_columns = {0, 1, 2};
  input.control_group = "group=control";
  ScoreOptions options;
  options.methods = std::move(methods);
  options.min_genes = min_genes;
  options.module = ModuleThresholds{1.5, 1.0};
  return run_scores(input, options);
}

TEST(Stats, FollowRConventions) {
  const std::vector<double> even{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(median(even), 2.5);
  EXPECT_DOUBLE_EQ(sd(std::vector<double>{1, 2, 4}), std::sqrt(7.0 / 3.0));
  EXPECT_DOUBLE_EQ(mad(std::vector<double>{1, 2, 4, 8}), kMadConstant * 1.5);  // median 3, |dev| 2 1 1 5
  std::vector<double> ranks;
  rank(std::vector<double>{3, 1, 3, 2}, TieMethod::kAverage, ranks);
  EXPECT_EQ(ranks, (std::vector<double>{3.5, 1, 3.5, 2}));
  rank(std::vector<double>{3, 1, 3, 2}, TieMethod::kMin, ranks);
  EXPECT_EQ(ranks, (std::vector<double>{3, 1, 3, 2}));
}

TEST(ControlMethods, RiceScoreIsMedianFoldChangeAgainstControlMedian) {
  const ScoreRun run = run_example({Method::kRice});
  // fold changes per sample (A, B, C): c1 (.5,1,1) c2 (1,1,1) c3 (2,3,1) p1 (4,5,5) p2 (3,2,1)
  const std::vector<double> expected{1, 1, 2, 5, 2};
  ASSERT_EQ(run.rows.size(), 5u);
  for (std::size_t j = 0; j < 5; ++j) {
    EXPECT_DOUBLE_EQ(run.rows[j].score, expected[j]);
    EXPECT_EQ(run.rows[j].n_genes_used, 3);
  }
  // control scores 1, 1, 2: mean 4/3, sd sqrt(1/3)
  const double threshold = 4.0 / 3.0 + 2.0 * std::sqrt(1.0 / 3.0);
  EXPECT_NEAR(run.rows[3].threshold.value, threshold, 1e-12);
  EXPECT_EQ(run.rows[3].call, "high");
  EXPECT_EQ(run.rows[4].call, "low");
  EXPECT_EQ(run.rows[3].threshold.rule, "controls mean+2sd (n=3)");
}

TEST(ControlMethods, ZscoreAgainstControlsDropsGenesWithZeroSd) {
  const ScoreRun run = run_example({Method::kZscoreControls, Method::kZscoreControlsMean});
  // gene C has SD 0 in the controls: left out. A: mean 7/3, sd sqrt(7/3); B: mean 50/3, sd sqrt(400/3).
  const double za = (8.0 - 7.0 / 3.0) / std::sqrt(7.0 / 3.0);
  const double zb = (50.0 - 50.0 / 3.0) / std::sqrt(400.0 / 3.0);
  ASSERT_EQ(run.rows.size(), 10u);
  EXPECT_NEAR(run.rows[3].score, za + zb, 1e-12);
  EXPECT_EQ(run.rows[3].n_genes_used, 2);
  EXPECT_NEAR(run.rows[8].score, (za + zb) / 2.0, 1e-12);
  EXPECT_EQ(run.rows[8].method, "zscore-controls-mean");
}

TEST(ControlMethods, ZscoreRefusesAPanelLeftWithTooFewGenes) {
  EXPECT_THROW(run_example({Method::kZscoreControls}, 3), InputError);
}

TEST(ControlMethods, ModulePercentUpMinusDown) {
  const ScoreRun run = run_example({Method::kModule});
  // p1: A 8 vs 7/3, B 50 vs 50/3, C 25 vs 5: all up. c1: A and B down (FC -2.33, -1.67), C unchanged.
  EXPECT_DOUBLE_EQ(run.rows[3].score, 100.0);
  EXPECT_NEAR(run.rows[0].score, -200.0 / 3.0, 1e-12);
}

TEST(ControlMethods, SignedFoldChangeLikeGtools) {
  EXPECT_DOUBLE_EQ(signed_fold_change(4, 2), 2.0);
  EXPECT_DOUBLE_EQ(signed_fold_change(1, 4), -4.0);
}

TEST(ControlMethods, NoControlsIsAUsageErrorForControlMethods) {
  const matrix::GeneMatrix matrix = example();
  ScoreInput input;
  input.matrix = &matrix;
  input.panels = {MatchedSet{"abc", {0, 1, 2}, {"A", "B", "C"}, {}, 3, {}}};
  ScoreOptions options;
  options.methods = {Method::kRice};
  EXPECT_THROW(run_scores(input, options), UsageError);
  options.methods = {Method::kSingscore};
  options.min_genes = 1;
  input.panels = {MatchedSet{"ab", {0, 1}, {"A", "B"}, {}, 2, {}}};
  const ScoreRun run = run_scores(input, options);
  EXPECT_EQ(run.rows[0].call, "NA");  // no controls, no reference: no threshold
}

TEST(ControlMethods, NegativeValuesAreRefusedForRice) {
  matrix::GeneMatrix matrix = example();
  matrix.values(0, 4) = -1.0;
  ScoreInput input;
  input.matrix = &matrix;
  input.panels = {MatchedSet{"abc", {0, 1, 2}, {"A", "B", "C"}, {}, 3, {}}};
  input.control_columns = {0, 1, 2};
  ScoreOptions options;
  EXPECT_THROW(run_scores(input, options), InputError);
}

TEST(ControlMethods, PublishedRiceThreshold) {
  const matrix::GeneMatrix matrix = example();
  ScoreInput input;
  input.matrix = &matrix;
  input.panels = {MatchedSet{"abc", {0, 1, 2}, {"A", "B", "C"}, {}, 3, {}}};
  input.control_columns = {0, 1, 2};
  ScoreOptions options;
  options.rice_published_threshold = true;
  const ScoreRun run = run_scores(input, options);
  EXPECT_DOUBLE_EQ(run.rows[0].threshold.value, 2.466);
  EXPECT_EQ(run.rows[3].call, "high");
  EXPECT_EQ(run.rows[2].call, "low");
  // A saved reference still carries the controls' own threshold.
  ASSERT_EQ(run.reference_out.thresholds.size(), 1u);
  EXPECT_NEAR(run.reference_out.thresholds[0].threshold.value, 4.0 / 3.0 + 2.0 * std::sqrt(1.0 / 3.0), 1e-12);
}

}  // namespace
}  // namespace ifnsig::score
