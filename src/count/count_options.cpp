#include "ifnsig/count/count_options.hpp"

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "ifnsig/core/error.hpp"
#include "mate_table.hpp"

namespace ifnsig::count {

const char* strandedness_name(Strandedness strandedness) {
  switch (strandedness) {
    case Strandedness::kForward: return "forward";
    case Strandedness::kReverse: return "reverse";
    case Strandedness::kAuto: return "auto";
    default: return "unstranded";
  }
}

void CountOptions::validate(std::size_t n_inputs) {
  if (n_inputs == 0) throw UsageError("no alignment files given", "list one or more BAM/CRAM/SAM files, or '-'");
  if (strandedness.size() != 1 && strandedness.size() != n_inputs) {
    throw UsageError("-s lists " + std::to_string(strandedness.size()) + " values for " + std::to_string(n_inputs) +
                         " input files",
                     "give one value for all files or one per file");
  }
  if (fraction && !multi_mapping && !multi_overlap) {
    throw UsageError("--fraction needs -M and/or -O", "add -M to split multi-mapping reads, -O to split overlaps");
  }
  if (split_only && non_split_only) throw UsageError("--splitOnly and --nonSplitOnly exclude each other");
  if (min_mapq < 0 || min_mapq > 255) throw UsageError("-Q must be between 0 and 255");
  if (min_overlap_fraction < 0 || min_overlap_fraction > 1) throw UsageError("--fracOverlap must be in [0, 1]");
  if (max_read_nonoverlap_bp < -1) throw UsageError("--nonOverlap must not be negative");
  if (min_feature_overlap_fraction < 0 || min_feature_overlap_fraction > 1) {
    throw UsageError("--fracOverlapFeature must be in [0, 1]");
  }
  if (max_feature_nonoverlap_bp < -1) throw UsageError("--nonOverlapFeature must not be negative");
  if (max_cigar_sections < 1 || max_cigar_sections > 65555) throw UsageError("--maxMOp must be between 1 and 65555");
  if (long_reads && count_fragments) {
    throw UsageError("-L (long reads) counts reads, not fragments", "drop --countReadPairs, as featureCounts requires");
  }
  // featureCounts' long-read mode reads up to 65536 sections of a CIGAR, whatever --maxMOp says.
  if (long_reads) max_cigar_sections = std::max(max_cigar_sections, kLongReadSections);
  if (extend_5prime_bp < 0 || extend_3prime_bp < 0) throw UsageError("read extensions must not be negative");
  if (count_fragments && !paired) throw UsageError("--countReadPairs needs -p", "add -p for paired-end input");
  if ((both_ends_mapped || exclude_chimeric || check_fragment_length) && !paired) {
    throw UsageError("-B, -C and -P apply to paired-end input only", "add -p");
  }
  if (min_fragment_bp > max_fragment_bp) throw UsageError("-d must not exceed -D");
  if (threads < 1 || threads > 256) throw UsageError("-T must be between 1 and 256");
  // The waiting-mate table indexes its entries with 32 bits.
  if (max_waiting_mates < 1 || max_waiting_mates > 1000000000) {
    throw UsageError("--max-waiting-mates must be between 1 and 1,000,000,000");
  }
  if (temp_directory.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    temp_directory = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  }
  if (!std::filesystem::is_directory(temp_directory)) {
    throw UsageError("--tmp-dir " + temp_directory.string() + " is not a directory");
  }
}

}  // namespace ifnsig::count

// Field by field, as nlohmann::json's macros spell them; CountRulesTest checks that no field is left out. Each
// type's functions sit in its own namespace, where nlohmann::json finds them.
namespace ifnsig::annotation {
NLOHMANN_JSON_SERIALIZE_ENUM(AnnotationFormat, {{AnnotationFormat::kAuto, "auto"},
                                               {AnnotationFormat::kGtf, "GTF"},
                                               {AnnotationFormat::kGff3, "GFF3"},
                                               {AnnotationFormat::kSaf, "SAF"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AnnotationOptions, format, feature_types, gene_attribute, alias_file,
                                   extra_attributes)
}  // namespace ifnsig::annotation

namespace ifnsig::count {

NLOHMANN_JSON_SERIALIZE_ENUM(ReadEnd, {{ReadEnd::kWhole, "whole"},
                                       {ReadEnd::kFivePrime, "5"},
                                       {ReadEnd::kThreePrime, "3"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Strandedness, {{Strandedness::kUnstranded, "unstranded"},
                                            {Strandedness::kForward, "forward"},
                                            {Strandedness::kReverse, "reverse"},
                                            {Strandedness::kAuto, "auto"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CountRules, annotation, feature_level, multi_overlap, largest_overlap,
                                   min_overlap_bp, min_overlap_fraction, max_read_nonoverlap_bp,
                                   max_cigar_sections, long_reads, min_feature_overlap_fraction, max_feature_nonoverlap_bp,
                                   multi_mapping, fraction, primary_only,
                                   ignore_duplicates, min_mapq, split_only, non_split_only, read_to_position,
                                   extend_5prime_bp, extend_3prime_bp, paired, count_fragments, by_read_group,
                                   both_ends_mapped, exclude_chimeric, check_fragment_length, min_fragment_bp, max_fragment_bp,
                                   strandedness, strand_detection_reads)

nlohmann::json rules_json(const CountRules& rules) { return rules; }

// featureCounts tests the fraction against 1e-10.
bool judges_features(const CountRules& rules) {
  return rules.min_feature_overlap_fraction > 1e-10 || rules.max_feature_nonoverlap_bp >= 0;
}

std::size_t CountOptions::waiting_mate_limit() const {
  if (max_memory_bytes == 0) return max_waiting_mates;
  const std::uint64_t fits = max_memory_bytes / 2 / MateTable::max_bytes_per_entry();
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(fits, 1, max_waiting_mates));
}

Strandedness CountOptions::strandedness_of(std::size_t input) const {
  return strandedness.size() == 1 ? strandedness.front() : strandedness.at(input);
}

}  // namespace ifnsig::count
