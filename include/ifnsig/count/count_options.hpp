// Owns: the validated, read-only configuration of a counting run: featureCounts' rules (CountRules) apart
//       from how the count runs (CountExecution).
// Thread-safety: immutable once validated; shared by all worker threads.
// Invariant: validate() has rejected contradictory combinations before any input is read.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/core/execution.hpp"

namespace ifnsig::count {

enum class Strandedness : std::uint8_t { kUnstranded = 0, kForward = 1, kReverse = 2, kAuto = 3 };
const char* strandedness_name(Strandedness strandedness);  // "unstranded", "forward", "reverse", "auto"

enum class ReadEnd : std::uint8_t { kWhole = 0, kFivePrime = 5, kThreePrime = 3 };

// The CIGAR sections featureCounts reads from a long read (-L).
inline constexpr int kLongReadSections = 65536;

// featureCounts' rules: everything that decides a count. rules_json() serialises every field, and ifnsig
// run's restart key is that JSON, so a new rule forces a recount by itself (a unit test checks that
// rules_json() has one key per field).
struct CountRules {
  annotation::AnnotationOptions annotation;
  bool feature_level = false;        // -f
  bool multi_overlap = false;        // -O
  bool largest_overlap = false;      // --largestOverlap
  std::int64_t min_overlap_bp = 1;   // --minOverlap
  double min_overlap_fraction = 0;   // --fracOverlap
  std::int64_t max_read_nonoverlap_bp = -1;  // --nonOverlap: bases of the read (pair) outside the target; -1: no limit
  int max_cigar_sections = 10;       // --maxMOp: aligned sections read from a CIGAR; later ones are dropped
  bool long_reads = false;           // -L: every CIGAR section is read (--maxMOp at least 65536); reads only
  double min_feature_overlap_fraction = 0;     // --fracOverlapFeature: of each feature (exon) overlapped
  std::int64_t max_feature_nonoverlap_bp = -1;  // --nonOverlapFeature: bases of a feature outside the read; -1: no limit
  bool multi_mapping = false;        // -M
  bool fraction = false;             // --fraction
  bool primary_only = false;         // --primary
  bool ignore_duplicates = false;    // --ignoreDup
  int min_mapq = 0;                  // -Q
  bool split_only = false;           // --splitOnly
  bool non_split_only = false;       // --nonSplitOnly
  ReadEnd read_to_position = ReadEnd::kWhole;  // --read2pos
  std::int64_t extend_5prime_bp = 0;           // --readExtension5
  std::int64_t extend_3prime_bp = 0;           // --readExtension3
  bool paired = false;               // -p
  bool count_fragments = false;      // --countReadPairs
  bool by_read_group = false;        // --byReadGroup: a column per read group (@RG) of each file
  bool both_ends_mapped = false;     // -B
  bool exclude_chimeric = false;     // -C
  bool check_fragment_length = false;  // -P
  std::int64_t min_fragment_bp = 50;   // -d
  std::int64_t max_fragment_bp = 600;  // -D
  std::vector<Strandedness> strandedness{Strandedness::kUnstranded};  // -s, one value or one per input
  std::size_t strand_detection_reads = 200000;  // reads examined by --strand auto
};

// How a count runs (the threads, temporary directory and memory bound every stage has, and count's own);
// none of it changes a count.
struct CountExecution : Execution {
  std::size_t max_waiting_mates = 4000000;  // --max-waiting-mates: more are spilled to temp_directory
  bool strict_pairs = false;                // --strict-pairs: a mate that never appears is an error
  bool input_md5 = false;        // FileCounts::input_md5 wanted (ifnsig run's records)
  std::string reference_fasta;   // the FASTA a CRAM's sequences refer to
  bool read_details = false;     // -R CORE: write <input name>.featureCounts (read_details.hpp)
  std::filesystem::path read_details_directory;  // where: --Rpath, else the directory of -o
  bool junction_counts = false;  // -J: OUT.jcounts (junctions do not change a count)
  std::string junction_genome;   // -G: the FASTA whose splice-site motifs give OUT.jcounts' strands
};

struct CountOptions : CountRules, CountExecution {
  // Throws UsageError for contradictory or out-of-range settings; n_inputs sizes the -s list.
  void validate(std::size_t n_inputs);
  Strandedness strandedness_of(std::size_t input) const;
  // The mates held in memory before the table is spilled: max_waiting_mates, fewer when the table could
  // outgrow half of max_memory_bytes.
  std::size_t waiting_mate_limit() const;
};

// Whether a rule is judged on each feature's (exon's) own bases (--fracOverlapFeature, --nonOverlapFeature):
// the feature index must then be built with its features, and reads are counted from their pieces.
bool judges_features(const CountRules& rules);

// Every rule, by name; the options of a count's provenance and of ifnsig run's restart key.
nlohmann::json rules_json(const CountRules& rules);

}  // namespace ifnsig::count
