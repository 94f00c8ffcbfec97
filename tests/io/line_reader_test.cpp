// LineReader: line terminators, long lines, compressed files, and a truncated file failing at the cut line.
#include "ifnsig/io/line_reader.hpp"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <htslib/hts_log.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

std::string temp_path(const std::string& name) { return std::string(::testing::TempDir()) + "/line_reader_" + name; }

// mode "": plain; "w": bgzip; "wg": plain gzip.
std::string write_file(const std::string& name, const std::string& text, const char* mode = "") {
  const auto path = temp_path(name);
  if (*mode == '\0') {
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  BGZF* file = bgzf_open(path.c_str(), mode);
  EXPECT_NE(file, nullptr);
  EXPECT_EQ(bgzf_write(file, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  EXPECT_EQ(bgzf_close(file), 0);
  return path;
}

std::vector<std::string> all_lines(const std::string& path) {
  LineReader reader(path);
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line)) {
    lines.emplace_back(line);
    EXPECT_EQ(reader.line_number(), lines.size());
  }
  return lines;
}

TEST(LineReader, TerminatorsBlankLinesAndALastLineWithoutNewline) {
  const std::string text = "a\r\n\nb\r\r\n\r\nc\td";
  const std::vector<std::string> expected{"a", "", "b", "", "c\td"};
  for (const char* mode : {"", "w", "wg"}) {
    EXPECT_EQ(all_lines(write_file("terminators", text, mode)), expected) << "mode '" << mode << "'";
  }
  EXPECT_TRUE(all_lines(write_file("empty", "")).empty());
  EXPECT_EQ(all_lines(write_file("only_newline", "\n")), std::vector<std::string>{""});
}

TEST(LineReader, LinesLongerThanOneReadAndManyShortOnes) {
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 50000; ++i) expected.push_back("gene" + std::to_string(i) + "\t" + std::to_string(i * 7));
  expected.insert(expected.begin() + 20000, std::string(3'000'000, 'x'));
  for (const auto& line : expected) text += line + "\n";
  for (const char* mode : {"", "w"}) EXPECT_EQ(all_lines(write_file("long", text, mode)), expected) << mode;
}

TEST(LineReader, TruncatedFileFailsAtTheCutLine) {
  std::string text;
  std::vector<std::string> lines;
  for (int i = 0; i < 100000; ++i) {
    lines.push_back("gene" + std::to_string(i) + "\t" + std::to_string(i * 7919 % 100003));
    text += lines.back() + "\n";
  }
  const htsLogLevel log_level = hts_get_log_level();
  hts_set_log_level(HTS_LOG_OFF);  // HTSlib reports the failed block
  for (const char* mode : {"w", "wg"}) {
    const auto path = write_file("truncated.gz", text, mode);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) * 2 / 3);
    std::size_t returned = 0;
    std::string error;
    try {
      LineReader reader(path);
      std::string_view line;
      while (reader.next(line)) {
        ASSERT_EQ(line, lines[returned]) << mode;  // never the decodable start of the cut line
        ++returned;
      }
    } catch (const InputError& e) {
      error = e.what();
    }
    EXPECT_GT(returned, 1000u) << mode;
    EXPECT_LT(returned, lines.size() - 1000) << mode;
    EXPECT_NE(error.find(path + ":line " + std::to_string(returned + 1) + ": the file is truncated or not valid gzip"),
              std::string::npos)
        << mode << ": " << error;
  }
  hts_set_log_level(log_level);
}

TEST(LineReader, MissingFileNamesIt) {
  const auto path = temp_path("missing.txt");
  try {
    LineReader reader(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("cannot open the file"), std::string::npos);
  }
}

}  // namespace
}  // namespace ifnsig
