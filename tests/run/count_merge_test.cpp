#include "ifnsig/run/count_merge.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::run {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class CountMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ifnsig_count_merge_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path table(const std::string& name, const std::string& sample, int a, int b,
                              const std::string& second_gene = "g2") {
    const auto path = dir_ / (name + ".counts.tsv");
    std::ofstream(path) << "# Program:ifnsig v0; Command:\"x\"\nGeneid\tChr\tStart\tEnd\tStrand\tLength\t" << sample
                        << "\ng1\tchr1\t1;20\t10;30\t+;+\t21\t" << a << '\n'
                        << second_gene << "\tchr2\t5\t50\t-\t46\t" << b << '\n';
    std::ofstream(path.string() + ".summary") << "Status\t" << sample << "\nAssigned\t" << a + b
                                              << "\nUnassigned_Unmapped\t" << a << '\n';
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(CountMergeTest, JoinsColumnsInSheetOrderWithAFixedProgramLine) {
  const auto a = table("a", "A", 1, 2), b = table("b", "B", 30, 40);
  const matrix::CountTable counts = merge_sample_counts({a, b}, {"A", "B"});
  EXPECT_EQ(counts.counts.values(1, 1), 40);
  EXPECT_EQ(counts.lengths_bp, (std::vector<double>{21, 46}));
  EXPECT_EQ(counts.sources, (std::vector<std::string>{a.string(), b.string()}));
  write_merged_counts(counts, dir_ / "counts.tsv");
  const std::string merged = slurp(dir_ / "counts.tsv");
  EXPECT_EQ(merged.substr(merged.find('\n') + 1),
            "Geneid\tChr\tStart\tEnd\tStrand\tLength\tA\tB\ng1\tchr1\t1;20\t10;30\t+;+\t21\t1\t30\n"
            "g2\tchr2\t5\t50\t-\t46\t2\t40\n");
  EXPECT_EQ(merged.find("# Program:ifnsig v"), 0u);
  write_merged_summary({a.string() + ".summary", b.string() + ".summary"}, {"A", "B"}, dir_ / "counts.tsv.summary");
  EXPECT_EQ(slurp(dir_ / "counts.tsv.summary"), "Status\tA\tB\nAssigned\t3\t70\nUnassigned_Unmapped\t1\t30\n");
}

TEST_F(CountMergeTest, RefusesTablesWithOtherGenes) {
  const auto a = table("a", "A", 1, 2), b = table("b", "B", 3, 4, "g3");
  EXPECT_THROW(merge_sample_counts({a, b}, {"A", "B"}), InputError);
}

}  // namespace
}  // namespace ifnsig::run
