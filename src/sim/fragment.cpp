#include "ifnsig/sim/fragment.hpp"

#include <htslib/sam.h>

#include <algorithm>
#include <cmath>

namespace ifnsig::sim {
namespace {

constexpr int kSupplementaryMinReadBp = 40;
constexpr int kMinSplitBp = 20;
constexpr int kIndelMinReadBp = 40;
constexpr int kMaxFragmentBp = 1000;

void emit(std::vector<std::uint32_t>& cigar, int op, std::int64_t length) {
  if (length <= 0) return;
  if (!cigar.empty() && static_cast<int>(bam_cigar_op(cigar.back())) == op) {
    cigar.back() = bam_cigar_gen(static_cast<std::uint32_t>(bam_cigar_oplen(cigar.back()) + length), op);
  } else {
    cigar.push_back(bam_cigar_gen(static_cast<std::uint32_t>(length), op));
  }
}

std::int64_t block_end(const Block& block) { return block.tx_start + block.length; }

// Whether read 1 aligns to the forward strand, from the library's strandedness and the source's strand.
bool read1_forward(LibraryStrand library, annotation::Strand source, bool coin) {
  if (library == LibraryStrand::kUnstranded || source == annotation::Strand::kUnknown) return coin;
  const bool sense_forward = source == annotation::Strand::kForward;
  return library == LibraryStrand::kForward ? sense_forward : !sense_forward;
}

}  // namespace

FragmentLayouter::FragmentLayouter(const SimGenome& genome, const SimulateOptions& options)
    : genome_(genome), options_(options) {
  for (const auto& contig : genome.contigs()) genomic_frames_.push_back({Block{0, 0, contig.length_bp}});
}

int FragmentLayouter::MateSpec::ref_delta() const { return -clip_left - clip_right - indel; }

std::uint16_t FragmentLayouter::draw_length(Random& random, std::int64_t available_bp) const {
  const double drawn = options_.fragment_mean_bp + options_.fragment_sd_bp * random.normal();
  std::int64_t length = std::llround(drawn);
  length = std::clamp<std::int64_t>(length, min_length_bp(), kMaxFragmentBp);
  return static_cast<std::uint16_t>(std::min(length, available_bp));
}

FragmentLayouter::MateSpec FragmentLayouter::draw_spec(Random& random, bool plain, int split_clip,
                                                       bool split_left) const {
  const double u_clip = random.uniform();
  const double u_indel = random.uniform();
  const std::uint64_t bits = random.next();
  MateSpec spec;
  if (split_clip > 0) {
    (split_left ? spec.clip_left : spec.clip_right) = split_clip;
    return spec;
  }
  if (plain) return spec;
  const int read_bp = options_.read_length_bp;
  if (u_clip < options_.soft_clip_fraction) {
    const int clip = 3 + static_cast<int>(bits % 13);
    ((bits >> 8) & 1 ? spec.clip_left : spec.clip_right) = clip;
  }
  if (u_indel < options_.indel_fraction && read_bp >= kIndelMinReadBp) {
    const int size = 1 + static_cast<int>((bits >> 16) % 3);
    spec.indel = (bits >> 20) & 1 ? size : -size;
    spec.indel_at = 15 + static_cast<int>((bits >> 24) % static_cast<std::uint64_t>(read_bp - 30));
    const int inserted = std::max(spec.indel, 0);
    if (spec.indel_at <= spec.clip_left || spec.indel_at + inserted >= read_bp - spec.clip_right) spec.indel = 0;
  }
  return spec;
}

bool FragmentLayouter::project(const std::vector<Block>& frame, std::int64_t tx_start, const MateSpec& spec,
                               MateRecord& out) const {
  const int read_bp = options_.read_length_bp;
  const int inserted = std::max(spec.indel, 0);
  const int aligned = read_bp - spec.clip_left - spec.clip_right - inserted;
  const int first = spec.indel != 0 ? spec.indel_at - spec.clip_left : aligned;
  auto block = std::upper_bound(frame.begin(), frame.end(), tx_start,
                                [](std::int64_t tx, const Block& b) { return tx < b.tx_start; }) - 1;
  std::int64_t tx = tx_start;
  out.cigar.clear();
  out.pos = block->genome_start + (tx - block->tx_start);
  auto match = [&](std::int64_t remaining) {
    while (remaining > 0) {
      if (tx == block_end(*block)) {
        const auto next = block + 1;
        if (next == frame.end()) return false;
        emit(out.cigar, BAM_CREF_SKIP, next->genome_start - (block->genome_start + block->length));
        block = next;
      }
      const std::int64_t take = std::min(remaining, block_end(*block) - tx);
      emit(out.cigar, BAM_CMATCH, take);
      remaining -= take;
      tx += take;
    }
    return true;
  };
  emit(out.cigar, BAM_CSOFT_CLIP, spec.clip_left);
  if (!match(first)) return false;
  if (spec.indel != 0) {
    // An indel at or across an exon junction is not how aligners report reads; the caller drops it.
    if (tx == block_end(*block)) return false;
    if (spec.indel > 0) {
      emit(out.cigar, BAM_CINS, spec.indel);
    } else {
      if (tx - spec.indel > block_end(*block)) return false;
      emit(out.cigar, BAM_CDEL, -spec.indel);
      tx -= spec.indel;
    }
    if (!match(aligned - first)) return false;
  }
  emit(out.cigar, BAM_CSOFT_CLIP, spec.clip_right);
  out.end = block->genome_start + (tx - block->tx_start);
  return true;
}

void FragmentLayouter::place_mate(const std::vector<Block>& frame, std::int64_t fragment_start,
                                  std::int64_t fragment_end, bool left, MateSpec spec, MateRecord& out) const {
  for (;;) {
    const std::int64_t span = options_.read_length_bp + spec.ref_delta();
    const std::int64_t tx_start = left ? fragment_start : fragment_end - span;
    if (project(frame, tx_start, spec, out) || spec.indel == 0) break;
    spec.indel = 0;
  }
  out.mapped = true;
  out.reverse = !left;
}

void FragmentLayouter::layout(const FragmentRecipe& recipe, bool plain, FragmentLayout& out) const {
  Random random(recipe.seed);
  const bool coin = random.next() & 1;
  const double u_unmapped = random.uniform();
  const double u_supplementary = random.uniform();
  const std::uint64_t bits = random.next();
  const std::vector<Block>* frame = nullptr;
  annotation::Strand strand = annotation::Strand::kUnknown;
  if (recipe.kind == FragmentKind::kIntergenic) {
    out.tid = static_cast<std::int32_t>(recipe.source);
    frame = &genomic_frames_[recipe.source];
  } else {
    const SimGene& gene = genome_.genes()[recipe.source];
    out.tid = static_cast<std::int32_t>(gene.contig);
    strand = gene.strand;
    frame = recipe.kind == FragmentKind::kIntronic ? &genomic_frames_[gene.contig] : &gene.blocks;
  }
  const std::int64_t start = recipe.start;
  const std::int64_t end = start + recipe.length_bp;
  const bool forward1 = read1_forward(options_.strand, strand, coin);
  out.paired = options_.paired;
  const int read_bp = options_.read_length_bp;

  SupplementaryPiece& piece = out.supplementary;
  piece = SupplementaryPiece{};
  if (!plain && u_supplementary < options_.supplementary_fraction && read_bp >= kSupplementaryMinReadBp) {
    piece.mate = out.paired ? static_cast<int>((bits >> 1) & 1) : 0;
    piece.length_bp = kMinSplitBp + static_cast<int>((bits >> 8) % static_cast<std::uint64_t>(read_bp / 2 - kMinSplitBp));
    const auto contig_bp = genome_.contigs()[out.tid].length_bp;
    for (int attempt = 0; attempt < 8 && !piece.present; ++attempt) {
      piece.pos = static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(contig_bp - piece.length_bp)));
      piece.present = genome_.intergenic(static_cast<std::uint32_t>(out.tid), piece.pos, piece.pos + piece.length_bp);
    }
  }
  const int n_mates = out.paired ? 2 : 1;
  for (int m = 0; m < n_mates; ++m) {
    // Read 1 is the left (forward) mate when it aligns forward; the split piece is at the fragment's outer end.
    const bool left = (m == 0) == forward1;
    const bool split = piece.present && piece.mate == m;
    if (split) piece.clip_left = left;
    const MateSpec spec = draw_spec(random, plain, split ? piece.length_bp : 0, left);
    place_mate(*frame, start, end, left, spec, out.mate[m]);
  }
  if (out.paired && !plain && !piece.present && u_unmapped < options_.unmapped_mate_fraction) {
    MateRecord& lost = out.mate[(bits >> 2) & 1];
    lost.mapped = false;
    lost.cigar.clear();
  }
}

}  // namespace ifnsig::sim
