// Fields echoed in messages (quote_field): escaped, and cut with their length when long; UTF-8 validation.
#include "ifnsig/core/error.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ifnsig/core/utf8.hpp"

namespace ifnsig {
namespace {

TEST(QuoteField, ShowsAShortFieldWhole) {
  EXPECT_EQ(quote_field("ENSG00000185745"), "'ENSG00000185745'");
  EXPECT_EQ(quote_field(""), "''");
  EXPECT_EQ(quote_field("caf\xC3\xA9"), "'caf\xC3\xA9'");
}

TEST(QuoteField, EscapesControlCharactersAndBytesThatAreNotUtf8) {
  EXPECT_EQ(quote_field(std::string("a\0b", 3)), "'a\\0b'");
  EXPECT_EQ(quote_field("a\tb\nc\rd\x1B"), "'a\\tb\\nc\\rd\\x1B'");
  EXPECT_EQ(quote_field("caf\xE9"), "'caf\\xE9'");
}

TEST(QuoteField, CutsALongFieldAfter60CharactersWithItsLength) {
  const std::string huge(50 << 20, 'x');
  EXPECT_EQ(quote_field(huge), "'" + std::string(60, 'x') + "\u2026' (52428800 bytes)");
  EXPECT_EQ(quote_field(std::string(60, 'x')), "'" + std::string(60, 'x') + "'");
  // Characters, not bytes: 61 two-byte characters are cut after 60 of them, whole.
  std::string accents;
  for (int i = 0; i < 61; ++i) accents += "\xC3\xA9";
  std::string expected = "'";
  expected += accents.substr(0, 120);
  expected += "\u2026' (122 bytes)";
  EXPECT_EQ(quote_field(accents), expected);
}

TEST(Utf8, AcceptsValidTextAndFindsTheFirstBadByte) {
  EXPECT_EQ(first_invalid_utf8("plain ASCII text, longer than eight bytes"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), std::string_view::npos);  // é € 😀
  EXPECT_EQ(first_invalid_utf8("abcdefghij\xE9klm"), 10U);
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0U);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8("ab\xED\xA0\x80"), 2U);    // a surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0U);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ok\xE2\x82"), 2U);        // cut short
}

}  // namespace
}  // namespace ifnsig
