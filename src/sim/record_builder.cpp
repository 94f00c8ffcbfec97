#include "record_builder.hpp"

#include <algorithm>
#include <cmath>

#include "ifnsig/core/error.hpp"

namespace ifnsig::sim {
namespace {

constexpr char kBases[] = "ACGT";
constexpr int kMinQuality = 2;
constexpr int kMaxQuality = 41;
constexpr int kNoise[8] = {-2, -1, 0, 0, 0, 0, 1, 2};

int mate_index(RecordRole role, const FragmentLayout& layout) {
  return role == RecordRole::kSupplementary ? layout.supplementary.mate : static_cast<int>(role);
}

std::string cigar_string(const std::vector<std::uint32_t>& cigar) {
  std::string text;
  for (std::uint32_t op : cigar) text += std::to_string(bam_cigar_oplen(op)) + bam_cigar_opchr(op);
  return text;
}

}  // namespace

std::uint8_t mapq_for_hits(int nh) {
  if (nh <= 1) return 255;
  if (nh == 2) return 3;
  return nh <= 4 ? 1 : 0;
}

RecordBuilder::RecordBuilder(const SimGenome& genome, const SimulateOptions& options)
    : genome_(genome), options_(options) {
  for (int q = 0; q < 64; ++q) {
    error_threshold_[q] = static_cast<std::uint16_t>(std::min(65535.0, 65536.0 * std::pow(10.0, -q / 10.0)));
  }
  // Mean quality along the read: good reads start at Q37 and lose 6, poorer ones start at Q31 and lose 14.
  const int length = options.read_length_bp;
  for (int poor = 0; poor < 2; ++poor) {
    for (int i = 0; i < length; ++i) {
      const double fall = (poor ? 14.0 : 6.0) * i * i / (static_cast<double>(length) * length);
      curve_[poor].push_back(static_cast<std::int8_t>((poor ? 31 : 37) - static_cast<int>(fall) - (i < 3 ? 2 : 0)));
    }
  }
}

std::uint16_t RecordBuilder::flags(const RecordRequest& request) const {
  const FragmentLayout& layout = *request.layout;
  const int m = mate_index(request.role, layout);
  const MateRecord& me = layout.mate[m];
  std::uint16_t flag = 0;
  if (layout.paired) {
    const MateRecord& other = layout.mate[1 - m];
    flag |= BAM_FPAIRED | (m == 0 ? BAM_FREAD1 : BAM_FREAD2);
    if (!other.mapped) flag |= BAM_FMUNMAP;
    if (me.mapped && other.mapped) flag |= BAM_FPROPER_PAIR;
    if (other.mapped && other.reverse) flag |= BAM_FMREVERSE;
  }
  if (!me.mapped) flag |= BAM_FUNMAP;
  if (me.mapped && me.reverse) flag |= BAM_FREVERSE;
  if (request.secondary) flag |= BAM_FSECONDARY;
  if (request.role == RecordRole::kSupplementary) flag |= BAM_FSUPPLEMENTARY;
  if (request.duplicate) flag |= BAM_FDUP;
  return flag;
}

void RecordBuilder::make_qualities(std::uint64_t seed, int length, bool reverse, RecordScratch& scratch) const {
  // Illumina-like: high early, a quadratic fall towards the 3' end, small noise, rare dips; ~10% of reads poorer.
  Random random(seed);
  const bool poor = (random.next() & 0xff) < 26;
  const std::vector<std::int8_t>& curve = curve_[poor ? 1 : 0];
  scratch.qualities.resize(static_cast<std::size_t>(length));
  std::uint64_t word = 0;
  for (int i = 0; i < length; ++i) {
    // 16 random bits per base: 3 for noise, 8 for a dip (1 in 256), 4 for the dip's depth.
    if ((i & 3) == 0) word = random.next();
    const std::uint64_t x = word >> (16 * (i & 3));
    int q = curve[static_cast<std::size_t>(i)] + kNoise[x & 7];
    if (((x >> 3) & 0xff) == 0) q = kMinQuality + static_cast<int>((x >> 11) & 0xf) % 14;
    scratch.qualities[static_cast<std::size_t>(i)] = static_cast<char>(std::clamp(q, kMinQuality, kMaxQuality));
  }
  if (reverse) std::reverse(scratch.qualities.begin(), scratch.qualities.end());
}

int RecordBuilder::make_bases(std::int32_t tid, std::int64_t pos, const std::vector<std::uint32_t>& cigar,
                              std::uint64_t seed, RecordScratch& scratch) const {
  Random random(mix_seed(seed, 7));
  std::size_t n_bases = 0;
  for (std::uint32_t op : cigar) {
    if (bam_cigar_type(bam_cigar_op(op)) & 1) n_bases += bam_cigar_oplen(op);
  }
  scratch.bases.resize(n_bases);
  char* next_base = scratch.bases.data();
  int nm = 0;
  std::int64_t ref = pos;
  for (std::uint32_t op : cigar) {
    const int length = static_cast<int>(bam_cigar_oplen(op));
    switch (bam_cigar_op(op)) {
      case BAM_CMATCH: {
        // Upper case: aligned, so a sequencing error there counts towards NM.
        std::uint64_t word = SimGenome::reference_word(static_cast<std::uint32_t>(tid), ref);
        for (int i = 0; i < length; ++i, ++ref) {
          if (i > 0 && (ref & 31) == 0) word = SimGenome::reference_word(static_cast<std::uint32_t>(tid), ref);
          *next_base++ = kBases[(word >> ((ref & 31) * 2)) & 3];
        }
        break;
      }
      case BAM_CINS:
      case BAM_CSOFT_CLIP:
        nm += bam_cigar_op(op) == BAM_CINS ? length : 0;
        for (int i = 0; i < length; ++i) *next_base++ = static_cast<char>(kBases[random.next() & 3] | 0x20);
        break;
      case BAM_CDEL:
        nm += length;
        ref += length;
        break;
      case BAM_CREF_SKIP:
        ref += length;
        break;
      default:
        break;
    }
  }
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < scratch.bases.size(); ++i) {
    char& base = scratch.bases[i];
    const bool aligned = (base & 0x20) == 0;
    base = static_cast<char>(base & ~0x20);
    const int q = scratch.qualities[i];
    // 32 random bits per base: 16 for the error test, 8 for the substitute, 1 for N at Q2.
    if ((i & 1) == 0) bits = random.next();
    const std::uint64_t x = bits >> (32 * (i & 1));
    if (q == kMinQuality && (x >> 24) & 1) {
      base = 'N';
    } else if ((x & 0xffff) < error_threshold_[q]) {
      const int index = static_cast<int>(std::find(kBases, kBases + 4, base) - kBases);
      base = kBases[(index + 1 + static_cast<int>(((x >> 16) & 0xff) % 3)) & 3];
      nm += aligned ? 1 : 0;
    }
  }
  return nm;
}

