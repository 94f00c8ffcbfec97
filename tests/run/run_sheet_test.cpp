#include "ifnsig/run/run_sheet.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::run {
namespace {

class RunSheetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ifnsig_run_sheet_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "bam");
    for (const char* name : {"a.bam", "b.bam", "c.bam"}) std::ofstream(dir_ / "bam" / name) << "x";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) {
    const auto path = dir_ / "samples.tsv";
    std::ofstream(path) << text;
    return path.string();
  }
  std::filesystem::path dir_;
};

TEST_F(RunSheetTest, ReadsColumnsAndResolvesPathsAgainstTheSheet) {
  const auto path = write("# comment\nsample\tbam\tgroup\tbatch\tpaired\tstrand\n"
                          "A\tbam/a.bam\tcontrol\tb1\tyes\treverse\nB\tbam/b.bam\tpatient\tb2\t\tauto\n");
  Problems problems;
  const RunSheet sheet = read_run_sheet(path, SheetRules{}, problems);
  ASSERT_TRUE(problems.empty());
  ASSERT_EQ(sheet.samples.size(), 2u);
  EXPECT_EQ(sheet.samples[0].bam_path, dir_ / "bam/a.bam");
  EXPECT_EQ(sheet.samples[0].paired, std::optional<bool>(true));
  EXPECT_EQ(sheet.samples[0].strand, std::optional<count::Strandedness>(count::Strandedness::kReverse));
  EXPECT_FALSE(sheet.samples[1].paired.has_value());
  EXPECT_EQ(sheet.samples[1].strand, std::optional<count::Strandedness>(count::Strandedness::kAuto));
  EXPECT_EQ(sheet.samples[1].batch, "b2");
  EXPECT_TRUE(sheet.has_batch);
}

TEST_F(RunSheetTest, ListsEveryProblemInOneError) {
  const auto path = write("sample\tbam\tgroup\tage\tpaired\n"
                          "A\tbam/a.bam\tpatient\t1\tyes\nA\tbam/b.bam\tpatient\t2\tmaybe\n"
                          "C\tbam/missing.bam\tpatient\t3\tno\n");
  Problems problems;
  read_run_sheet(path, SheetRules{}, problems);
  try {
    problems.throw_if_any(path, "fix it");
    FAIL() << "expected an error";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("5 problems"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown column 'age'"), std::string::npos);
    EXPECT_NE(message.find("duplicate sample id 'A'"), std::string::npos);
    EXPECT_NE(message.find("missing.bam does not exist"), std::string::npos);
    EXPECT_NE(message.find("paired 'maybe'"), std::string::npos);
    EXPECT_NE(message.find("no control samples"), std::string::npos);
  }
}

// Sample ids name files under OUTDIR/samples, and every field goes into run.json: checked before counting.
TEST_F(RunSheetTest, SampleIdsAndFieldsThatCannotBeWrittenAreProblems) {
  using namespace std::string_literals;
  const auto path = write("sample\tbam\tgroup\nA\tbam/a.bam\tcontrol\nB\tbam/b.bam\tcaf\xE9\n"
                          "c\0d\tbam/c.bam\tcontrol\nx/y\tbam/c.bam\tcontrol\n"s +
                          std::string(300, 'z') + "\tbam/c.bam\tcontrol\n");
  Problems problems;
  read_run_sheet(path, SheetRules{}, problems);
  try {
    problems.throw_if_any(path, "fix it");
    FAIL() << "expected an error";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("4 problems"), std::string::npos) << message;
    EXPECT_NE(message.find("line 3: the 'group' value 'caf\\xE9' is not valid UTF-8"), std::string::npos) << message;
    EXPECT_NE(message.find("line 4: sample id 'c\\0d' has a control character"), std::string::npos) << message;
    EXPECT_NE(message.find("line 5: sample id 'x/y' has a '/'"), std::string::npos) << message;
    EXPECT_NE(message.find("line 6: sample id 'zzz"), std::string::npos) << message;
    EXPECT_NE(message.find("is longer than 213 bytes"), std::string::npos) << message;
  }
}

TEST_F(RunSheetTest, ExtraColumnsAndReferenceRelaxTheChecks) {
  const auto path = write("sample\tbam\tgroup\tage\nA\tbam/a.bam\tpatient\t41\n");
  Problems problems;
  SheetRules rules;
  rules.need_controls = false;
  rules.extra_columns = {"age"};
  const RunSheet sheet = read_run_sheet(path, rules, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(sheet.samples[0].extra, std::vector<std::string>{"41"});
}

TEST_F(RunSheetTest, MissingRequiredColumns) {
  const auto path = write("sample\tgroup\nA\tcontrol\n");
  Problems problems;
  read_run_sheet(path, SheetRules{}, problems);
  EXPECT_THROW(problems.throw_if_any(path, ""), InputError);
}

TEST_F(RunSheetTest, CountsGivenNeedNoAlignments) {
  SheetRules rules;
  rules.alignments = false;  // run --counts / --quant-dir
  Problems problems;
  const RunSheet sheet = read_run_sheet(write("sample\tgroup\nA\tcontrol\nB\tpatient\n"), rules, problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(sheet.samples.size(), 2u);
  EXPECT_TRUE(sheet.samples[0].bam.empty());
  // A bam column may stay; its files, and the paired and strand values, are not read.
  Problems with_bam;
  const RunSheet kept =
      read_run_sheet(write("sample\tbam\tgroup\tpaired\nA\tnone.bam\tcontrol\tmaybe\n"), rules, with_bam);
  EXPECT_TRUE(with_bam.empty());
  EXPECT_FALSE(kept.samples[0].paired.has_value());
  Problems counted;  // counting from alignments needs the column
  read_run_sheet(write("sample\tgroup\nA\tcontrol\n"), SheetRules{}, counted);
  EXPECT_FALSE(counted.empty());
}

TEST(RunSheetValues, PairedAndStrandSpellings) {
  EXPECT_EQ(parse_paired("TRUE"), std::optional<bool>(true));
  EXPECT_EQ(parse_paired("single"), std::optional<bool>(false));
  EXPECT_FALSE(parse_paired("2").has_value());
  EXPECT_EQ(parse_strand("2"), std::optional<count::Strandedness>(count::Strandedness::kReverse));
  EXPECT_EQ(parse_strand("Unstranded"), std::optional<count::Strandedness>(count::Strandedness::kUnstranded));
  EXPECT_FALSE(parse_strand("sense").has_value());
}

}  // namespace
}  // namespace ifnsig::run
