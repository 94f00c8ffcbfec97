#include "ifnsig/count/strand_detection.hpp"

#include <cmath>
#include <cstdio>

#include "ifnsig/core/error.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/assignment.hpp"

namespace ifnsig::count {

StrandEvidence detect_strandedness(const std::string& path, const annotation::GeneModel& model,
                                   const annotation::FeatureIndex& index, const CountOptions& options) {
  if (path == "-") {
    throw UsageError("--strand auto cannot read standard input twice", "give -s 0, 1 or 2 for input from '-'");
  }
  AlignmentReader reader(path, options.reference_fasta, 0);
  const RecordEvaluator evaluator(index, options, match_contig_names(model, reader.header(), path).annotation_contig,
                                  Strandedness::kUnstranded);
  StrandEvidence evidence;
  auto record = io::new_record();
  MateHits hits;
  constexpr std::uint16_t kSkipped = BAM_FUNMAP | BAM_FSECONDARY | BAM_FSUPPLEMENTARY | BAM_FDUP | BAM_FQCFAIL;
  while (evidence.reads_used < options.strand_detection_reads && reader.read(record.get())) {
    if (record->core.flag & kSkipped) continue;
    evaluator.evaluate_any_strand(record.get(), hits);
    if (hits.nh > 1 || hits.hits.size() != 1) continue;
    const annotation::StrandMask gene_strand = hits.hits.front().strands;
    if (gene_strand != annotation::kForwardBit && gene_strand != annotation::kReverseBit) continue;
    bool reverse = (record->core.flag & BAM_FREVERSE) != 0;
    if ((record->core.flag & BAM_FPAIRED) && (record->core.flag & BAM_FREAD2)) reverse = !reverse;
    ++evidence.reads_used;
    if ((reverse ? annotation::kReverseBit : annotation::kForwardBit) == gene_strand) {
      ++evidence.same_strand;
    } else {
      ++evidence.opposite_strand;
    }
  }
  return evidence;
}

Strandedness decide_strandedness(const StrandEvidence& evidence, const std::string& path) {
  const double forward = evidence.forward_fraction();
  char fractions[160];
  std::snprintf(fractions, sizeof fractions, "%.1f%% of %llu reads on the gene's strand, %.1f%% opposite",
                100 * forward, static_cast<unsigned long long>(evidence.reads_used), 100 * (1 - forward));
  if (evidence.reads_used < kMinStrandEvidence) {
    throw InputError(path, "", "too few reads overlap exactly one gene to infer strandedness (" +
                                   std::to_string(evidence.reads_used) + ")",
                     "give -s 0 (unstranded), 1 (forward) or 2 (reverse)");
  }
  if (forward >= kStrandedThreshold) return Strandedness::kForward;
  if (1 - forward >= kStrandedThreshold) return Strandedness::kReverse;
  if (std::fabs(2 * forward - 1) <= kUnstrandedThreshold) return Strandedness::kUnstranded;
  throw InputError(path, "", std::string("cannot tell the strandedness: ") + fractions,
                   "check the library protocol and give -s 0 (unstranded), 1 (forward) or 2 (reverse)");
}

Strandedness resolve_strandedness(const std::string& path, const annotation::GeneModel& model,
                                  const annotation::FeatureIndex& index, const CountOptions& options,
                                  Strandedness strandedness, StrandEvidence& evidence) {
  if (strandedness != Strandedness::kAuto) return strandedness;
  evidence = detect_strandedness(path, model, index, options);
  return decide_strandedness(evidence, path);
}

}  // namespace ifnsig::count
