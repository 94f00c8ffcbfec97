#include "ifnsig/annotation/feature_index.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

namespace {

ifnsig::annotation::GeneModel two_overlapping_genes() {
  ifnsig::annotation::GeneModel model;
  const auto contig = model.add_contig("chr1");
  const auto a = model.add_gene("A");
  const auto b = model.add_gene("B");
  model.add_exon({contig, a, 100, 200, ifnsig::annotation::Strand::kForward});
  model.add_exon({contig, a, 150, 300, ifnsig::annotation::Strand::kForward});
  model.add_exon({contig, b, 250, 400, ifnsig::annotation::Strand::kReverse});
  return model;
}

std::map<std::uint32_t, std::int64_t> overlaps(const ifnsig::annotation::FeatureIndex& index, std::int64_t start,
                                               std::int64_t end) {
  std::map<std::uint32_t, std::int64_t> result;
  index.for_each_overlap(0, start, end, [&](std::uint32_t target, ifnsig::annotation::StrandMask, std::int64_t bp) {
    result[target] += bp;
  });
  return result;
}

}  // namespace

TEST(FeatureIndex, OverlapIsWithTheUnionOfAGenesExons) {
  const auto model = two_overlapping_genes();
  const ifnsig::annotation::FeatureIndex index(model, false, 1);
  // 180-229 lies in both exons of A: 50 bases, not 71.
  EXPECT_EQ(overlaps(index, 180, 229), (std::map<std::uint32_t, std::int64_t>{{0, 50}}));
  // 280-320 spans the end of A (280-300) and the start of B (280-320).
  EXPECT_EQ(overlaps(index, 280, 320), (std::map<std::uint32_t, std::int64_t>{{0, 21}, {1, 41}}));
  EXPECT_TRUE(overlaps(index, 401, 500).empty());
  EXPECT_TRUE(overlaps(index, 1, 99).empty());
}

TEST(FeatureIndex, FeatureLevelTargetsAreExons) {
  const auto model = two_overlapping_genes();
  const ifnsig::annotation::FeatureIndex index(model, true, 1);
  EXPECT_EQ(index.n_targets(), 3u);
  EXPECT_EQ(overlaps(index, 180, 229), (std::map<std::uint32_t, std::int64_t>{{0, 21}, {1, 50}}));
}

TEST(FeatureIndex, SegmentsCarryStrands) {
  const auto model = two_overlapping_genes();
  const ifnsig::annotation::FeatureIndex index(model, false, 1);
  index.for_each_overlap(0, 350, 350, [](std::uint32_t target, ifnsig::annotation::StrandMask strands, std::int64_t) {
    EXPECT_EQ(target, 1u);
    EXPECT_EQ(strands, ifnsig::annotation::kReverseBit);
  });
}

namespace {

std::size_t threads_in_process() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

}  // namespace

// -T 1 is one thread: building the index starts no TBB worker, though TBB's default arena has one per core.
// Run in a new process (gtest's threadsafe death-test style re-executes the binary), where no earlier test
// started any; a worker, once started, stays for the life of the process.
TEST(FeatureIndexDeathTest, BudgetOfOneThreadStartsNoOther) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one core: TBB would start no worker anyway";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        ifnsig::annotation::GeneModel model;
        const auto gene = model.add_gene("G");
        for (int c = 0; c < 64; ++c) {
          const auto contig = model.add_contig("chr" + std::to_string(c));
          for (std::int64_t start = 100; start < 100000; start += 1000) {
            model.add_exon({contig, gene, start, start + 500, ifnsig::annotation::Strand::kForward});
          }
        }
        const std::size_t before = threads_in_process();
        const ifnsig::annotation::FeatureIndex index(model, false, 1);
        std::_Exit(index.n_contigs() == 64 && threads_in_process() == before ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}
