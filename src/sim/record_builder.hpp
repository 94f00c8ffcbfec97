// Owns: turning one laid-out fragment into BAM records: flags, mate fields, NH/HI/NM/SA tags, bases from
//       the pseudo-reference with quality-driven sequencing errors, and Illumina-like quality strings.
// Thread-safety: RecordBuilder is immutable; build() may run on any thread with its own RecordScratch.
// Invariant: a record depends only on its RecordRequest (and the layout), never on the thread.
#pragma once
#include <htslib/sam.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ifnsig/sim/fragment.hpp"

namespace ifnsig::sim {

enum class RecordRole : std::uint8_t { kRead1 = 0, kRead2 = 1, kSupplementary = 2 };

struct RecordRequest {
  const FragmentLayout* layout = nullptr;
  RecordRole role = RecordRole::kRead1;
  std::uint64_t seed = 0;     // bases and qualities of this copy
  const char* name = nullptr;
  bool duplicate = false;     // flag 0x400
  bool secondary = false;     // flag 0x100, no SEQ/QUAL
  int nh = 1;
  int hi = 1;
};

struct RecordScratch {
  std::string bases;
  std::vector<char> qualities;
  std::vector<std::uint32_t> cigar;
  std::string tag;
};

class RecordBuilder {
 public:
  RecordBuilder(const SimGenome& genome, const SimulateOptions& options);
  // Fills `out` (reusing its memory). Throws Error if HTSlib cannot build the record.
  void build(const RecordRequest& request, RecordScratch& scratch, bam1_t* out) const;

 private:
  std::uint16_t flags(const RecordRequest& request) const;
  void make_qualities(std::uint64_t seed, int length, bool reverse, RecordScratch& scratch) const;
  int make_bases(std::int32_t tid, std::int64_t pos, const std::vector<std::uint32_t>& cigar, std::uint64_t seed,
                 RecordScratch& scratch) const;
  void add_tags(const RecordRequest& request, int nm, RecordScratch& scratch, bam1_t* out) const;
  const SimGenome& genome_;
  const SimulateOptions& options_;
  std::uint16_t error_threshold_[64];  // P(error | Phred q) in units of 1/65536
  std::vector<std::int8_t> curve_[2];  // mean quality by cycle: good and poor reads
};

// MAPQ as STAR reports it: 255 unique, 3 for two hits, 1 for three or four, 0 beyond.
std::uint8_t mapq_for_hits(int nh);

}  // namespace ifnsig::sim
