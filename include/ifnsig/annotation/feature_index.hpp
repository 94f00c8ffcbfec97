// Owns: the immutable overlap index over an annotation: per contig, sorted non-overlapping segments,
//       each listing the targets (genes, or exons with -f) that cover it and on which strands.
// Thread-safety: immutable after construction; queries are const and lock-free.
// Invariant: segments of a contig are sorted, disjoint, and each lists each target at most once.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig {

// Bit set of the strands a target is annotated on within a segment (kUnknown sets both bits).
using StrandMask = std::uint8_t;
inline constexpr StrandMask kForwardBit = 1;
inline constexpr StrandMask kReverseBit = 2;

class FeatureIndex {
 public:
  struct Entry {
    std::uint32_t target;
    StrandMask strands;
  };
  struct Segment {
    std::int64_t start;  // 1-based, inclusive
    std::int64_t end;
    std::uint32_t first_entry;
    std::uint32_t n_entries;
  };

  // feature_level: targets are exons (featureCounts -f) instead of genes.
  FeatureIndex(const GeneModel& model, bool feature_level);

  std::size_t n_targets() const { return n_targets_; }
  std::size_t n_contigs() const { return contigs_.size(); }

  // Calls visit(target, strands, overlap_bp) for every segment entry overlapping [start, end].
  // A target can be visited several times (once per segment); callers sum the overlaps.
  template <typename Visit>
  void for_each_overlap(std::uint32_t contig, std::int64_t start, std::int64_t end, Visit&& visit) const {
    const auto& segments = contigs_[contig].segments;
    auto it = std::lower_bound(segments.begin(), segments.end(), start,
                               [](const Segment& s, std::int64_t position) { return s.end < position; });
    for (; it != segments.end() && it->start <= end; ++it) {
      const std::int64_t overlap = std::min(end, it->end) - std::max(start, it->start) + 1;
      const Entry* entry = entries_.data() + it->first_entry;
      for (std::uint32_t i = 0; i < it->n_entries; ++i) visit(entry[i].target, entry[i].strands, overlap);
    }
  }

 private:
  struct ContigSegments {
    std::vector<Segment> segments;
  };
  std::vector<ContigSegments> contigs_;
  std::vector<Entry> entries_;
  std::size_t n_targets_ = 0;
};

}  // namespace ifnsig
