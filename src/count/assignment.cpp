#include "ifnsig/count/assignment.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "ifnsig/count/alignment_reader.hpp"

namespace ifnsig::count {
namespace {

struct Block {
  std::int64_t start;  // 0-based
  std::int64_t end;    // exclusive
};
// Reads with at most this many CIGAR sections (--maxMOp up to it, as by default) keep their blocks on the
// stack; more use a buffer of the thread's own, sized once.
constexpr int kStackBlocks = 64;

// The aligned blocks of one record, in at most --maxMOp slots.
struct Blocks {
  Block* items;
  std::size_t size = 0;
};

void add_block(Blocks& blocks, std::int64_t start, std::int64_t end) {
  if (blocks.size > 0 && blocks.items[blocks.size - 1].end == start) {
    blocks.items[blocks.size - 1].end = end;  // M after I or =/X runs: one block
  } else {
    blocks.items[blocks.size++] = {start, end};
  }
}

// Aligned blocks from the CIGAR, as featureCounts reads it: M, = and X cover the reference; D and N are gaps.
// The aligned bases form sections, each ended by an I, D or N (a section may be empty: "1I1D") and the last
// by the CIGAR's end. Only the first max_sections sections are read (--maxMOp); later ones give no blocks
// and no bases to the read's length. That length (for --fracOverlap and --nonOverlap) is the read's
// M/=/X, I and S bases within those sections: an I counts with the section it ends, a leading S always, a
// trailing S with a non-empty last section. A section holds at most one block, so `blocks` needs
// max_sections slots.
void cigar_blocks(const bam1_t* record, int max_sections, Blocks& blocks, bool& split, std::int64_t& query_length) {
  std::int64_t position = record->core.pos;
  int sections = 0;             // sections ended so far
  std::int64_t section_bp = 0;  // aligned bases of the open section
  std::int64_t trailing_clip = 0;
  bool read_started = false;    // an M or I came before: an S now is trailing
  for (std::uint32_t i = 0; i < record->core.n_cigar; ++i) {
    const std::uint32_t operation = cigar_operation(record, i);
    const int op = bam_cigar_op(operation);
    const std::int64_t length = bam_cigar_oplen(operation);
    switch (op) {
      case BAM_CMATCH:
      case BAM_CEQUAL:
      case BAM_CDIFF:
        if (sections < max_sections) {
          add_block(blocks, position, position + length);
          query_length += length;
        }
        position += length;
        section_bp += length;
        read_started = true;
        break;
      case BAM_CINS:
      case BAM_CDEL:
      case BAM_CREF_SKIP:
        if (op == BAM_CREF_SKIP) split = true;
        if (sections < max_sections) {
          ++sections;
          if (op == BAM_CINS) query_length += length;
        }
        if (op == BAM_CINS) {
          read_started = true;
        } else {
          position += length;
        }
        section_bp = 0;
        break;
      case BAM_CSOFT_CLIP:
        if (read_started) {
          trailing_clip = length;
        } else {
          query_length += length;
        }
        break;
      default:
        break;
    }
  }
  if (section_bp > 0 && sections < max_sections) query_length += trailing_clip;
}

// The junctions of a record's CIGAR, as featureCounts finds them: sections as cigar_blocks reads them, and a
// junction wherever the operation ending a section, of the first max_sections, is an N and another section
// follows: from the last base of the section before (an empty section's: the base before it) to the first
// base of the section after.
void cigar_junctions(const bam1_t* record, int max_sections, std::vector<SpliceJunction>& junctions) {
  std::int64_t section_start = record->core.pos + 1;
  std::int64_t position = section_start;
  int sections = 0;
  bool after_skip = false;  // the last section ended with an N
  std::int64_t last_base = 0;
  const auto close_section = [&] {
    if (after_skip) junctions.push_back({last_base, section_start});
    last_base = position - 1;
    ++sections;
  };
  for (std::uint32_t i = 0; i < record->core.n_cigar; ++i) {
    const std::uint32_t operation = cigar_operation(record, i);
    const int op = bam_cigar_op(operation);
    const std::int64_t length = bam_cigar_oplen(operation);
    if (op == BAM_CMATCH || op == BAM_CEQUAL || op == BAM_CDIFF) {
      position += length;
    } else if (op == BAM_CINS || op == BAM_CDEL || op == BAM_CREF_SKIP) {
      if (sections >= max_sections) return;
      close_section();
      after_skip = op == BAM_CREF_SKIP;
      if (op != BAM_CINS) position += length;
      section_start = position;
    }
  }
  if (position > section_start && sections < max_sections) close_section();
}

// --readExtension5/3 then --read2pos, relative to the read's own strand.
void manipulate(Blocks& blocks, bool reverse, const CountOptions& options) {
  if (blocks.size == 0) return;
  Block& first = blocks.items[0];
  Block& last = blocks.items[blocks.size - 1];
  const std::int64_t extend_left = reverse ? options.extend_3prime_bp : options.extend_5prime_bp;
  const std::int64_t extend_right = reverse ? options.extend_5prime_bp : options.extend_3prime_bp;
  first.start = std::max<std::int64_t>(0, first.start - extend_left);
  last.end += extend_right;
  if (options.read_to_position == ReadEnd::kWhole) return;
  const bool left_end = (options.read_to_position == ReadEnd::kFivePrime) != reverse;
  const std::int64_t base = left_end ? first.start : last.end - 1;
  blocks.items[0] = {base, base + 1};
  blocks.size = 1;
}

// The value of an auxiliary field of integer type (c, C, s, S, i or I); `value` points at the type.
std::int64_t aux_integer(const std::uint8_t* value) {
  switch (value[0]) {
    case 'c': return static_cast<std::int8_t>(value[1]);
    case 'C': return value[1];
    case 's': { std::int16_t v; std::memcpy(&v, value + 1, sizeof v); return v; }
    case 'S': { std::uint16_t v; std::memcpy(&v, value + 1, sizeof v); return v; }
    case 'i': { std::int32_t v; std::memcpy(&v, value + 1, sizeof v); return v; }
    default: { std::uint32_t v; std::memcpy(&v, value + 1, sizeof v); return v; }  // 'I'
  }
}

// Bytes of a fixed-size auxiliary value of this type, 0 for other types.
std::size_t aux_fixed_size(std::uint8_t type) {
  switch (type) {
    case 'c': case 'C': case 'A': return 1;
    case 's': case 'S': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'd': return 8;
    default: return 0;
  }
}

bool is_aux_integer(std::uint8_t type) {
  return type == 'c' || type == 'C' || type == 's' || type == 'S' || type == 'i' || type == 'I';
}

// NH and HI in one pass over the auxiliary fields, instead of one bam_aux_get each. Integer values of
// well-formed fields are read here; anything else (another type for either tag, an array, corrupt data)
// is left to HTSlib, so the result always equals bam_aux2i(bam_aux_get(...)) with NH 1 and HI 0 when absent.
void read_nh_hi(const bam1_t* record, std::int32_t& nh, std::int64_t& hi) {
  const std::uint8_t* s = bam_get_aux(record);
  const std::uint8_t* const end = record->data + record->l_data;
  bool nh_found = false;
  bool hi_found = false;
  while (end - s >= 3 && !(nh_found && hi_found)) {
    const std::uint8_t type = s[2];
    std::size_t size = aux_fixed_size(type);
    if (size == 0 && (type == 'Z' || type == 'H')) {
      const void* nul = std::memchr(s + 3, 0, static_cast<std::size_t>(end - s - 3));
      if (nul != nullptr) size = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - s - 2);
    }
    if (size == 0 || static_cast<std::size_t>(end - s - 3) < size) break;  // array, unknown or cut short
    const bool is_nh = s[0] == 'N' && s[1] == 'H' && !nh_found;
    const bool is_hi = s[0] == 'H' && s[1] == 'I' && !hi_found;
    if ((is_nh || is_hi) && !is_aux_integer(type)) break;
    if (is_nh) {
      nh = static_cast<std::int32_t>(aux_integer(s + 2));
      nh_found = true;
    } else if (is_hi) {
      hi = aux_integer(s + 2);
      hi_found = true;
    }
    s += 3 + size;
  }
  const bool read_all = s == end;  // every field was well formed, so an unseen tag is absent
  if (!nh_found) {
    const std::uint8_t* tag = read_all ? nullptr : bam_aux_get(record, "NH");
    nh = tag != nullptr ? static_cast<std::int32_t>(bam_aux2i(tag)) : 1;
  }
  if (!hi_found) {
    const std::uint8_t* tag = read_all ? nullptr : bam_aux_get(record, "HI");
    hi = tag != nullptr ? bam_aux2i(tag) : 0;
  }
}

template <typename Hits>  // TargetHits or std::vector<TargetHit>
void add_hit(Hits& hits, std::uint32_t target, std::int64_t overlap, std::uint8_t mates,
             annotation::StrandMask strands) {
  for (auto& hit : hits) {
    if (hit.target == target) {
      hit.overlap_bp += overlap;
      hit.mates |= mates;
      hit.strands |= strands;
      return;
    }
  }
  TargetHit hit;
  hit.target = target;
  hit.overlap_bp = overlap;
  hit.mates = mates;
  hit.strands = strands;
  hits.push_back(hit);
}

// The bases of a feature of `length` bases that a read or fragment must cover, by --fracOverlapFeature and
// --nonOverlapFeature. featureCounts compares in units of 1/10000 base: the fraction (a float) times the
// length, rounded up from 0.0001 below, or the length less the bases allowed outside.
std::int32_t feature_min_bp(const CountRules& rules, std::int64_t length) {
  const auto by_fraction = static_cast<std::int64_t>(
      static_cast<double>(length) * 10000.0 * static_cast<double>(static_cast<float>(rules.min_feature_overlap_fraction)) +
      0.9999);
  const std::int64_t by_nonoverlap = rules.max_feature_nonoverlap_bp >= 0 && length > rules.max_feature_nonoverlap_bp
                                         ? 10000 * (length - rules.max_feature_nonoverlap_bp)
                                         : 0;
  // A feature fails when the threshold exceeds 10000 x its covered bases: it needs the threshold rounded up.
  return static_cast<std::int32_t>((std::max(by_fraction, by_nonoverlap) + 9999) / 10000);
}

// Bases covered by pieces[begin, end), sorted by first base.
std::int64_t covered_bases(const std::vector<TargetHit>& pieces, std::size_t begin, std::size_t end) {
  std::int64_t covered = 0;
  std::int64_t reached = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = begin; i < end; ++i) {
    const std::int64_t last = pieces[i].first_base + pieces[i].overlap_bp;
    covered += std::max<std::int64_t>(0, last - std::max(pieces[i].first_base, reached));
    reached = std::max(reached, last);
  }
  return covered;
}

}  // namespace

