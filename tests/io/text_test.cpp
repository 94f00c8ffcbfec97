#include "ifnsig/io/text.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>

TEST(FormatDouble, RoundTrips) {
  for (double x : {0.1, 1.0 / 3.0, 1e-300, 123456789.123456789, -2.5, 0.0}) {
    const std::string text = ifnsig::format_double(x);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  }
  EXPECT_EQ(ifnsig::format_double(std::numeric_limits<double>::quiet_NaN()), "NA");
  EXPECT_EQ(ifnsig::format_double(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(FormatDouble, PrintsCountsInFullAndStaysWithinItsBound) {
  EXPECT_EQ(ifnsig::format_double(100000.0), "100000");
  EXPECT_EQ(ifnsig::format_double(2.5e-5), "2.5e-05");
  for (double x : {-2.2250738585072014e-308, -std::numeric_limits<double>::denorm_min(), -1.2345678901234567e-5,
                   -0.00012345678901234567, -1234567890123456.7, -std::numeric_limits<double>::max()}) {
    const std::string text = ifnsig::format_double(x);
    EXPECT_LE(text.size(), ifnsig::kMaxDoubleChars) << text;
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  }
}

TEST(SplitFields, KeepsEmptyFields) {
  const auto fields = ifnsig::split_fields("a\t\tb\t", '\t');
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[1], "");
  EXPECT_EQ(fields[3], "");
}

TEST(ParseNumbers, RejectsPartialNumbers) {
  double d = 0;
  std::int64_t i = 0;
  EXPECT_TRUE(ifnsig::parse_double("2.5", d));
  EXPECT_FALSE(ifnsig::parse_double("2.5x", d));
  EXPECT_TRUE(ifnsig::parse_int64("42", i));
  EXPECT_FALSE(ifnsig::parse_int64("4.2", i));
}
