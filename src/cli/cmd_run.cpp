// ifnsig run: one command from a sample sheet to IFN calls, a report and MultiQC content.
// CLI11 fills RunArguments; run::run_pipeline does the work.
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/memory.hpp"
#include "ifnsig/run/run_pipeline.hpp"

namespace ifnsig::cli {
namespace {

struct RunArguments {
  run::RunConfig config;
  std::string max_memory;
  QuantCliOptions quant;
};

void run(RunArguments& args) {
  auto& c = args.config;
  finish_quant_options(args.quant);
  c.quant = args.quant.inputs;
  if (!args.quant.counts_from_abundance.empty()) c.counts_from_abundance = c.quant.options.counts_from_abundance;
  c.command_line = command_line();
  c.panel_dir = builtin_panel_dir();
  c.gene_aliases = &shipped_gene_aliases();
  const MemoryBudget memory = memory_budget(args.max_memory);
  c.count.max_memory_bytes = memory.bytes;
  log_info("memory budget " + format_memory(memory.bytes) + " (" + memory.source + ")");
  const run::RunResult result = run::run_pipeline(c);
  if (c.counts_matrix.empty() && c.quant.empty()) {  // a run from alignments: what it counted
    log_info("run: " + std::to_string(result.counted.size()) + " sample(s) counted, " +
             std::to_string(result.reused.size()) + " reused");
  }
  if (!result.report.empty()) std::printf("Report: %s\n", result.report.string().c_str());
}

}  // namespace

void register_run(CLI::App& app) {
  auto args = std::make_shared<RunArguments>();
  auto& c = args->config;
  auto* cmd = app.add_subcommand(
      "run",
      "From a sample sheet to IFN calls: count every sample, normalize, score the panels against the control\n"
      "group (or a frozen reference) and write tables, report.html, MultiQC content and run.json to OUTDIR.\n"
      "Restartable: samples whose counts in OUTDIR/samples match their input and options are not counted again.\n"
      "Or start from counts made elsewhere: --counts MATRIX (nf-core/rnaseq's merged gene matrix, a featureCounts\n"
      "or plain gene x sample table) or --quant-dir DIR (salmon, kallisto, RSEM or STAR outputs per sample).");
  cmd->add_option("--samples", c.sheet,
                  "Sample sheet TSV: sample, bam (relative to the sheet), group; optional batch, paired, strand "
                  "(with --counts or --quant-dir: sample and group; bam, paired, strand are not read)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-a,--annotation", c.annotation,
                  "Annotation: GTF, GFF3 or SAF, optionally gzipped (needed to count; with --counts or --quant-dir "
                  "it gives gene names and, for --quant files of transcripts, transcript to gene)");
  cmd->add_option("--counts", c.counts_matrix,
                  "Start from this gene x sample count matrix instead of alignments (nf-core's "
                  "salmon.merged.gene_counts.tsv, featureCounts or plain TSV; columns named by the sheet's samples)");
  add_quant_options(cmd, args->quant, "lengthScaledTPM for transcript-level files, no for RSEM genes and STAR",
                    false);
  add_annotation_cache_option(cmd, c.annotation_cache);
  cmd->add_option("-o,--outdir", c.outdir, "Output directory (created if needed)")->required();
  add_threads_option(cmd, c.threads);
  add_memory_option(cmd, args->max_memory);
  cmd->add_option("--control", c.control, "Value of the `group` column marking the control samples")
      ->capture_default_str();
  cmd->add_option("--reference", c.reference,
                  "Frozen reference JSON (reference.json of an earlier run) replacing the control group");
  cmd->add_flag("--targeted", c.targeted,
                "With --reference: read only the reference's normalizer genes and the panels' genes of each indexed "
                "BAM/CRAM (count --genes); size factors over the normalizer genes");
  add_normalizer_genes_option(cmd, c.normalizer_genes);
  add_panel_options(cmd, c.panels, c.methods);
  cmd->add_option("--time-unit", c.time_unit,
                  "Follow-up: the unit of the sheet's numeric `time` column (e.g. days), shown on the axes");
  cmd->add_option("--visit-order", c.visit_order,
                  "Follow-up: the order of the sheet's visit labels in `time` (comma list; default: natural order)")
      ->delimiter(',');
  cmd->add_option("--extra-column", c.extra_columns, "Further sample-sheet column to accept and show in the report");
  add_shared_count_rules(cmd, c.count);
  add_cram_reference_option(cmd, c.count.reference_fasta);
  cmd->add_option("--sample", c.only_sample,
                  "Scatter step of a workflow: count only this sample into OUTDIR/samples and stop");
  cmd->add_flag("--gather", c.gather,
                "Gather step of a workflow: count nothing, use OUTDIR/samples (every sample must be up to date)");
  cmd->callback([args] { run(*args); });
}

}  // namespace ifnsig::cli
