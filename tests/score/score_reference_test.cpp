// The frozen reference: only the "score" object is written, and a sample scores the same with or without
// the rest of its cohort.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/reference_file.hpp"
#include "ifnsig/score/scorer.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

matrix::GeneMatrix cohort() {
  return test::small_matrix({"A", "B", "C", "D", "E"}, {"c1", "c2", "c3", "p1", "p2"},
                            {{1, 2, 4, 8, 6}, {10, 12, 30, 50, 20}, {5, 6, 7, 25, 5}, {3, 1, 2, 9, 4}, {7, 7, 7, 7, 7}});
}

// Panel A-D scored against c1-c3.
ScoreInput abcd_against_controls(const matrix::GeneMatrix& matrix) {
  ScoreInput input;
  input.matrix = &matrix;
  input.panels = {MatchedSet{"abcd", {0, 1, 2, 3}, {"A", "B", "C", "D"}, {}, 4, {}}};
  input.control_columns = {0, 1, 2};
  input.control_group = "group=control";
  return input;
}

ScoreOptions options() {
  ScoreOptions o;
  o.methods = {Method::kRice, Method::kZscoreControls, Method::kSingscore};
  o.min_genes = 2;
  return o;
}

TEST(ScoreReference, SavePreservesOtherKeysAndScoresDoNotDependOnTheCohort) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig_score_reference_test.json";
  std::ofstream(path) << R"({"format": "ifnsig-reference", "version": 7, "norm": {"size_factors": [1, 2]}})";
  const matrix::GeneMatrix matrix = cohort();
  const ScoreInput input = abcd_against_controls(matrix);
  const ScoreRun full = run_scores(input, options());
  save_score_reference(path.string(), full.reference_out, "test");

  nlohmann::json root;
  std::ifstream(path) >> root;
  EXPECT_EQ(root["version"], 7);
  EXPECT_EQ(root["norm"]["size_factors"][1], 2);
  EXPECT_TRUE(root["score"].contains("genes"));
  EXPECT_EQ(root["checksum"], reference_checksum(root));

  // Score p2 alone against the reference.
  const ScoreReference reference = load_score_reference(path.string());
  EXPECT_EQ(reference.control_samples, (std::vector<std::string>{"c1", "c2", "c3"}));
  matrix::GeneMatrix alone = test::small_matrix({"A", "B", "C", "D", "E"}, {"p2"}, {{6}, {20}, {5}, {4}, {7}});
  ScoreInput single;
  single.matrix = &alone;
  single.panels = input.panels;
  single.reference = &reference;
  const ScoreRun one = run_scores(single, options());
  ASSERT_EQ(one.rows.size(), 3u);
  for (const auto& row : one.rows) {
    const auto it = std::find_if(full.rows.begin(), full.rows.end(), [&](const ScoreRow& r) {
      return r.sample == 4 && r.method == row.method;
    });
    ASSERT_NE(it, full.rows.end());
    EXPECT_DOUBLE_EQ(row.score, it->score) << row.method;
    EXPECT_DOUBLE_EQ(row.threshold.value, it->threshold.value) << row.method;
    EXPECT_EQ(row.call, it->call) << row.method;
    EXPECT_EQ(row.threshold.rule.rfind("reference: ", 0), 0u);
  }
  std::filesystem::remove(path);
}

// The controls' scores are kept per panel and method, for placing a new sample among them. Rice by hand: control
// medians A 2, B 12, C 6, D 2; c1's fold changes 0.5, 5/6, 5/6, 1.5 (median 5/6), c2's 1, 1, 1, 0.5 (median 1),
// c3's 2, 2.5, 7/6, 1 (median (7/6 + 2) / 2 = 19/12).
TEST(ScoreReference, KeepsTheControlScoresAndReadsReferencesWithout) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig_score_reference_control_scores.json";
  std::filesystem::remove(path);
  const matrix::GeneMatrix matrix = cohort();
  const ScoreInput input = abcd_against_controls(matrix);
  save_score_reference(path.string(), run_scores(input, options()).reference_out, "test");
  const ScoreReference reference = load_score_reference(path.string());
  ASSERT_EQ(reference.thresholds.size(), 3u);
  EXPECT_EQ(reference.thresholds[0].method, "rice");
  const auto& rice = reference.thresholds[0].control_scores;
  ASSERT_EQ(rice.size(), 3u);
  EXPECT_DOUBLE_EQ(rice[0], 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(rice[1], 1.0);
  EXPECT_DOUBLE_EQ(rice[2], 19.0 / 12.0);
  for (const auto& t : reference.thresholds) EXPECT_EQ(t.control_scores.size(), 3u) << t.method;

  // A reference written before the scores were kept has no "control_scores": read, with none.
  nlohmann::json root;
  std::ifstream(path) >> root;
  for (auto& t : root["score"]["thresholds"]) t.erase("control_scores");
  write_reference_file(path.string(), root);
  const ScoreReference older = load_score_reference(path.string());
  ASSERT_EQ(older.thresholds.size(), 3u);
  EXPECT_DOUBLE_EQ(older.thresholds[0].threshold.value, reference.thresholds[0].threshold.value);
  for (const auto& t : older.thresholds) EXPECT_TRUE(t.control_scores.empty()) << t.method;
  std::filesystem::remove(path);
}

TEST(ScoreReference, RefusesFilesThatAreNotReferences) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig_score_not_reference.json";
  std::ofstream(path) << R"({"format": "something-else"})";
  EXPECT_THROW(load_score_reference(path.string()), InputError);
  EXPECT_THROW(save_score_reference(path.string(), ScoreReference{}, "test"), InputError);
  std::ofstream(path) << R"({"format": "ifnsig-reference", "version": 1})";
  EXPECT_THROW(load_score_reference(path.string()), InputError);  // no "score" object yet
  std::filesystem::remove(path);
}

TEST(ScoreReference, AnEditedReferenceIsNeitherReadNorSealedAgain) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig_score_edited_reference.json";
  std::filesystem::remove(path);
  ScoreReference saved;
  saved.control_group = "group=control";
  saved.genes["IFI27"] = GeneStats{2.0, 2.5, 0.5, true};
  saved.thresholds.push_back(ReferenceThreshold{"rice6", "rice", Threshold{3.25, "mean + 2 SD"}, {}});
  save_score_reference(path.string(), saved, "test");
  EXPECT_DOUBLE_EQ(load_score_reference(path.string()).thresholds.at(0).threshold.value, 3.25);

  nlohmann::json root;
  std::ifstream(path) >> root;
  root["score"]["thresholds"][0]["value"] = 2.25;  // a threshold lowered by hand
  std::ofstream(path) << root.dump(2);
  try {
    load_score_reference(path.string());
    ADD_FAILURE() << "an edited reference was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_NE(std::string(e.what()).find("modified after ifnsig wrote it"), std::string::npos) << e.what();
  }
  // Saving over it would give the edit a valid checksum: refused, the file is left as it is.
  EXPECT_THROW(check_score_reference_target(path.string()), InputError);
  EXPECT_THROW(save_score_reference(path.string(), saved, "test"), InputError);
  nlohmann::json after;
  std::ifstream(path) >> after;
  EXPECT_EQ(after, root);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ifnsig::score
