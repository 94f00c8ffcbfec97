#include "count/sam_header_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string header_text(const ifnsig::count::ReadableSamHeader& readable) {
  return sam_hdr_str(readable.header.get());
}

}  // namespace

TEST(SamHeaderText, KeepsAHeaderHtslibReadsWhole) {
  const auto readable = ifnsig::count::keep_readable_header_lines(
      {"@HD\tVN:1.6", "@SQ\tSN:chr1\tLN:100", "@PG\tID:bwa", "@CO\tfree text"});
  ASSERT_TRUE(readable.header);
  EXPECT_EQ(readable.left_out, 0u);
  EXPECT_EQ(sam_hdr_nref(readable.header.get()), 1);
}

TEST(SamHeaderText, LeavesOutTheLinesHtslibRefusesAndNamesTheFirst) {
  const auto readable = ifnsig::count::keep_readable_header_lines(
      {"@HD\tVN:1.6", "@SQ\tSN:chr1\tLN:100", "@PG", "@SQ\tSN:chr2\tLN:50", "@RG\tSM:x", "@SQ\tSN:chr1\tLN:7",
       "@PG\tID:a\tfoo", "@PG\tID:b"});
  ASSERT_TRUE(readable.header);
  EXPECT_EQ(readable.left_out, 4u);
  EXPECT_EQ(readable.first_left_out, 3u);
  EXPECT_EQ(readable.first_left_out_text, "@PG");
  EXPECT_EQ(sam_hdr_nref(readable.header.get()), 2);
  EXPECT_EQ(sam_hdr_tid2len(readable.header.get(), 0), 100);
  EXPECT_EQ(header_text(readable), "@HD\tVN:1.6\n@SQ\tSN:chr1\tLN:100\n@SQ\tSN:chr2\tLN:50\n@PG\tID:b\n");
}

TEST(SamHeaderText, NoHeaderLines) {
  const auto readable = ifnsig::count::keep_readable_header_lines({});
  ASSERT_TRUE(readable.header);
  EXPECT_EQ(readable.left_out, 0u);
  EXPECT_EQ(sam_hdr_nref(readable.header.get()), 0);
}

TEST(SamHeaderText, NamesTheContigsOnlyALeftOutLineDeclares) {
  const auto readable = ifnsig::count::keep_readable_header_lines(
      {"@SQ\tSN:chr1\tLN:100", "@SQ\tSN:chr2", "@SQ\tSN:chr1", "@SQ\tSN:chr3\tLN:5", "@SQ\tSN:chr3"});
  ASSERT_TRUE(readable.header);
  EXPECT_EQ(readable.left_out, 3u);
  EXPECT_EQ(readable.contigs_left_out, std::vector<std::string>{"chr2"});
}
