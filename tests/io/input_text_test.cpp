// The rules for text read from inputs: sheet fields, sample and gene ids are UTF-8; a sample id also names
// files under OUTDIR/samples.
#include "ifnsig/io/input_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ifnsig::io {
namespace {

TEST(InputText, Utf8ProblemNamesTheTextAndTheByte) {
  EXPECT_EQ(utf8_problem("gene id", "ENSG00000185745"), "");
  EXPECT_EQ(utf8_problem("gene id", "caf\xC3\xA9"), "");
  EXPECT_EQ(utf8_problem("gene id", "caf\xE9"), "gene id 'caf\\xE9' is not valid UTF-8 (byte 4)");
}

TEST(InputText, SampleIdsAreFileNameComponents) {
  EXPECT_EQ(sample_id_problem("R01_16 day 0"), "");
  EXPECT_EQ(sample_id_problem(std::string(kMaxSampleIdBytes, 'x')), "");
  EXPECT_EQ(sample_id_problem(""), "empty sample id");
  EXPECT_EQ(sample_id_problem(std::string("s\0x", 3)), "sample id 's\\0x' has a control character (byte 2)");
  EXPECT_EQ(sample_id_problem("s\nx"), "sample id 's\\nx' has a control character (byte 2)");
  EXPECT_EQ(sample_id_problem("a/b"), "sample id 'a/b' has a '/'");
  EXPECT_EQ(sample_id_problem("s\xFF"), "sample id 's\\xFF' is not valid UTF-8 (byte 2)");
  EXPECT_NE(sample_id_problem(std::string(kMaxSampleIdBytes + 1, 'x')).find("(214 bytes) is longer than 213 bytes"),
            std::string::npos);
  // The longest file name made of the longest id fits a file name component.
  EXPECT_LE(kMaxSampleIdBytes + kLongestSampleFileSuffix.size() + std::string(".tmp.4194304").size(), 255U);
}

}  // namespace
}  // namespace ifnsig::io
