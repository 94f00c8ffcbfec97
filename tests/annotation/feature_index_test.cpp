#include "ifnsig/annotation/feature_index.hpp"

#include <gtest/gtest.h>

#include <map>

namespace {

ifnsig::GeneModel two_overlapping_genes() {
  ifnsig::GeneModel model;
  const auto contig = model.add_contig("chr1");
  const auto a = model.add_gene("A");
  const auto b = model.add_gene("B");
  model.add_exon({contig, a, 100, 200, ifnsig::Strand::kForward});
  model.add_exon({contig, a, 150, 300, ifnsig::Strand::kForward});
  model.add_exon({contig, b, 250, 400, ifnsig::Strand::kReverse});
  return model;
}

std::map<std::uint32_t, std::int64_t> overlaps(const ifnsig::FeatureIndex& index, std::int64_t start,
                                               std::int64_t end) {
  std::map<std::uint32_t, std::int64_t> result;
  index.for_each_overlap(0, start, end, [&](std::uint32_t target, ifnsig::StrandMask, std::int64_t bp) {
    result[target] += bp;
  });
  return result;
}

}  // namespace

TEST(FeatureIndex, OverlapIsWithTheUnionOfAGenesExons) {
  const auto model = two_overlapping_genes();
  const ifnsig::FeatureIndex index(model, false);
  // 180-229 lies in both exons of A: 50 bases, not 71.
  EXPECT_EQ(overlaps(index, 180, 229), (std::map<std::uint32_t, std::int64_t>{{0, 50}}));
  // 280-320 spans the end of A (280-300) and the start of B (280-320).
  EXPECT_EQ(overlaps(index, 280, 320), (std::map<std::uint32_t, std::int64_t>{{0, 21}, {1, 41}}));
  EXPECT_TRUE(overlaps(index, 401, 500).empty());
  EXPECT_TRUE(overlaps(index, 1, 99).empty());
}

TEST(FeatureIndex, FeatureLevelTargetsAreExons) {
  const auto model = two_overlapping_genes();
  const ifnsig::FeatureIndex index(model, true);
  EXPECT_EQ(index.n_targets(), 3u);
  EXPECT_EQ(overlaps(index, 180, 229), (std::map<std::uint32_t, std::int64_t>{{0, 21}, {1, 50}}));
}

TEST(FeatureIndex, SegmentsCarryStrands) {
  const auto model = two_overlapping_genes();
  const ifnsig::FeatureIndex index(model, false);
  index.for_each_overlap(0, 350, 350, [](std::uint32_t target, ifnsig::StrandMask strands, std::int64_t) {
    EXPECT_EQ(target, 1u);
    EXPECT_EQ(strands, ifnsig::kReverseBit);
  });
}
