// Owns: the `ifnsig normalize` pipeline: read counts and the sample sheet, check them, fit or load the
//       frozen reference, compute factors, transform, batch-correct, and write every output atomically.
// Thread-safety: run_normalize is single-entry; it uses TBB inside (the caller sets the thread budget).
// Invariant: either every requested output file is written completely or none is (and no NaN/Inf cell).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/norm/frozen_reference.hpp"
#include "ifnsig/norm/vst.hpp"

namespace ifnsig {

struct NormalizeConfig {
  std::vector<std::string> inputs;
  std::string sample_sheet;            // optional unless batch correction is asked for
  std::optional<FactorMethod> method;  // default ratio; with --reference, the reference's
  std::optional<TransformKind> transform_kind;  // default counts; with --reference, the reference's
  TransformParams transform;           // prior count, pseudocount, VST subsample
  VstFit vst_fit = VstFit::kParametric;  // DESeq2 fitType (parametric falls back to local)
  std::string control_genes;           // optional file, one gene id per line (ratio/poscounts)
  std::string batch_column;            // ComBat when non-empty
  std::vector<std::string> covariates;
  CombatOptions combat;
  std::string save_reference;
  std::string reference;               // apply a frozen reference instead of fitting
  std::string output;
  std::string factors_output;
  std::string command_line;
};

// Throws UsageError for inconsistent options and InputError for bad data.
void run_normalize(const NormalizeConfig& config);

}  // namespace ifnsig
