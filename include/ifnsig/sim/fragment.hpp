// Owns: simulated fragments: the compact recipe drawn while planning a sample, and its deterministic
//       layout into alignment records (positions, spliced CIGARs, clips, indels, unmapped mates,
//       supplementary pieces).
// Thread-safety: FragmentLayouter is immutable; layout() may run on any thread with its own output.
// Invariant: layout() of a recipe depends only on the recipe, never on the thread or the call order;
//            aligned blocks of an exonic fragment lie inside its gene's exons.
#pragma once
#include <cstdint>
#include <vector>

#include "ifnsig/sim/sim_genome.hpp"
#include "ifnsig/sim/sim_options.hpp"

namespace ifnsig::sim {

enum class FragmentKind : std::uint8_t { kExonic = 0, kIntronic = 1, kIntergenic = 2, kMultiLocus = 3 };

struct FragmentRecipe {
  std::uint64_t seed = 0;        // everything else about the fragment derives from it
  std::int64_t start = 0;        // exonic: transcript offset; intronic/intergenic: 0-based genome position
  std::uint32_t source = 0;      // gene (exonic, intronic, multi-locus) or contig (intergenic)
  std::uint16_t length_bp = 0;   // fragment length
  FragmentKind kind = FragmentKind::kExonic;
  std::uint8_t duplicates = 0;   // extra copies, flagged 0x400
};

struct MateRecord {
  bool mapped = true;
  bool reverse = false;
  std::int64_t pos = 0;  // 0-based first aligned base
  std::int64_t end = 0;  // one past the last reference base consumed
  std::vector<std::uint32_t> cigar;  // BAM-encoded operations
};

struct SupplementaryPiece {
  bool present = false;
  int mate = 0;            // which read is split (0 = read1)
  bool clip_left = false;  // the piece is the read's left part (genome orientation)
  int length_bp = 0;
  std::int64_t pos = 0;
};

struct FragmentLayout {
  std::int32_t tid = 0;
  bool paired = true;
  MateRecord mate[2];  // [0] read1, [1] read2
  SupplementaryPiece supplementary;
};

class FragmentLayouter {
 public:
  FragmentLayouter(const SimGenome& genome, const SimulateOptions& options);
  // plain: no clips, indels, unmapped mates or supplementary pieces (multi-locus hits).
  void layout(const FragmentRecipe& recipe, bool plain, FragmentLayout& out) const;
  // A fragment length for a transcript (or window) of `available_bp`: from the configured distribution,
  // at least the read length plus slack, at most what is available.
  std::uint16_t draw_length(Random& random, std::int64_t available_bp) const;
  // Shortest transcript that can host a fragment.
  std::int64_t min_length_bp() const { return options_.read_length_bp + kSlackBp; }
  static constexpr int kSlackBp = 8;

 private:
  struct MateSpec {
    int clip_left = 0;
    int clip_right = 0;
    int indel_at = 0;  // read offset (genome orientation) where the indel sits
    int indel = 0;     // > 0 insertion, < 0 deletion
    int ref_delta() const;  // reference bases consumed minus the read length
  };
  MateSpec draw_spec(Random& random, bool plain, int split_clip, bool split_left) const;
  bool project(const std::vector<Block>& frame, std::int64_t tx_start, const MateSpec& spec, MateRecord& out) const;
  void place_mate(const std::vector<Block>& frame, std::int64_t fragment_start, std::int64_t fragment_end,
                  bool left, MateSpec spec, MateRecord& out) const;
  const SimGenome& genome_;
  const SimulateOptions& options_;
  std::vector<std::vector<Block>> genomic_frames_;  // one whole-contig block per contig
};

}  // namespace ifnsig::sim
