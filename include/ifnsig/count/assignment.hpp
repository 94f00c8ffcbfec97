// Owns: featureCounts' read-to-target rules: turning one alignment record into its overlaps (MateHits)
//       and one read or fragment (one or two MateHits) into a status and the targets it is counted for.
// Thread-safety: RecordEvaluator and FragmentResolver are immutable; call them from any thread with
//                per-thread MateHits and scratch vectors.
// Invariant: the filters apply in featureCounts' order and a read is charged to the first one it fails.
#pragma once
#include <htslib/sam.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/count/count_options.hpp"
#include "ifnsig/count/junction_counts.hpp"
#include "ifnsig/count/read_status.hpp"

namespace ifnsig::count {

// A target a read overlaps. When features are judged (judges_features), a record's hits are pieces instead:
// one per aligned block and feature (exon) it overlaps, [first_base, first_base + overlap_bp) on the
// feature's contig, as featureCounts keeps them; the resolver joins them into targets.
struct TargetHit {
  std::uint32_t target = 0;
  std::uint32_t feature = 0;      // pieces: the exon
  std::int64_t overlap_bp = 0;    // summed over the read's (or fragment's) aligned blocks
  std::int64_t first_base = 0;    // pieces: contig << 32 | first base, so pieces on two contigs never touch
  std::int32_t feature_min_bp = 0;  // pieces: the bases of the feature a read or fragment must cover
  std::uint8_t mates = 0;         // which mates overlap the target: bit 1 the first, bit 2 the second
  annotation::StrandMask strands = 0;         // the strands the target is annotated on where the read overlaps it
};

// The targets of one record: nearly always at most two, kept inside the object, so that they travel with
// it between the pipeline's threads instead of in a heap block of their own; more move to a vector.
class TargetHits {
 public:
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const TargetHit* data() const { return size_ <= kInline ? inline_ : spilled_.data(); }
  TargetHit* data() { return size_ <= kInline ? inline_ : spilled_.data(); }
  const TargetHit* begin() const { return data(); }
  const TargetHit* end() const { return data() + size_; }
  TargetHit* begin() { return data(); }
  TargetHit* end() { return data() + size_; }
  const TargetHit& front() const { return *data(); }
  void clear() {
    size_ = 0;
    spilled_.clear();
  }
  void push_back(const TargetHit& hit) {
    if (size_ < kInline) {
      inline_[size_++] = hit;
      return;
    }
    if (size_ == kInline) spilled_.assign(inline_, inline_ + kInline);
    spilled_.push_back(hit);
    ++size_;
  }
  // n default hits.
  void resize(std::size_t n) {
    clear();
    if (n > kInline) spilled_.resize(n);
    std::fill(inline_, inline_ + std::min(n, kInline), TargetHit{});
    size_ = n;
  }

 private:
  static constexpr std::size_t kInline = 2;
  std::size_t size_ = 0;
  TargetHit inline_[kInline];
  std::vector<TargetHit> spilled_;  // all of them, once there are more than kInline
};

// What counting needs to know about one alignment record.
struct MateHits {
  std::uint16_t flag = 0;
  std::uint8_t mapq = 0;
  bool split = false;            // CIGAR has an N
  bool on_known_contig = false;  // the contig is in the annotation
  std::int32_t nh = 1;           // NH tag, 1 when absent
  std::int64_t hi = 0;           // HI tag, 0 when absent (part of the pairing key)
  std::int64_t length_bp = 0;    // query length: M, I, S, =, X
  std::int32_t tid = -1;
  std::int32_t mate_tid = -1;
  std::int64_t template_length = 0;  // |TLEN|
  std::uint16_t read_group = 0;  // --byReadGroup: its read group's column (a pair's: its first record's), else 0
  TargetHits hits;
  std::vector<SpliceJunction> junctions;  // -J only: the junctions of its first --maxMOp sections

  bool mapped() const { return (flag & BAM_FUNMAP) == 0; }
};

class RecordEvaluator {
 public:
  // tid_to_contig maps the alignment header's contigs to annotation contigs (-1: not annotated).
  RecordEvaluator(const annotation::FeatureIndex& index, const CountOptions& options,
                  std::vector<std::int32_t> tid_to_contig, Strandedness strandedness);
  void evaluate(const bam1_t* record, MateHits& out) const;
  // Overlaps on either strand, for strand detection (each hit's `strands` says where the target is).
  void evaluate_any_strand(const bam1_t* record, MateHits& out) const;

 private:
  void collect_hits(const bam1_t* record, annotation::StrandMask wanted, bool pieces, MateHits& out) const;
  const annotation::FeatureIndex& index_;
  const CountOptions& options_;
  std::vector<std::int32_t> tid_to_contig_;
  Strandedness strandedness_;
  bool pieces_;  // judges_features: hits are pieces
};

class FragmentResolver {
 public:
  explicit FragmentResolver(const CountOptions& options) : options_(options), pieces_(judges_features(options)) {}
  // A single-end read, one read of a pair counted as a read (-p without --countReadPairs),
  // a pair (second != nullptr) or a lone mate (--countReadPairs, second == nullptr).
  // On kAssigned, `targets` holds the targets and `share` what each of them gets, in units of
  // 1/share_scale (all of it unless --fraction).
  ReadStatus resolve(const MateHits& first, const MateHits* second, std::vector<TargetHit>& targets,
                     std::int64_t share_scale, std::int64_t& share) const;

 private:
  ReadStatus filter_read(const MateHits& read) const;
  ReadStatus filter_fragment(const MateHits& first, const MateHits* second) const;
  // n_overlapping: the targets overlapped enough, before -O --largestOverlap keeps the largest.
  ReadStatus choose_targets(std::vector<TargetHit>& targets, std::int64_t length_bp, std::size_t& n_overlapping) const;
  // Pieces to targets: drops the features whose bases the read or fragment covers too little of, then joins
  // each target's pieces (the union of their bases, as featureCounts counts overlapping mates once).
  static void join_pieces(std::vector<TargetHit>& pieces);
  const CountOptions& options_;
  bool pieces_;  // judges_features: the mates' hits are pieces
};

}  // namespace ifnsig::count