RecordEvaluator::RecordEvaluator(const annotation::FeatureIndex& index, const CountOptions& options,
                                 std::vector<std::int32_t> tid_to_contig, Strandedness strandedness)
    : index_(index),
      options_(options),
      tid_to_contig_(std::move(tid_to_contig)),
      strandedness_(strandedness),
      pieces_(judges_features(options)) {
  if (pieces_ && !index.has_features()) {
    throw std::logic_error("--fracOverlapFeature/--nonOverlapFeature need a feature index built with its features");
  }
}

void RecordEvaluator::evaluate(const bam1_t* record, MateHits& out) const {
  annotation::StrandMask wanted = annotation::kAnyStrand;
  if (strandedness_ == Strandedness::kForward || strandedness_ == Strandedness::kReverse) {
    bool reverse = (record->core.flag & BAM_FREVERSE) != 0;
    // The strand of a pair is read 1's: read 2 counts as if it were on the opposite strand.
    if (options_.paired && (record->core.flag & BAM_FREAD2)) reverse = !reverse;
    if (strandedness_ == Strandedness::kReverse) reverse = !reverse;
    wanted = reverse ? annotation::kReverseBit : annotation::kForwardBit;
    // Features without a strand: never under -s 1, always under -s 2 (featureCounts 2.0.3).
    if (strandedness_ == Strandedness::kReverse) wanted |= annotation::kUnstrandedBit;
  }
  collect_hits(record, wanted, pieces_, out);
}

