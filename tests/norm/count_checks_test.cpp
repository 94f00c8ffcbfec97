#include "ifnsig/norm/count_checks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ifnsig/core/error.hpp"

namespace ifnsig::norm {
namespace {

matrix::GeneMatrix one_gene(double value) {
  matrix::GeneMatrix m;
  m.gene_ids = {"G1", "G2"};
  m.sample_ids = {"S1", "S2"};
  m.values.resize(2, 2);
  m.values << 5, 3, 7, value;
  return m;
}

std::string integer_error(double value) {
  try {
    check_counts(one_gene(value), {"a.tsv", "b.tsv"}, {.integer = true, .non_negative = true});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The integer test rounds through 2^52: exact on both sides of that boundary, and NaN is never an integer.
TEST(CountChecks, IntegerTestHoldsAtTheEdgesOfDoublePrecision) {
  EXPECT_EQ(integer_error(0), "");
  EXPECT_EQ(integer_error(0x1p52 - 1), "");
  EXPECT_EQ(integer_error(0x1p53 + 2), "");
  EXPECT_EQ(integer_error(0x1p52 - 0.5).rfind("b.tsv: 1 non-integer counts: gene 'G2' in sample 'S2'", 0), 0U);
  EXPECT_NE(integer_error(2.5).find("non-integer"), std::string::npos);
  EXPECT_NE(integer_error(1e-300).find("non-integer"), std::string::npos);
  EXPECT_NE(integer_error(NAN).find("non-integer"), std::string::npos);
  EXPECT_EQ(integer_error(-1).rfind("b.tsv: 1 negative values", 0), 0U);
}

}  // namespace
}  // namespace ifnsig::norm
