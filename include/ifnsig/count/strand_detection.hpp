// Owns: --strand auto: measuring on the first reads which strand they fall on relative to the gene
//       they overlap, and turning that evidence into unstranded / forward / reverse.
// Thread-safety: functions without shared state.
// Invariant: thresholds as nf-core/rnaseq: >= 80% one way is stranded, within 10% of 50:50 is unstranded;
//            anything else stops with an error rather than guessing.
#pragma once
#include <string>

#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/count/count_options.hpp"
#include "ifnsig/count/counter.hpp"

namespace ifnsig::count {

inline constexpr double kStrandedThreshold = 0.8;
inline constexpr double kUnstrandedThreshold = 0.1;
inline constexpr std::uint64_t kMinStrandEvidence = 50;

StrandEvidence detect_strandedness(const std::string& path, const annotation::GeneModel& model,
                                   const annotation::FeatureIndex& index, const CountOptions& options);
// Throws InputError (naming the file and the fractions) when the evidence is too thin or ambiguous.
Strandedness decide_strandedness(const StrandEvidence& evidence, const std::string& path);
// The strandedness a count uses: `strandedness` itself, or with kAuto the one its first reads show (the
// evidence goes to `evidence`).
Strandedness resolve_strandedness(const std::string& path, const annotation::GeneModel& model,
                                  const annotation::FeatureIndex& index, const CountOptions& options,
                                  Strandedness strandedness, StrandEvidence& evidence);

}  // namespace ifnsig::count