void RecordEvaluator::evaluate_any_strand(const bam1_t* record, MateHits& out) const {
  collect_hits(record, annotation::kAnyStrand, false, out);
}

void RecordEvaluator::collect_hits(const bam1_t* record, annotation::StrandMask wanted, bool pieces,
                                   MateHits& out) const {
  const bam1_core_t& core = record->core;
  out.flag = core.flag;
  out.mapq = core.qual;
  out.tid = core.tid;
  out.mate_tid = core.mtid;
  out.template_length = core.isize < 0 ? -core.isize : core.isize;
  out.split = false;
  out.length_bp = 0;
  out.hits.clear();
  out.junctions.clear();
  read_nh_hi(record, out.nh, out.hi);
  const std::int32_t contig = core.tid >= 0 && static_cast<std::size_t>(core.tid) < tid_to_contig_.size()
                                  ? tid_to_contig_[static_cast<std::size_t>(core.tid)]
                                  : -1;
  out.on_known_contig = contig >= 0;
  if (core.flag & BAM_FUNMAP) return;
  std::array<Block, kStackBlocks> stack_blocks;
  Blocks blocks{stack_blocks.data()};
  if (options_.max_cigar_sections > kStackBlocks) {
    thread_local std::vector<Block> many_blocks;
    if (many_blocks.size() < static_cast<std::size_t>(options_.max_cigar_sections)) {
      many_blocks.resize(static_cast<std::size_t>(options_.max_cigar_sections));
    }
    blocks.items = many_blocks.data();
  }
  cigar_blocks(record, options_.max_cigar_sections, blocks, out.split, out.length_bp);
  if (out.split && options_.junction_counts) cigar_junctions(record, options_.max_cigar_sections, out.junctions);
  if (blocks.size == 0) return;
  if (contig < 0) return;
  manipulate(blocks, (core.flag & BAM_FREVERSE) != 0, options_);
  if (pieces) {
    const std::int64_t contig_base = static_cast<std::int64_t>(contig) << 32;
    for (std::size_t b = 0; b < blocks.size; ++b) {
      index_.for_each_feature(static_cast<std::uint32_t>(contig), blocks.items[b].start + 1, blocks.items[b].end,
                              [&](std::uint32_t target, std::uint32_t feature, annotation::StrandMask strands,
                                  std::int64_t first, std::int64_t last, std::int64_t feature_length) {
                                if ((strands & wanted) == 0) return;
                                TargetHit piece;
                                piece.target = target;
                                piece.feature = feature;
                                piece.overlap_bp = last - first + 1;
                                piece.first_base = contig_base | first;
                                piece.feature_min_bp = feature_min_bp(options_, feature_length);
                                piece.mates = 1;
                                piece.strands = strands;
                                out.hits.push_back(piece);
                              });
    }
    return;
  }
  for (std::size_t b = 0; b < blocks.size; ++b) {
    index_.for_each_overlap(static_cast<std::uint32_t>(contig), blocks.items[b].start + 1, blocks.items[b].end,
                            [&](std::uint32_t target, annotation::StrandMask strands, std::int64_t overlap) {
                              if (strands & wanted) add_hit(out.hits, target, overlap, 1, strands);
                            });
  }
}

