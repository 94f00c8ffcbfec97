// ifnsig normalize: cohort normalization (DESeq2/edgeR factors, CPM/TPM/VST transforms, ComBat) with a
// frozen reference for new samples. CLI11 fills NormalizeArguments; the library does the work.
#include <optional>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/norm/normalize.hpp"
#include "ifnsig/norm/vst.hpp"
#include "ifnsig/run/gene_selection.hpp"

namespace ifnsig::cli {
namespace {

struct NormalizeArguments {
  norm::NormalizeConfig config;
  std::string method;
  std::string transform;
  std::string vst_genes = "all";
  std::string vst_fit = "parametric";
  std::size_t vst_nsub = norm::kVstSubsample;
  bool nonparametric = false;
  int threads = 1;
  QuantCliOptions quant;
};

void run(NormalizeArguments& args) {
  auto& config = args.config;
  if (!args.method.empty()) config.rules.method = norm::parse_factor_method(args.method);
  if (!args.transform.empty()) config.rules.transform_kind = norm::parse_transform(args.transform);
  if (args.vst_genes != "all" && args.vst_genes != "subsample") {
    throw UsageError("--vst-genes must be 'all' or 'subsample'");
  }
  if (args.vst_genes == "subsample" && args.vst_nsub < 2) throw UsageError("--vst-nsub must be at least 2");
  config.rules.transform.vst_subsample = args.vst_genes == "all" ? 0 : args.vst_nsub;
  config.rules.vst_fit = norm::parse_vst_fit(args.vst_fit);
  config.rules.combat.parametric = !args.nonparametric;
  config.command_line = command_line();
  config.not_normalizers = [](const std::vector<std::string>& gene_ids) {
    return run::builtin_panel_genes(gene_ids, {}, builtin_panel_dir());
  };
  if (args.threads < 1) throw UsageError("--threads must be at least 1");
  finish_quant_options(args.quant);
  if (config.inputs.empty() == args.quant.inputs.empty()) {
    throw UsageError(config.inputs.empty() ? "give count tables (-i) or quantifier outputs (--quant, --quant-dir)"
                                           : "give count tables (-i) or quantifier outputs (--quant, --quant-dir), not both",
                     "a gene x sample matrix of estimated counts (e.g. nf-core's salmon.merged.gene_counts.tsv) goes to -i");
  }
  const ThreadScope scope(args.threads);
  config.execution.threads = args.threads;
  const CommandClock clock;
  if (!args.quant.inputs.empty()) {
    const auto gene_quant = quant::import_quant_inputs(args.quant.inputs);
    if (!args.quant.txi_out.empty()) quant::write_gene_quant(gene_quant, args.quant.txi_out);
    config.imported =
        norm::ImportedCounts{gene_quant.counts, quant::length_offsets(gene_quant), quant::describe(gene_quant)};
  }
  norm::run_normalize(config);
  log_info("normalize finished in " + clock.summary());
}

}  // namespace

void register_normalize(CLI::App& app) {
  auto args = std::make_shared<NormalizeArguments>();
  auto& c = args->config;
  auto* command = app.add_subcommand(
      "normalize", "Cohort normalization as DESeq2/edgeR/sva compute it, with a frozen reference for new samples");
  command->add_option("-i,--input", c.inputs,
                      "Count table: featureCounts/ifnsig count table, htseq-count output or gene x sample TSV/CSV "
                      "(repeat to merge by gene id); or give --quant/--quant-dir");
  command->add_option("--samples", c.sample_sheet, "Sample sheet (TSV with a 'sample' column, e.g. group, batch)");
  command->add_option("--method", args->method,
                      "Factors: ratio, poscounts (DESeq2), tmm, tmmwsp, upperquartile, rle (edgeR), none "
                      "[default: ratio, or the reference's]");
  command->add_option("--transform", args->transform,
                      "Output scale: none, counts (normalized), cpm, logcpm, tpm, log2, vst [default: counts, or the "
                      "reference's]");
  command->add_option("--prior-count", c.rules.transform.prior_count, "logcpm prior count (edgeR)")->capture_default_str();
  command->add_option("--pseudocount", c.rules.transform.pseudocount, "log2(x + pseudocount)")->capture_default_str();
  command->add_option("--vst-genes", args->vst_genes,
                      "VST trend from all genes (varianceStabilizingTransformation) or a subsample (vst())")
      ->capture_default_str();
  command->add_option("--vst-fit", args->vst_fit,
                      "VST dispersion trend (DESeq2 fitType): parametric (falls back to local when the fit fails, "
                      "as DESeq2 does) or local")
      ->capture_default_str();
  command->add_option("--vst-nsub", args->vst_nsub, "Genes in the vst() subsample")->capture_default_str();
  command->add_option("--control-genes", c.control_genes, "File of gene ids the ratio/poscounts median runs over");
  command->add_option("--batch", c.rules.batch_column, "Sample-sheet column of batches: ComBat on the transformed data");
  command->add_option("--covariate", c.rules.covariates, "Sample-sheet column to protect in ComBat (repeatable)");
  command->add_flag("--combat-nonparametric", args->nonparametric, "Non-parametric empirical Bayes priors");
  command->add_flag("--combat-mean-only", c.rules.combat.mean_only, "Adjust batch means only (mean.only=TRUE)");
  command->add_option("--save-reference", c.save_reference, "Write the fitted frozen reference (JSON)");
  add_normalizer_genes_option(command, c.rules.normalizer_genes);
  command->add_option("--reference", c.reference, "Apply a frozen reference instead of fitting on the input");
  command->add_flag("--targeted", c.targeted,
                    "The counts hold chosen genes only (count --genes REF.json): size factors over the --reference's "
                    "normalizer genes, values for the genes counted");
  command->add_option("-o,--output", c.output, "Output matrix (TSV: gene_id then samples)")->required();
  command->add_option("--factors", c.factors_output, "Output table: sample lib_size factor");
  command->add_flag("--strict-counts", c.rules.strict_counts,
                    "Refuse non-integer counts instead of rounding them as DESeqDataSetFromTximport does (ratio, "
                    "poscounts, vst)");
  add_quant_options(command, args->quant, "no", true);
  add_threads_option(command, args->threads);
  command->callback([args] { run(*args); });
}

}  // namespace ifnsig::cli
