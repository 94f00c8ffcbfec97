#include "ifnsig/count/strand_detection.hpp"

#include <gtest/gtest.h>

#include "ifnsig/core/error.hpp"

namespace {
ifnsig::count::StrandEvidence evidence(std::uint64_t same, std::uint64_t opposite) {
  return {same + opposite, same, opposite};
}
}  // namespace

TEST(StrandDetection, ThresholdsAsNfCore) {
  using ifnsig::count::Strandedness;
  EXPECT_EQ(ifnsig::count::decide_strandedness(evidence(900, 100), "x.bam"), Strandedness::kForward);
  EXPECT_EQ(ifnsig::count::decide_strandedness(evidence(30, 970), "x.bam"), Strandedness::kReverse);
  EXPECT_EQ(ifnsig::count::decide_strandedness(evidence(520, 480), "x.bam"), Strandedness::kUnstranded);
}

TEST(StrandDetection, AmbiguousOrThinEvidenceStops) {
  EXPECT_THROW(ifnsig::count::decide_strandedness(evidence(700, 300), "x.bam"), ifnsig::InputError);
  EXPECT_THROW(ifnsig::count::decide_strandedness(evidence(10, 0), "x.bam"), ifnsig::InputError);
}