ReadStatus FragmentResolver::filter_read(const MateHits& read) const {
  if (!read.mapped()) return ReadStatus::kUnmapped;
  if (options_.both_ends_mapped && (read.flag & BAM_FPAIRED) == 0) return ReadStatus::kSingleton;
  if (read.mapq < options_.min_mapq) return ReadStatus::kMappingQuality;
  if (options_.ignore_duplicates && (read.flag & BAM_FDUP)) return ReadStatus::kDuplicate;
  if (read.nh > 1 && !options_.multi_mapping) return ReadStatus::kMultiMapping;
  if (options_.primary_only && (read.flag & BAM_FSECONDARY)) return ReadStatus::kSecondary;
  if ((options_.split_only && !read.split) || (options_.non_split_only && read.split)) {
    return ReadStatus::kSplitFilter;
  }
  return ReadStatus::kAssigned;
}

ReadStatus FragmentResolver::filter_fragment(const MateHits& first, const MateHits* second) const {
  const bool first_mapped = first.mapped();
  const bool second_mapped = second != nullptr && second->mapped();
  // featureCounts judges a lone record (its mate is missing from the file) by its flags: is it paired, and
  // is its mate mapped? An unmapped lone record whose mate is said to be mapped is not Unassigned_Unmapped.
  const bool missing_mate_mapped =
      second == nullptr && (first.flag & BAM_FPAIRED) && !(first.flag & BAM_FMUNMAP);
  if (!first_mapped && !second_mapped && !missing_mate_mapped) return ReadStatus::kUnmapped;
  const bool both_mapped = second != nullptr ? first_mapped && second_mapped : first_mapped && missing_mate_mapped;
  if (options_.both_ends_mapped && !both_mapped) return ReadStatus::kSingleton;
  const std::int32_t mate_tid = second != nullptr ? second->tid : first.mate_tid;
  // Are the mates on one strand? A lone mate is judged from its own record's mate fields.
  const bool same_strand = second != nullptr ? ((first.flag ^ second->flag) & BAM_FREVERSE) == 0
                                             : ((first.flag & BAM_FREVERSE) != 0) == ((first.flag & BAM_FMREVERSE) != 0);
  if (options_.exclude_chimeric && both_mapped && (first.tid != mate_tid || same_strand)) return ReadStatus::kChimera;
  // The fragment length is |TLEN|. featureCounts 2.0.3 checks a lone mate's only when its record puts the
  // two mates on opposite strands.
  const bool length_fails = options_.check_fragment_length && both_mapped && first.tid == mate_tid &&
                            !(second == nullptr && same_strand) &&
                            (first.template_length < options_.min_fragment_bp ||
                             first.template_length > options_.max_fragment_bp);
  if (length_fails) return ReadStatus::kFragmentLength;
  const auto any = [&](auto predicate) { return predicate(first) || (second != nullptr && predicate(*second)); };
  if (options_.ignore_duplicates && any([](const MateHits& m) { return (m.flag & BAM_FDUP) != 0; })) {
    return ReadStatus::kDuplicate;
  }
  if (!options_.multi_mapping && any([](const MateHits& m) { return m.nh > 1; })) return ReadStatus::kMultiMapping;
  // For fragments, featureCounts 2.0.3 applies -Q after the multi-mapping filter: at least one mapped mate
  // must pass.
  const auto passes_mapq = [&](const MateHits* read) {
    return read != nullptr && read->mapped() && read->mapq >= options_.min_mapq;
  };
  if (options_.min_mapq > 0 && !passes_mapq(&first) && !passes_mapq(second)) return ReadStatus::kMappingQuality;
  if (options_.primary_only && any([](const MateHits& m) { return (m.flag & BAM_FSECONDARY) != 0; })) {
    return ReadStatus::kSecondary;
  }
  if ((options_.split_only || options_.non_split_only) && both_mapped) {
    const bool split = any([](const MateHits& m) { return m.split; });
    if ((options_.split_only && !split) || (options_.non_split_only && split)) return ReadStatus::kSplitFilter;
  }
  return ReadStatus::kAssigned;
}

