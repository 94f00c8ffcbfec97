// Owns: `ifnsig run`: from a sample sheet to IFN calls. Checks every input first, counts the samples whose
//       counts are missing or stale (several at once within the thread budget), then gathers: merged
//       counts, normalization, scores, calls, report, MultiQC content and run.json in OUTDIR.
//       The scatter step (count one sample) and the gather step (count nothing) serve cluster workflows.
// Thread-safety: run_pipeline() is single-entry; it starts its own counting threads and TBB work.
//       Or it starts from counts made elsewhere (--counts MATRIX, --quant-dir DIR: nf-core/rnaseq's merged
//       matrices, salmon/kallisto/RSEM/STAR outputs) and gathers them the same way.
// Invariant: nothing is counted or created before the sheet, the alignment files (or the counts given), the
//            options (panels, methods, reference) and the annotation all passed their checks;
//            the tables in OUTDIR depend only on the inputs and options, never on times, paths or -T.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/count/count_options.hpp"
#include "ifnsig/norm/normalizer_genes.hpp"
#include "ifnsig/quant/tximport.hpp"
#include "ifnsig/score/gene_aliases.hpp"

namespace ifnsig::run {

struct RunConfig {
  std::string sheet;
  std::string annotation;               // needed to count; with counts_matrix or quant, optional (gene names)
  // Counts made elsewhere instead of alignments: a gene x sample matrix (featureCounts, nf-core merged, plain)
  // or quantifier outputs summed to genes as tximport does. Sheet samples are columns of it (by id).
  std::string counts_matrix;
  quant::QuantInputs quant;
  // tximport's countsFromAbundance for quant; unset: lengthScaledTPM for transcript-level files (a run's frozen
  // reference holds size factors, not per-gene length offsets), no for gene-level ones (RSEM genes, STAR).
  std::optional<quant::CountsFromAbundance> counts_from_abundance;
  std::filesystem::path annotation_cache;  // --annotation-cache: empty for none
  std::filesystem::path outdir;
  std::string control = "control";     // `group` value of the control samples
  std::string reference;               // frozen reference JSON replacing the control group
  bool targeted = false;               // with a reference: count only its normalizer and panel genes
  std::size_t normalizer_genes = norm::kDefaultNormalizerGenes;  // kept in the reference a run without one fits
  std::vector<std::string> panels;     // empty: score::kDefaultPanels
  std::vector<std::string> methods;    // empty: each panel's published method
  std::vector<std::string> extra_columns;
  std::string time_unit;                 // follow-up: the unit of the sheet's numeric times, e.g. "days"
  std::vector<std::string> visit_order;  // follow-up: the order of the sheet's visit labels (empty: natural)
  count::CountOptions count;           // shared counting options (annotation format, -Q, ...)
  int threads = 1;
  std::string only_sample;             // scatter: count this sample (if stale) and stop
  bool gather = false;                 // gather: use OUTDIR/samples as they are; count nothing
  std::filesystem::path panel_dir;
  const score::GeneAliasTable* gene_aliases = nullptr;  // the shipped alias table; null: panels' own aliases only
  std::string command_line;
};

struct RunResult {
  std::filesystem::path report;  // empty after a scatter step
  std::vector<std::string> counted;
  std::vector<std::string> reused;
};

RunResult run_pipeline(const RunConfig& config);

}  // namespace ifnsig::run
