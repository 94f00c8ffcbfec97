#include "ifnsig/io/text.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <cstdlib>
#include <limits>

TEST(FormatDouble, RoundTrips) {
  for (double x : {0.1, 1.0 / 3.0, 1e-300, 123456789.123456789, -2.5, 0.0}) {
    const std::string text = ifnsig::io::format_double(x);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  }
  EXPECT_EQ(ifnsig::io::format_double(std::numeric_limits<double>::quiet_NaN()), "NA");
  EXPECT_EQ(ifnsig::io::format_double(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(FormatDouble, PrintsCountsInFullAndStaysWithinItsBound) {
  EXPECT_EQ(ifnsig::io::format_double(100000.0), "100000");
  EXPECT_EQ(ifnsig::io::format_double(2.5e-5), "2.5e-05");
  for (double x : {-2.2250738585072014e-308, -std::numeric_limits<double>::denorm_min(), -1.2345678901234567e-5,
                   -0.00012345678901234567, -1234567890123456.7, -std::numeric_limits<double>::max()}) {
    const std::string text = ifnsig::io::format_double(x);
    EXPECT_LE(text.size(), ifnsig::io::kMaxDoubleChars) << text;
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  }
}

// Plain decimals take a fast path; it must give from_chars' double for every length and digit pattern.
TEST(ParseNumbers, PlainDecimalsEqualFromChars) {
  std::mt19937_64 random(20261124);
  std::vector<std::string> texts{"0", "-0", "-0.0", "9007199254740992", "9007199254740993", "9999999999999999",
                                 "0.1", "0.30000000000000004", "123456789012345678", "1.7976931348623157",
                                 "0.0000000000000001", "00012.5000", "1.", ".5", "1e5", "-"};
  for (int i = 0; i < 200000; ++i) {
    std::string text = random() % 2 ? "-" : "";
    const int integer_digits = 1 + static_cast<int>(random() % 18), fraction_digits = static_cast<int>(random() % 19);
    for (int d = 0; d < integer_digits; ++d) text += static_cast<char>('0' + random() % 10);
    if (fraction_digits > 0) text += '.';
    for (int d = 0; d < fraction_digits; ++d) text += static_cast<char>('0' + random() % 10);
    texts.push_back(text);
  }
  for (const auto& text : texts) {
    double expected = 0, parsed = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), expected);
    const bool whole = result.ec == std::errc() && result.ptr == text.data() + text.size();
    ASSERT_EQ(ifnsig::io::parse_double(text, parsed), whole) << text;
    if (whole) {
      ASSERT_EQ(std::memcmp(&parsed, &expected, sizeof parsed), 0) << text;
    }
  }
}

TEST(SplitFields, KeepsEmptyFields) {
  const auto fields = ifnsig::io::split_fields("a\t\tb\t", '\t');
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[1], "");
  EXPECT_EQ(fields[3], "");
}

TEST(ParseNumbers, RejectsPartialNumbers) {
  double d = 0;
  std::int64_t i = 0;
  EXPECT_TRUE(ifnsig::io::parse_double("2.5", d));
  EXPECT_FALSE(ifnsig::io::parse_double("2.5x", d));
  EXPECT_TRUE(ifnsig::io::parse_int64("42", i));
  EXPECT_FALSE(ifnsig::io::parse_int64("4.2", i));
}
