// The follow-up, checked by hand: samples ordered by time within each subject, the first as baseline; visit
// labels in natural order (V2 before V10) or the given one; subjects with one sample listed apart; and the
// rows of trajectories.tsv (fold change NA unless both scores are positive).
#include "ifnsig/report/follow_up.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace ifnsig::report {
namespace {

ReportData data_with_scores(const std::vector<double>& scores, const std::vector<std::string>& calls) {
  ReportData data;
  PanelScores panel;
  panel.panel = "rice6";
  panel.method = "rice";
  for (std::size_t i = 0; i < scores.size(); ++i) {
    data.qc.push_back(QcRow{});
    data.qc.back().sample = "S" + std::to_string(i + 1);
    panel.points.push_back({static_cast<int>(i), scores[i], calls[i]});
  }
  data.panels.push_back(panel);
  return data;
}

TEST(FollowUp, SubjectsInTimeOrderWithTheirFirstSampleAsBaseline) {
  // Sheet order: A at day 28, a control, A at day 0, B at day 0 only.
  ReportData data = data_with_scores({2, 1, 8, 5}, {"high", "low", "high", "high"});
  data.follow_up = build_follow_up(data, {"A", "", "A", "B"}, {"28", "", "0", "0"}, "days", {});
  const FollowUp& f = data.follow_up;
  EXPECT_TRUE(f.numeric_time);
  ASSERT_EQ(f.trajectories.size(), 1u);
  EXPECT_EQ(f.trajectories[0].subject, "A");
  ASSERT_EQ(f.trajectories[0].points.size(), 2u);
  EXPECT_EQ(f.trajectories[0].points[0].sample, 2);  // day 0 first
  EXPECT_EQ(f.trajectories[0].points[1].x, 28);
  EXPECT_EQ(f.single_sample_subjects, (std::vector<std::string>{"B"}));
  std::ostringstream out;
  write_trajectories(out, data);
  EXPECT_EQ(out.str(),
            "subject\tpanel\tmethod\ttime\tsample\tscore\tcall\tbaseline_score\tfold_change\tdifference\tcall_changed\n"
            "A\trice6\trice\t0\tS3\t8\thigh\t8\t1\t0\tno\n"
            "A\trice6\trice\t28\tS1\t2\thigh\t8\t0.25\t-6\tno\n");
}

TEST(FollowUp, VisitLabelsInNaturalOrGivenOrder) {
  ReportData data = data_with_scores({1, 2, 3}, {"low", "low", "high"});
  data.follow_up = build_follow_up(data, {"A", "A", "A"}, {"V10", "V2", "baseline"}, "", {});
  EXPECT_FALSE(data.follow_up.numeric_time);
  EXPECT_EQ(data.follow_up.visits, (std::vector<std::string>{"V2", "V10", "baseline"}));
  data.follow_up = build_follow_up(data, {"A", "A", "A"}, {"V10", "V2", "baseline"}, "", {"baseline", "V2", "V10"});
  const auto& points = data.follow_up.trajectories.at(0).points;
  EXPECT_EQ(points[0].sample, 2);
  EXPECT_EQ(points[2].sample, 0);
  EXPECT_EQ(follow_up_time_problem({"V10", "V2"}, {"V2"}), "time 'V10' is not in --visit-order (V2)");
  EXPECT_EQ(follow_up_time_problem({"0", "28.5"}, {}), "");
}

TEST(FollowUp, FoldChangeIsNotAvailableForNonPositiveScores) {
  ReportData data = data_with_scores({-1, 2}, {"low", "high"});
  data.follow_up = build_follow_up(data, {"A", "A"}, {"0", "7"}, "days", {});
  std::ostringstream out;
  write_trajectories(out, data);
  EXPECT_NE(out.str().find("\t-1\tNA\t3\tyes\n"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace ifnsig::report
