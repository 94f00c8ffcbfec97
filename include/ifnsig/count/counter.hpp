// Owns: counting one alignment file against a feature index on a TBB pipeline whose serial stages only
//       claim, link and queue batches (see CountProfile); reading, inflating, assigning and pairing mates run
//       on any thread.
// Thread-safety: count_file() runs its own pipeline in its own task arena sized by options.threads; several
//                calls may run at once from different threads (inputs are read-only).
// Invariant: results are integers (fractions in featureCounts' fixed point), independent of the thread count.
#pragma once
#include <htslib/sam.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/count/count_options.hpp"
#include "ifnsig/count/junction_counts.hpp"
#include "ifnsig/count/read_status.hpp"

namespace ifnsig::count {

// Counts are fixed point in units of 1/65536, as featureCounts keeps them: a --fraction share is
// 65536 / NH, then divided by the number of genes, both truncating; identical at any thread count.
inline constexpr std::int64_t kCountScale = 65536;

struct StrandEvidence {
  std::uint64_t reads_used = 0;  // reads overlapping exactly one gene on one strand
  std::uint64_t same_strand = 0;  // read (pair: read 1) on the gene's strand
  std::uint64_t opposite_strand = 0;
  double forward_fraction() const;
};

// Where a count's time went, per pipeline stage: CPU seconds (summed over the threads that ran it) and
// wall seconds spent inside it (summed likewise; for a serial stage, its busy time). Serial, one batch at a
// time in file order: read (claiming the next blocks of a BAM file on disk by their headers; through HTSlib, decoding records,
// its own inflating threads not included), link (joining a batch to the one before: a record split between
// them) and queue (handing a batch's waiting mates to their shards). Any thread: inflate (a BAM chunk's
// blocks read, inflated and cut into records), assign (records parsed and assigned, mates paired within a
// batch) and pairing (mates paired across batches).
struct StageTime {
  double cpu_seconds = 0;
  double wall_seconds = 0;
};
struct CountProfile {
  StageTime read, inflate, link, assign, queue, pairing;
  // The serial stages' share of the pipeline's CPU: what bounds the speed-up on more cores (Amdahl).
  double serial_share() const;
};

// What counting chosen targets only (count_file_targets) read of a file, and what its index says of the
// whole file.
struct TargetedReading {
  std::uint64_t targets = 0;           // chosen (genes, or features with -f)
  std::uint64_t regions = 0;           // merged intervals read through the index
  std::uint64_t region_bases = 0;      // bases they cover
  std::uint64_t region_records = 0;    // records overlapping them
  std::uint64_t mate_positions = 0;    // positions of mates looked up outside them
  std::uint64_t mate_records = 0;      // records read at those positions
  std::uint64_t unplaced_records = 0;  // records read among the unplaced ones (only when a mate had no position)
  std::uint64_t compressed_bytes = 0;  // BAM: the compressed bytes the index's chunks span, every query summed
  std::uint64_t file_bytes = 0;        // the file's size (0 when not a local file)
  std::uint64_t remote_bytes = 0;      // an http(s) file: the bytes fetched from it, its index's included
  std::uint64_t remote_requests = 0;   // and the requests (byte ranges and the index) that fetched them
  struct ContigTotals {
    std::string name;
    std::uint64_t mapped = 0;
    std::uint64_t unmapped = 0;
  };
  std::vector<ContigTotals> index_totals;  // per contig, as samtools idxstats gives them (BAM; empty for CRAM)
  std::uint64_t unplaced = 0;              // unmapped records without a position (BAM)
};

// An alignment contig counted on an annotation contig of another name: through an -A alias, or by removing or
// adding "chr" as featureCounts does (GeneModel::find_contig).
struct RenamedContig {
  std::string alignment;
  std::string annotation;
  annotation::ContigRule rule = annotation::ContigRule::kAlias;
};
struct ContigMatching {
  std::vector<std::int32_t> annotation_contig;  // per alignment contig (header tid), -1 for none
  std::vector<RenamedContig> renamed;           // in header order
};
// --byReadGroup: the counts of one read group of a file.
struct ReadGroupCounts {
  std::string id;                          // its @RG line's ID
  std::vector<std::int64_t> target_units;  // per target, in 1/kCountScale
  StatusCounts status;
};
struct FileCounts {
  std::string path;
  std::string format;                     // BAM, CRAM, SAM
  std::vector<std::int64_t> target_units;  // per target, in 1/kCountScale
  StatusCounts status;
  Strandedness strandedness = Strandedness::kUnstranded;  // as used (auto resolved)
  StrandEvidence strand_evidence;                          // filled by --strand auto
  std::uint64_t records = 0;
  std::uint64_t lone_mates = 0;  // --countReadPairs: primary or secondary records whose mate never appeared
  std::uint64_t lone_supplementary = 0;  // --countReadPairs: supplementary records, alone by nature
  double seconds = 0;
  CountProfile profile;
  std::string input_md5;  // with CountOptions::input_md5, of a file (not standard input)
  std::optional<TargetedReading> targeted;  // counted by count_file_targets
  std::vector<RenamedContig> renamed_contigs;  // contigs counted under another name
  // --byReadGroup: per @RG line of the header, in its order (target_units and status are then their sums:
  // records without a read group of the header are counted nowhere).
  std::vector<ReadGroupCounts> read_groups;
  std::vector<JunctionCount> junctions;        // -J: in no particular order
};

// Maps the alignment header's contigs to annotation contigs; throws when they share no name.
ContigMatching match_contig_names(const annotation::GeneModel& model, const sam_hdr_t* header, const std::string& path);
// Logs the renamed contigs of one input (how many, by which rule, the first few); once per counted file.
void log_renamed_contigs(const std::string& path, const ContigMatching& matching);
// "alias", "chr removed", "chr added" (OUT.json's names of the rules that rename).
const char* renamed_contig_rule_name(annotation::ContigRule rule);

// The file -R CORE writes for `input` (CountOptions::read_details): <directory>/<input's file name>.featureCounts.
std::filesystem::path read_details_path(const std::string& input, const std::filesystem::path& directory);

FileCounts count_file(const std::string& path, const annotation::GeneModel& model,
                      const annotation::FeatureIndex& index, const CountOptions& options, Strandedness strandedness);

// Counts only `targets` (target ids of `index`, e.g. from targets_of_genes) of an indexed, coordinate-sorted
// BAM or CRAM, reading through the index only the records that can count for them (targeted_counter.cpp).
// Each chosen target's count equals count_file's; the other targets' and the status counts are partial.
FileCounts count_file_targets(const std::string& path, const annotation::GeneModel& model,
                              const annotation::FeatureIndex& index, const CountOptions& options,
                              Strandedness strandedness, const std::vector<std::uint32_t>& targets);
// The targets of `genes` (gene indices of the model): the genes themselves, or their exons with -f.
std::vector<std::uint32_t> targets_of_genes(const annotation::GeneModel& model, bool feature_level,
                                            const std::vector<std::uint32_t>& genes);

}  // namespace ifnsig::count
