#include "ifnsig/io/sample_sheet.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::io {
namespace {

SampleSheet sheet_of(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return SampleSheet::read(path);
}

// The rules shared with `ifnsig run`'s sheet: comments and blank lines skipped, fields trimmed, CRLF read.
TEST(SampleSheet, SkipsCommentsAndBlankLinesAndTrimsFields) {
  const auto sheet = sheet_of("rules.tsv", "# cohort 1\r\n\nsample\t group \r\nA\tcontrol \r\n\n# B is out\nC\tcase\n");
  EXPECT_EQ(sheet.columns(), (std::vector<std::string>{"sample", "group"}));
  EXPECT_EQ(sheet.samples(), (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(sheet.value(0, "group"), "control");
}

// Every problem names the sheet and its line.
TEST(SampleSheet, ErrorsNameTheLine) {
  const auto message_of = [](const std::string& name, const std::string& text) {
    try {
      sheet_of(name, text);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of("fields.tsv", "sample\tgroup\nA\tcontrol\nB case\n").find("line 3: expected 2 tab-separated fields, found 1"),
            std::string::npos);
  EXPECT_NE(message_of("header.tsv", "# x\nid\tgroup\nA\tcase\n").find("line 2: the header has no 'sample' column"),
            std::string::npos);
  EXPECT_NE(message_of("twice.tsv", "sample\nA\nB\nA\n").find("line 4: duplicate sample id 'A'"), std::string::npos);
  EXPECT_NE(message_of("empty.tsv", "# only a comment\n").find("the sample sheet is empty"), std::string::npos);
  // Text that goes into JSON outputs and file names, checked before any output is written.
  EXPECT_NE(message_of("latin1.tsv", "sample\tgroup\nA\tcontrol\nB\tcaf\xE9\n")
                .find("line 3: the 'group' value 'caf\\xE9' is not valid UTF-8 (byte 4)"),
            std::string::npos);
  EXPECT_NE(message_of("nul.tsv", std::string("sample\nA\ns\0x\n", 13)).find("line 3: sample id 's\\0x' has a control character"),
            std::string::npos);
  EXPECT_NE(message_of("slash.tsv", "sample\nA\nrun1/B\n").find("line 3: sample id 'run1/B' has a '/'"), std::string::npos);
  EXPECT_NE(message_of("long.tsv", "sample\n" + std::string(300, 'x') + "\n").find("line 2: sample id"), std::string::npos);
}

// A cohort's sheet serves a run on some of its samples: rows in the other side's order, extra rows left out.
TEST(SampleSheet, MatchFollowsTheSamplesAndLeavesOutExtraRows) {
  const auto sheet = sheet_of("cohort.tsv", "sample\tgroup\nA\tcontrol\nB\tcase\nC\tcase\n");
  EXPECT_EQ(sheet.match({"C", "A"}, "x.tsv"), (std::vector<std::size_t>{2, 0}));
}

TEST(SampleSheet, SamplesMissingFromTheSheetAreOneErrorWithAShortList) {
  const auto sheet = sheet_of("short.tsv", "sample\nS0\nS1\nS2\n");
  std::vector<std::string> samples;
  for (int i = 0; i < 15; ++i) samples.push_back(std::string(1, 'T').append(std::to_string(i)));
  try {
    sheet.match(samples, "x.tsv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("15 samples of x.tsv are not in the sheet: T0, T1, T2, T3, T4, T5, T6, T7, T8, T9 and 5 more"),
              std::string::npos)
        << message;
    EXPECT_NE(e.hint().find("the sheet's samples not in x.tsv: S0, S1, S2; renamed?"), std::string::npos) << e.hint();
  }
}

}  // namespace
}  // namespace ifnsig::io
