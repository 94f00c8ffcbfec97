// Owns: the normalize stage: from a count table (in memory) to normalized values, sample factors and the
//       frozen reference fitted or applied (normalize_counts), and `ifnsig normalize` around it: read the
//       count tables and the sample sheet, run the stage, write every output atomically (run_normalize).
// Thread-safety: single-entry; TBB inside, on the Execution's cores.
// Invariant: the result holds no NaN/Inf cell; run_normalize writes every requested file completely or none.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/core/execution.hpp"
#include "ifnsig/matrix/count_table.hpp"
#include "ifnsig/norm/frozen_reference.hpp"
#include "ifnsig/norm/normalizer_genes.hpp"
#include "ifnsig/norm/size_factors.hpp"
#include "ifnsig/norm/vst.hpp"

namespace ifnsig::norm {

// What normalize computes, apart from where its inputs and outputs are.
struct NormalizeRules {
  std::optional<FactorMethod> method;           // default ratio; with a reference, the reference's
  std::optional<TransformKind> transform_kind;  // default counts; with a reference, the reference's
  TransformParams transform;                    // prior count, pseudocount, VST subsample
  VstFit vst_fit = VstFit::kParametric;         // DESeq2 fitType (parametric falls back to local)
  std::string batch_column;                     // ComBat when non-empty
  std::vector<std::string> covariates;
  CombatOptions combat;
  std::size_t normalizer_genes = kDefaultNormalizerGenes;  // kept in a frozen ratio reference (0: none)
  // Non-integer counts (estimated by salmon, kallisto, RSEM) where DESeq2's model needs integers (ratio,
  // poscounts, vst): rounded as DESeqDataSetFromTximport rounds them (R's round(), halves to even), unless
  // strict, which refuses them as before.
  bool strict_counts = false;
};

// Per-sample values by column name (batch, covariates), one per count column; `source` names where they come
// from in errors (a sample sheet's path).
struct SampleColumns {
  std::string source;
  std::map<std::string, std::vector<std::string>> values;
};

struct NormalizeInput {
  matrix::CountTable counts;
  std::vector<char> control_genes;             // ratio/poscounts: a mask over the counts' genes; empty = all
  SampleColumns columns;                       // what ComBat needs
  const FrozenReference* reference = nullptr;  // apply it instead of fitting (its genes, in its order)
  std::string reference_source;                // names the reference in errors (its path)
  // The counts hold chosen genes only (count --genes REF.json): the reference applies to the genes counted,
  // its size factors taken over its normalizer genes (targeted_reference).
  bool targeted = false;
  bool freeze = false;  // the fit will be kept as a frozen reference: refuse what one cannot hold
  std::vector<char> not_normalizers;  // a mask over the counts' genes never chosen as normalizers (IFN panels)
  // tximport's average transcript lengths (genes x samples, countsFromAbundance "no"): with ratio or poscounts
  // they become DESeq2's normalization factors (fit_length_factors), as DESeqDataSetFromTximport's avgTxLength
  // assay does. Empty: none.
  Eigen::MatrixXd avg_tx_length;
  std::string inputs_note;  // how the counts were made (the reference's "inputs"), when not plain tables
};

struct Normalized {
  matrix::GeneMatrix values;          // genes x samples
  SampleFactors factors;
  FrozenReference reference;  // the one fitted (genes, samples, version and command set) or the one applied
};

// The reference to apply, or the recipe to fit from the rules. Throws UsageError for rules that contradict
// the reference or each other; needs no data, so callers check a command before reading anything.
FrozenReference normalize_recipe(const NormalizeRules& rules, const FrozenReference* reference,
                                 bool has_control_genes);
// Throws UsageError as normalize_recipe does, InputError for bad data (naming counts.sources' files). Runs on
// execution.threads cores.
Normalized normalize_counts(NormalizeInput input, const NormalizeRules& rules, const Execution& execution,
                            const std::string& command_line);

// Counts the caller made from other inputs (quantifier files summed to genes: quant/tximport.hpp).
struct ImportedCounts {
  matrix::CountTable table;
  Eigen::MatrixXd avg_tx_length;  // as NormalizeInput's
  std::string note;               // as NormalizeInput's inputs_note
};

// `ifnsig normalize`: the rules and where the inputs and outputs are.
struct NormalizeConfig {
  NormalizeRules rules;
  Execution execution;
  std::vector<std::string> inputs;
  std::optional<ImportedCounts> imported;  // instead of `inputs`
  std::string sample_sheet;   // optional unless batch correction is asked for
  std::string control_genes;  // optional file, one gene id per line (ratio/poscounts)
  std::string save_reference;
  std::string reference;      // apply a frozen reference instead of fitting
  bool targeted = false;      // the inputs hold chosen genes only (NormalizeInput::targeted)
  std::string output;
  std::string factors_output;
  std::string command_line;
  // Marks the genes never chosen as normalizers (the IFN panels' genes; the caller knows the panels).
  std::function<std::vector<char>(const std::vector<std::string>& gene_ids)> not_normalizers;
};

// Throws UsageError for inconsistent options and InputError for bad data.
void run_normalize(const NormalizeConfig& config);

}  // namespace ifnsig::norm
