// Owns: the simulator's view of an annotation: contig lengths, each gene's spliced "transcript" (the union
//       of its exons on its first contig), gene spans for intergenic placement, and a reproducible
//       pseudo-reference sequence.
// Thread-safety: immutable after construction; share freely between threads.
// Invariant: a SimGene's blocks are sorted, disjoint and non-adjacent, with tx_start the running sum of
//            block lengths; positions are 0-based half-open.
#pragma once
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig::sim {

// One stretch of reference covered by a frame: genome [genome_start, genome_start + length) is
// frame [tx_start, tx_start + length).
struct Block {
  std::int64_t genome_start = 0;
  std::int64_t tx_start = 0;
  std::int64_t length = 0;
};

struct SimGene {
  std::uint32_t gene = 0;    // index into GeneModel::genes()
  std::uint32_t contig = 0;  // index into SimGenome::contigs()
  annotation::Strand strand = annotation::Strand::kUnknown;
  std::vector<Block> blocks;
  std::int64_t length_bp = 0;  // spliced length (sum of block lengths)
  std::int64_t span_start = 0;
  std::int64_t span_end = 0;
  std::int64_t intron_bp() const { return span_end - span_start - length_bp; }
};

struct SimContig {
  std::string name;  // as alignments name it
  std::int64_t length_bp = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> gene_spans;  // merged, sorted
};

// Deterministic 64-bit mixing (splitmix64 finaliser) for seeds derived from (seed, sample, kind, index).
inline std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class SimGenome {
 public:
  // Contig lengths are the last annotated base plus a margin (annotations carry no lengths).
  explicit SimGenome(const annotation::GeneModel& model);

  const std::vector<SimContig>& contigs() const { return contigs_; }
  // One SimGene per annotation gene, same order; genes on several contigs keep their first contig.
  const std::vector<SimGene>& genes() const { return genes_; }
  // True when no other gene's span overlaps this gene's span (its counts cannot be ambiguous).
  bool isolated(std::uint32_t gene) const { return isolated_[gene] != 0; }
  // True when [start, end) overlaps no gene span on the contig.
  bool intergenic(std::uint32_t contig, std::int64_t start, std::int64_t end) const;
  // True when [start, end) lies inside one intron of the gene.
  static bool inside_intron(const SimGene& gene, std::int64_t start, std::int64_t end);
  // 32 reference bases (2 bits each, A C G T) starting at a multiple of 32.
  static std::uint64_t reference_word(std::uint32_t contig, std::int64_t position) {
    return mix_seed(0x5eed0f9e7a11ULL + contig, static_cast<std::uint64_t>(position >> 5));
  }

 private:
  std::vector<SimContig> contigs_;
  std::vector<SimGene> genes_;
  std::vector<std::uint8_t> isolated_;
};

// xoshiro256** seeded through splitmix64: fast, and the same sequence on every platform.
class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (int i = 0; i < 4; ++i) s_[i] = mix_seed(seed, static_cast<std::uint64_t>(i));
  }
  std::uint64_t next() {
    const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool chance(double p) { return uniform() < p; }
  double normal();
  // UniformRandomBitGenerator, for the standard library's gamma and Poisson draws.
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return next(); }

 private:
  std::uint64_t s_[4];
};

}  // namespace ifnsig::sim