ReadStatus FragmentResolver::choose_targets(std::vector<TargetHit>& targets, std::int64_t length_bp,
                                           std::size_t& n_overlapping) const {
  if (targets.empty()) return ReadStatus::kNoFeatures;
  // featureCounts keeps --fracOverlap as a float: 0.8 of 50 bases then needs slightly more than 40.
  const double min_by_fraction =
      static_cast<double>(static_cast<float>(options_.min_overlap_fraction)) * static_cast<double>(length_bp);
  // --nonOverlap N: at most N of the read's (pair's) bases outside the target.
  const std::int64_t min_by_nonoverlap = options_.max_read_nonoverlap_bp < 0
                                             ? std::numeric_limits<std::int64_t>::min()
                                             : length_bp - options_.max_read_nonoverlap_bp;
  std::erase_if(targets, [&](const TargetHit& hit) {
    return hit.overlap_bp < options_.min_overlap_bp || static_cast<double>(hit.overlap_bp) < min_by_fraction ||
           hit.overlap_bp < min_by_nonoverlap;
  });
  if (targets.empty()) return ReadStatus::kOverlappingLength;
  n_overlapping = targets.size();
  if (targets.size() == 1) return ReadStatus::kAssigned;
  if (options_.multi_overlap) {
    // -O --largestOverlap: every target of the largest overlap (featureCounts 2.0.3; --fraction still
    // divides by all the targets overlapped enough).
    if (options_.largest_overlap) {
      std::int64_t largest = 0;
      for (const auto& hit : targets) largest = std::max(largest, hit.overlap_bp);
      std::erase_if(targets, [&](const TargetHit& hit) { return hit.overlap_bp < largest; });
    }
    return ReadStatus::kAssigned;
  }
  // One winner: the largest overlap (--largestOverlap) or the target hit by most mates.
  const auto score = [&](const TargetHit& hit) {
    return options_.largest_overlap ? hit.overlap_bp : static_cast<std::int64_t>(std::popcount(hit.mates));
  };
  const auto best = std::max_element(targets.begin(), targets.end(),
                                     [&](const TargetHit& a, const TargetHit& b) { return score(a) < score(b); });
  const std::int64_t best_score = score(*best);
  if (std::count_if(targets.begin(), targets.end(), [&](const TargetHit& h) { return score(h) == best_score; }) > 1) {
    return ReadStatus::kAmbiguity;
  }
  const TargetHit winner = *best;
  targets.assign(1, winner);
  return ReadStatus::kAssigned;
}