void RecordBuilder::add_tags(const RecordRequest& request, int nm, RecordScratch& scratch, bam1_t* out) const {
  const auto nh = static_cast<std::uint8_t>(request.nh);
  const auto hi = static_cast<std::uint8_t>(request.hi);
  const auto nm_value = static_cast<std::uint8_t>(std::min(nm, 255));
  bam_aux_append(out, "NH", 'C', 1, &nh);
  bam_aux_append(out, "HI", 'C', 1, &hi);
  const FragmentLayout& layout = *request.layout;
  // An unmapped mate carries its mate's NH/HI (as STAR writes it), so that counters can pair the two.
  if (!layout.mate[mate_index(request.role, layout)].mapped) return;
  bam_aux_append(out, "NM", 'C', 1, &nm_value);
  const SupplementaryPiece& piece = layout.supplementary;
  if (!piece.present || mate_index(request.role, layout) != piece.mate) return;
  // SA names the other part of the split read.
  const MateRecord& primary = layout.mate[piece.mate];
  const std::string& contig = genome_.contigs()[static_cast<std::size_t>(layout.tid)].name;
  if (request.role == RecordRole::kSupplementary) {
    scratch.tag = contig + ',' + std::to_string(primary.pos + 1) + ',' + (primary.reverse ? '-' : '+') + ',' +
                  cigar_string(primary.cigar) + ",255,0;";
  } else {
    const int clipped = options_.read_length_bp - piece.length_bp;
    scratch.tag = contig + ',' + std::to_string(piece.pos + 1) + ',' + (primary.reverse ? '-' : '+') + ',' +
                  (piece.clip_left ? std::to_string(piece.length_bp) + "M" + std::to_string(clipped) + "S"
                                   : std::to_string(clipped) + "S" + std::to_string(piece.length_bp) + "M") +
                  ",255,0;";
  }
  bam_aux_append(out, "SA", 'Z', static_cast<int>(scratch.tag.size() + 1),
                 reinterpret_cast<const std::uint8_t*>(scratch.tag.c_str()));
}

