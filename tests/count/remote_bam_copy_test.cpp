// The rule for which compressed bytes a region iterator reads (chunks_read_by, compressed_span), on
// iterators set by hand as HTSlib leaves them after a query.
#include "count/remote_bam_copy.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using ifnsig::count::VirtualChunk;

constexpr std::uint64_t virtual_offset(std::uint64_t block, std::uint64_t within) { return block << 16 | within; }

TEST(ChunksReadBy, ARegionQueryReadsItsChunkList) {
  hts_pair64_max_t off[2] = {{virtual_offset(100, 5), virtual_offset(300, 0), 0},
                             {virtual_offset(900, 7), virtual_offset(900, 60), 0}};
  hts_itr_t iterator{};
  iterator.off = off;
  iterator.n_off = 2;
  const std::vector<VirtualChunk> chunks = ifnsig::count::chunks_read_by(&iterator);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].begin, virtual_offset(100, 5));
  EXPECT_EQ(chunks[1].end, virtual_offset(900, 60));
}

TEST(ChunksReadBy, AnUnplacedQueryReadsToTheEndOfTheFile) {
  hts_itr_t iterator{};
  iterator.read_rest = 1;
  iterator.curr_off = virtual_offset(5000, 12);
  const std::vector<VirtualChunk> chunks = ifnsig::count::chunks_read_by(&iterator);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].begin, virtual_offset(5000, 12));
  EXPECT_EQ(chunks[0].end, VirtualChunk::kToEndOfFile);
}

TEST(ChunksReadBy, NothingForAFinishedQueryOrCram) {
  hts_itr_t finished{};
  finished.finished = 1;
  EXPECT_TRUE(ifnsig::count::chunks_read_by(&finished).empty());
  hts_itr_t cram{};
  cram.is_cram = 1;
  EXPECT_TRUE(ifnsig::count::chunks_read_by(&cram).empty());
  EXPECT_TRUE(ifnsig::count::chunks_read_by(nullptr).empty());
}

TEST(CompressedSpan, CountsOverlapsOnceAndTheRestOfTheFile) {
  const std::vector<VirtualChunk> chunks = {{virtual_offset(100, 5), virtual_offset(300, 9)},
                                            {virtual_offset(200, 0), virtual_offset(400, 0)},
                                            {virtual_offset(900, 7), virtual_offset(900, 60)},
                                            {virtual_offset(950, 0), VirtualChunk::kToEndOfFile}};
  // 100..400, nothing for the chunk inside block 900, 950..1000.
  EXPECT_EQ(ifnsig::count::compressed_span(chunks, 1000), 300u + 50u);
}

}  // namespace
