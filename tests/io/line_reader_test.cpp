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

namespace ifnsig::io {
namespace {

std::string temp_path(const std::string& name) { return std::string(::testing::TempDir()) + "/line_reader_" + name; }

// mode "": plain; "w": bgzip; "wg": plain gzip ("wg0": stored, its size about the text's).
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
    EXPECT_NE(error.find(path + ":line " + std::to_string(returned + 1) + ": the file is truncated"), std::string::npos)
        << mode << ": " << error;
  }
  hts_set_log_level(log_level);
}

std::string read_bytes(const std::string& path) {
  std::string bytes(std::filesystem::file_size(path), '\0');
  std::ifstream(path, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

// One gzip member of `text` (HTSlib's gzip writer, `mode` "wg" or "wg0"), with a file name, a comment and an
// extra field of `extra_bytes` (not BGZF's) spliced into its header.
std::string gzip_member(const std::string& text, const char* mode, std::size_t extra_bytes) {
  std::string bytes = read_bytes(write_file("member.gz", text, mode));
  EXPECT_EQ(bytes[3], 0) << "expected a header without optional fields";
  std::string fields;
  fields += static_cast<char>(extra_bytes & 0xFF);
  fields += static_cast<char>(extra_bytes >> 8);
  fields += std::string(extra_bytes, 'x');  // subfield "xx" of length "xx": a valid-looking, unknown subfield
  fields += std::string("cohort.gtf\0a comment\0", 21);
  bytes[3] = 4 | 8 | 16;  // FEXTRA, FNAME, FCOMMENT
  bytes.insert(10, fields);
  return bytes;
}

std::string numbered_lines(int first, int count, std::vector<std::string>& lines) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    lines.push_back("ENSG" + std::to_string(i) + "\t" + std::to_string(i * 7919 % 100003));
    text += lines.back() + "\n";
  }
  return text;
}

// Concatenated members are one file (gzip -c a b); each may carry header fields. The second member starts 1,
// 2 or 3 bytes before the reader's first 1 MiB of input ends, so its magic number is split across reads.
TEST(LineReader, GzipMembersOneAfterAnotherAndSplitAcrossReads) {
  constexpr std::size_t kRead = std::size_t{1} << 20;
  for (std::size_t before_end : {1, 2, 3}) {
    std::vector<std::string> expected;
    const std::string first_text = numbered_lines(0, 60000, expected);  // about 1 MB: stored, it stays that size
    std::string first = gzip_member(first_text, "wg0", 0);
    ASSERT_LT(first.size(), kRead - before_end - 6);
    first = gzip_member(first_text, "wg0", kRead - before_end - first.size());
    ASSERT_EQ(first.size(), kRead - before_end);
    const std::string second = gzip_member(numbered_lines(60000, 20000, expected), "wg", 2);
    const auto path = write_file("members.gz", first + second + gzip_member("last\n", "wg", 0));
    expected.push_back("last");
    EXPECT_EQ(all_lines(path), expected) << before_end;
  }
}

TEST(LineReader, GzipWithAWrongChecksumFailsAfterItsLastLine) {
  std::vector<std::string> lines;
  std::string bytes = read_bytes(write_file("checksum.gz", numbered_lines(0, 1000, lines), "wg"));
  bytes[bytes.size() - 8] ^= 1;  // the CRC32 in the trailer
  const auto path = write_file("checksum.gz", bytes);
  std::size_t returned = 0;
  try {
    LineReader reader(path);
    std::string_view line;
    while (reader.next(line)) ++returned;
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(returned, lines.size());
    EXPECT_NE(std::string(e.what()).find(":line 1001: the file is corrupt (gzip CRC mismatch)"), std::string::npos)
        << e.what();
  }
}

// As with zlib, bytes after the last member that do not start another member are not part of the text.
TEST(LineReader, BytesAfterTheLastGzipMemberAreIgnored) {
  const std::string member = read_bytes(write_file("tail.gz", "a\nb\n", "wg"));
  EXPECT_EQ(all_lines(write_file("tail.gz", member + std::string("\0\0\0\0junk", 8))),
            (std::vector<std::string>{"a", "b"}));
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
}  // namespace ifnsig::io