void RecordBuilder::build(const RecordRequest& request, RecordScratch& scratch, bam1_t* out) const {
  const FragmentLayout& layout = *request.layout;
  const int m = mate_index(request.role, layout);
  const MateRecord& me = layout.mate[m];
  const MateRecord* other = layout.paired ? &layout.mate[1 - m] : nullptr;
  const int read_bp = options_.read_length_bp;
  std::int64_t pos = me.mapped ? me.pos : other->pos;
  std::int64_t template_length = 0;
  int nm = 0;
  const std::vector<std::uint32_t>* cigar = &me.cigar;
  int length = request.secondary ? 0 : read_bp;
  if (request.role == RecordRole::kSupplementary) {
    const SupplementaryPiece& piece = layout.supplementary;
    scratch.cigar.clear();
    const auto hard = static_cast<std::uint32_t>(bam_cigar_gen(read_bp - piece.length_bp, BAM_CHARD_CLIP));
    const auto match = static_cast<std::uint32_t>(bam_cigar_gen(piece.length_bp, BAM_CMATCH));
    scratch.cigar = piece.clip_left ? std::vector<std::uint32_t>{match, hard} : std::vector<std::uint32_t>{hard, match};
    cigar = &scratch.cigar;
    pos = piece.pos;
    length = piece.length_bp;
  } else if (me.mapped && other != nullptr && other->mapped) {
    const std::int64_t left = std::min(me.pos, other->pos);
    const std::int64_t right = std::max(me.end, other->end);
    const bool leftmost = me.pos < other->pos || (me.pos == other->pos && m == 0);
    template_length = leftmost ? right - left : left - right;
  }
  if (length > 0) {
    make_qualities(request.seed, length, me.reverse, scratch);
    if (me.mapped) {
      nm = make_bases(layout.tid, pos, *cigar, request.seed, scratch);
    } else {
      scratch.cigar.assign(1, bam_cigar_gen(length, BAM_CSOFT_CLIP));
      make_bases(layout.tid, pos, scratch.cigar, request.seed, scratch);
    }
  }
  const std::int64_t mate_pos = other == nullptr ? -1 : (other->mapped ? other->pos : me.pos);
  const int n_cigar = me.mapped ? static_cast<int>(cigar->size()) : 0;
  const int status = bam_set1(out, std::char_traits<char>::length(request.name), request.name, flags(request),
                              layout.tid, pos, me.mapped ? mapq_for_hits(request.nh) : 0, n_cigar, cigar->data(),
                              other == nullptr ? -1 : layout.tid, mate_pos, template_length,
                              static_cast<std::size_t>(length), length > 0 ? scratch.bases.data() : nullptr,
                              length > 0 ? scratch.qualities.data() : nullptr, 64);
  if (status < 0) throw Error(std::string("could not build the BAM record for read ") + request.name);
  add_tags(request, nm, scratch, out);
}

}  // namespace ifnsig::sim
