// Owns: the immutable overlap index over an annotation: per contig, sorted non-overlapping segments,
//       each listing the targets (genes, or exons with -f) that cover it and on which strands.
// Thread-safety: built in a TBB arena of the caller's thread budget (-T), never more; immutable after
//                construction; queries are const and lock-free.
// Invariant: segments of a contig are sorted, disjoint, and each lists each target at most once; a bucket
//            table per contig points at the first segment reaching each 4 kb window, so a lookup searches
//            only the segments of one window.
//            Built with_features, it also indexes the features (exons) one by one, for the rules judged on a
//            feature's own bases (--fracOverlapFeature, --nonOverlapFeature).
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig::annotation {

// Bit set of the strands a target is annotated on within a segment. A feature without a strand ('.') has a
// bit of its own: featureCounts never counts a read on it under -s 1 and always under -s 2, whichever strand
// the read is on.
using StrandMask = std::uint8_t;
inline constexpr StrandMask kForwardBit = 1;
inline constexpr StrandMask kReverseBit = 2;
inline constexpr StrandMask kUnstrandedBit = 4;
inline constexpr StrandMask kAnyStrand = kForwardBit | kReverseBit | kUnstrandedBit;

class FeatureIndex {
 public:
  struct Entry {
    std::uint32_t target;
    StrandMask strands;
  };
  struct Segment {
    std::int64_t start;  // 1-based, inclusive
    std::int64_t end;
    std::uint32_t first_entry;  // in its contig's entries
    std::uint32_t n_entries;
  };

  // feature_level: targets are exons (featureCounts -f) instead of genes. threads: the budget (-T) for
  // building it, contigs in parallel; the index does not depend on it. with_features: for_each_feature works.
  FeatureIndex(const GeneModel& model, bool feature_level, int threads, bool with_features = false);

  std::size_t n_targets() const { return n_targets_; }
  std::size_t n_contigs() const { return contigs_.size(); }
  bool has_features() const { return !features_.empty(); }

  // With features: calls visit(target, feature, strands, first, last, feature_length) once for every feature
  // (exon) overlapping [start, end], with the bases [first, last] of [start, end] inside it and its target
  // (its gene, or itself with -f).
  template <typename Visit>
  void for_each_feature(std::uint32_t contig, std::int64_t start, std::int64_t end, Visit&& visit) const {
    const FeatureIndex& exons = feature_index();
    exons.for_each_segment(contig, start, end, [&](const Segment& segment, const Entry& entry) {
      const Feature& feature = features_[entry.target];
      const std::int64_t first = std::max(start, feature.start);
      // Each feature once: in the segment holding the first base it shares with [start, end].
      if (first < segment.start || first > segment.end) return;
      visit(feature.target, entry.target, entry.strands, first, std::min(end, feature.end),
            feature.end - feature.start + 1);
    });
  }

  // Calls visit(target, strands, overlap_bp) for every segment entry overlapping [start, end].
  // A target can be visited several times (once per segment); callers sum the overlaps.
  template <typename Visit>
  void for_each_overlap(std::uint32_t contig, std::int64_t start, std::int64_t end, Visit&& visit) const {
    for_each_segment(contig, start, end, [&](const Segment& segment, const Entry& entry) {
      visit(entry.target, entry.strands, std::min(end, segment.end) - std::max(start, segment.start) + 1);
    });
  }

 private:
  // Calls visit(segment, entry) for every entry of every segment overlapping [start, end].
  template <typename Visit>
  void for_each_segment(std::uint32_t contig, std::int64_t start, std::int64_t end, Visit&& visit) const {
    const ContigSegments& indexed = contigs_[contig];
    // The bucket of `start` bounds the search to the segments that reach into it.
    const auto bucket = static_cast<std::size_t>(std::max<std::int64_t>(0, start) >> kBucketShift);
    if (bucket + 1 >= indexed.bucket_first.size()) return;
    const auto& segments = indexed.segments;
    auto it = std::lower_bound(segments.begin() + indexed.bucket_first[bucket],
                               segments.begin() + indexed.bucket_first[bucket + 1], start,
                               [](const Segment& s, std::int64_t position) { return s.end < position; });
    for (; it != segments.end() && it->start <= end; ++it) {
      const Entry* entry = indexed.entries.data() + it->first_entry;
      for (std::uint32_t i = 0; i < it->n_entries; ++i) visit(*it, entry[i]);
    }
  }
  // An exon, for for_each_feature.
  struct Feature {
    std::uint32_t target;  // its gene, or itself with -f
    std::int64_t start;
    std::int64_t end;
  };
  const FeatureIndex& feature_index() const { return exon_index_ ? *exon_index_ : *this; }
  static constexpr int kBucketShift = 12;  // 4 kb buckets
  struct ContigSegments {
    std::vector<Segment> segments;
    std::vector<Entry> entries;
    // bucket_first[b]: the first segment ending at or after position b * 4096; one extra entry (= size).
    std::vector<std::uint32_t> bucket_first;
  };
  static void index_buckets(ContigSegments& contig);
  std::vector<ContigSegments> contigs_;
  std::size_t n_targets_ = 0;
  std::vector<Feature> features_;            // per exon, with features
  std::unique_ptr<FeatureIndex> exon_index_;  // with features at gene level: the exons' own index
};

}  // namespace ifnsig::annotation