void FragmentResolver::join_pieces(std::vector<TargetHit>& pieces) {
  // A feature whose pieces cover fewer bases than it needs is dropped, with all its pieces (featureCounts:
  // a read left with none is Unassigned_NoFeatures).
  std::sort(pieces.begin(), pieces.end(), [](const TargetHit& a, const TargetHit& b) {
    return a.feature != b.feature ? a.feature < b.feature : a.first_base < b.first_base;
  });
  std::size_t kept = 0;
  for (std::size_t begin = 0, end = 0; begin < pieces.size(); begin = end) {
    while (end < pieces.size() && pieces[end].feature == pieces[begin].feature) ++end;
    if (covered_bases(pieces, begin, end) < pieces[begin].feature_min_bp) continue;
    for (std::size_t i = begin; i < end; ++i) pieces[kept++] = pieces[i];
  }
  pieces.resize(kept);
  // A target overlaps the bases its pieces cover, each once, from either mate.
  std::sort(pieces.begin(), pieces.end(), [](const TargetHit& a, const TargetHit& b) {
    return a.target != b.target ? a.target < b.target : a.first_base < b.first_base;
  });
  std::size_t joined = 0;
  for (std::size_t begin = 0, end = 0; begin < pieces.size(); begin = end) {
    TargetHit target = pieces[begin];
    for (end = begin; end < pieces.size() && pieces[end].target == target.target; ++end) {
      target.mates |= pieces[end].mates;
      target.strands |= pieces[end].strands;
    }
    target.overlap_bp = covered_bases(pieces, begin, end);
    pieces[joined++] = target;
  }
  pieces.resize(joined);
}

ReadStatus FragmentResolver::resolve(const MateHits& first, const MateHits* second, std::vector<TargetHit>& targets,
                                     std::int64_t share_scale, std::int64_t& share) const {
  const bool as_fragment = options_.count_fragments;
  const ReadStatus status = as_fragment ? filter_fragment(first, second) : filter_read(first);
  if (status != ReadStatus::kAssigned) return status;
  targets.clear();
  std::int64_t length_bp = 0;
  std::int32_t nh = 1;
  for (const MateHits* mate : {&first, second}) {
    if (mate == nullptr || !mate->mapped()) continue;
    const std::uint8_t mate_bit = mate == &first ? 1 : 2;
    if (pieces_) {
      for (TargetHit piece : mate->hits) {
        piece.mates = mate_bit;
        targets.push_back(piece);
      }
    } else {
      for (const auto& hit : mate->hits) add_hit(targets, hit.target, hit.overlap_bp, mate_bit, hit.strands);
    }
    length_bp += mate->length_bp;
    nh = std::max(nh, mate->nh);
  }
  if (pieces_) join_pieces(targets);
  std::size_t n_overlapping = 0;
  const ReadStatus chosen = choose_targets(targets, length_bp, n_overlapping);
  if (chosen != ReadStatus::kAssigned) return chosen;
  share = share_scale;
  if (options_.fraction) {
    if (options_.multi_mapping && nh > 1) share /= nh;
    if (options_.multi_overlap) share /= static_cast<std::int64_t>(n_overlapping);
  }
  return ReadStatus::kAssigned;
}

}  // namespace ifnsig::count
