// Owns: featureCounts' junction counting (-J, OUT.jcounts): a record's splice junctions as its CIGAR's N
//       operations give them, and the table of junctions with the genes at their sites and, with -G, the
//       strand their splice-site motif gives (junction_counts.cpp).
// Thread-safety: plain values; write_junction_table is a pure writer over finished results.
// Invariant: positions are 1-based: `left` the last base before the gap, `right` the first base after it.
#pragma once
#include <compare>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ifnsig::annotation {
class GeneModel;
}

namespace ifnsig::count {

struct FileCounts;

struct SpliceJunction {
  std::int64_t left = 0;
  std::int64_t right = 0;
  auto operator<=>(const SpliceJunction&) const = default;
};

// A junction of one file and the reads or fragments that carry it.
struct JunctionCount {
  std::string contig;  // as the alignments name it
  SpliceJunction junction;
  std::uint64_t count = 0;
};

// OUT.jcounts for `files` (each FileCounts::junctions): one row per junction of any file, in featureCounts'
// order, 0 where a file lacks it. `genome` (-G) names the FASTA of the motifs; empty: strands are NA.
// Throws InputError when the FASTA cannot be read or lacks a junction's contig or bases.
void write_junction_table(std::ostream& out, const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                          const std::string& genome);

}  // namespace ifnsig::count
