// ifnsig score: per-sample interferon scores, calls and per-gene signatures for gene panels, from an expression
// matrix or from quantifier outputs' TPM summed to genes (--quant, --quant-dir).
#include <algorithm>
#include <filesystem>
#include <string_view>
#include <unordered_map>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/io/sample_sheet.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/panel_scores.hpp"
#include "ifnsig/score/score_reference.hpp"
#include "ifnsig/score/scorer.hpp"

namespace ifnsig::cli {
namespace {

constexpr const char* kPanelGenesSuffix = ".panel_genes.tsv";

struct ScoreCliOptions {
  std::string input;
  std::string samples;
  std::string group_column = "group";
  std::string control = "control";
  std::string reference;
  std::string save_reference;
  std::vector<std::string> panels{std::begin(score::kDefaultPanels), std::end(score::kDefaultPanels)};
  std::vector<std::string> methods;  // empty: each panel's published method
  std::string output;
  std::string signature;
  std::string gene_map;
  std::string kcdf = "gaussian";
  bool mx_diff = true;
  bool abs_ranking = false;
  bool ssgsea_norm = false;
  double ssgsea_alpha = 0.25;
  double tau = 1.0;
  int min_genes = 3;
  double threshold_sd = 2.0;
  std::string rice_threshold = "controls";
  double module_fc = 1.5;
  double module_diff = 10.0;
  int threads = 1;
  QuantCliOptions quant;  // instead of -i: tximport's gene TPM of quantifier files
};

score::ScoreOptions validate(const ScoreCliOptions& o) {
  score::ScoreOptions options;
  options.methods.clear();
  for (const auto& name : o.methods) {
    const auto method = score::parse_method(name);
    if (std::find(options.methods.begin(), options.methods.end(), method) != options.methods.end()) {
      throw UsageError("method " + quote_field(name) + " is given twice");
    }
    options.methods.push_back(method);
  }
  options.gsva.kcdf = o.kcdf == "poisson" ? score::Kcdf::kPoisson
                      : o.kcdf == "none"  ? score::Kcdf::kNone
                                          : score::Kcdf::kGaussian;
  options.gsva.mx_diff = o.mx_diff;
  options.gsva.abs_ranking = o.abs_ranking;
  options.gsva.tau = o.tau;
  if (o.abs_ranking && !o.mx_diff) throw UsageError("--abs-ranking needs --mx-diff (as in GSVA)");
  options.ssgsea_normalize = o.ssgsea_norm;
  options.ssgsea_alpha = o.ssgsea_alpha;
  if (o.min_genes < 1) throw UsageError("--min-genes must be at least 1");
  if (o.threads < 1) throw UsageError("--threads must be at least 1");
  options.min_genes = o.min_genes;
  options.threshold_sd = o.threshold_sd;
  options.rice_published_threshold = o.rice_threshold == "published";
  options.module = score::ModuleThresholds{o.module_fc, o.module_diff};
  if (!o.reference.empty() && !o.save_reference.empty()) {
    throw UsageError("--reference and --save-reference cannot be combined",
                     "a reference is saved from the control samples of a run that does not use one");
  }
  return options;
}

std::vector<int> control_columns(const ScoreCliOptions& o, const matrix::GeneMatrix& matrix) {
  std::vector<int> columns;
  if (o.samples.empty()) return columns;
  const auto sheet = io::SampleSheet::read(o.samples);
  const auto rows = sheet.match(matrix.sample_ids, o.input);
  for (std::size_t j = 0; j < rows.size(); ++j) {
    if (sheet.value(rows[j], o.group_column) == o.control) columns.push_back(static_cast<int>(j));
  }
  log_info("score: " + std::to_string(columns.size()) + " control samples (" + o.group_column + "=" + o.control +
           ") of " + std::to_string(matrix.sample_ids.size()));
  return columns;
}

// --quant/--quant-dir: the files' TPM summed to genes (tximport's txi$abundance; nf-core's
// salmon.merged.gene_tpm.tsv), with the tx2gene's gene names.
matrix::GeneMatrix quant_tpm(const QuantCliOptions& quant, std::vector<std::string>& gene_names) {
  quant::GeneQuant imported = quant::import_quant_inputs(quant.inputs);
  if (imported.abundance.size() == 0) {
    throw UsageError(to_string(imported.quantifier) + " files hold counts, no TPM, for score --quant to use",
                     "normalize them first (ifnsig normalize --quant-dir DIR -o normalized.tsv) and score that with -i");
  }
  const auto& table = imported.counts;
  const auto name = std::find(table.annotation_columns.begin(), table.annotation_columns.end(), "gene_name");
  if (name != table.annotation_columns.end()) {
    gene_names = table.annotation[static_cast<std::size_t>(name - table.annotation_columns.begin())];
  }
  matrix::GeneMatrix matrix;
  matrix.gene_ids = table.counts.gene_ids;
  matrix.sample_ids = table.counts.sample_ids;
  matrix.values = std::move(imported.abundance);
  return matrix;
}

void run(ScoreCliOptions& o) {
  finish_quant_options(o.quant);
  if (o.input.empty() == o.quant.inputs.empty()) {
    throw UsageError(o.input.empty() ? "give an expression matrix (-i) or quantifier outputs (--quant, --quant-dir)"
                                     : "give an expression matrix (-i) or quantifier outputs (--quant, --quant-dir), not both");
  }
  if (o.input.empty()) o.input = o.quant.inputs.directory.empty() ? o.quant.inputs.files.front() : o.quant.inputs.directory;
  const CommandClock clock;
  const score::ScoreOptions options = validate(o);
  if (!o.save_reference.empty()) score::check_score_reference_target(o.save_reference);
  ThreadScope threads(o.threads);
  const auto panel_dir = builtin_panel_dir();
  const auto panels = score::resolve_panels(o.panels, panel_dir);
  std::vector<std::string> gene_names;
  const matrix::GeneMatrix matrix = o.quant.inputs.empty() ? matrix::GeneMatrix::read_plain(o.input, &gene_names)
                                                   : quant_tpm(o.quant, gene_names);
  log_info("score: read " + o.input + ": " + std::to_string(matrix.gene_ids.size()) + " genes x " +
           std::to_string(matrix.sample_ids.size()) + " samples");
  auto gene_map = o.gene_map.empty() ? std::unordered_map<std::string, std::string>{}
                                     : score::read_gene_map(o.gene_map);
  if (!gene_names.empty()) {
    if (o.gene_map.empty()) {
      score::check_panel_names(o.input, matrix.gene_ids, gene_names, panels,
                               "keep one row per gene name (sum or drop the others), or give --gene-map with the "
                               "gene_id that stands for each name");
    }
    std::size_t added = 0;
    for (std::size_t g = 0; g < gene_names.size(); ++g) {
      if (!gene_names[g].empty() && gene_map.emplace(matrix.gene_ids[g], gene_names[g]).second) ++added;
    }
    log_info("score: panel genes matched by the matrix's gene_name column too (" + std::to_string(added) + " names)");
  }
  score::ScoreSetup setup;
  setup.source = o.input;
  setup.panels = panels;
  setup.methods = options.methods;
  setup.gene_map = gene_map;
  setup.aliases = &shipped_gene_aliases();
  setup.options = options;
  setup.control_columns = control_columns(o, matrix);
  if (!o.save_reference.empty() && setup.control_columns.empty()) {
    throw UsageError("--save-reference needs control samples", "give --samples with your control group");
  }
  setup.control_group = o.group_column + "=" + o.control;
  score::ScoreReference reference;
  if (!o.reference.empty()) {
    reference = score::load_score_reference(o.reference);
    setup.reference = &reference;
    log_info("score: control statistics and thresholds from " + o.reference + " (" + reference.control_group + ", " +
             std::to_string(reference.control_samples.size()) + " samples)");
  }
  const score::ScoreRun result = score::score_panels(matrix, setup, Execution::on_cores(o.threads)).run;
  AtomicFile out(o.output), panel_genes(o.output + kPanelGenesSuffix);
  score::write_scores(out.stream(), matrix, result);
  score::write_panel_genes(panel_genes.stream(), matrix, result);
  out.commit();
  panel_genes.commit();
  if (!o.signature.empty()) {
    AtomicFile signature(o.signature);
    score::write_signature(signature.stream(), matrix, result);
    signature.commit();
  }
  if (!o.save_reference.empty()) score::save_score_reference(o.save_reference, result.reference_out, command_line());
  log_info("score: " + std::to_string(result.rows.size()) + " scores written to " + o.output + " in " + clock.summary());
}

}  // namespace

void register_score(CLI::App& app) {
  auto options = std::make_shared<ScoreCliOptions>();
  auto* c = app.add_subcommand("score", "Per-sample IFN scores and IFN-high/low calls for gene panels");
  c->add_option("-i,--input", options->input,
                "Expression matrix TSV (gene_id, then one column per sample; nf-core's gene_name column is read as "
                "gene names for the panels); or --quant/--quant-dir: the files' TPM summed to genes (tximport's "
                "abundance)")
      ->check(CLI::ExistingFile);
  c->add_option("-o,--output", options->output,
                "Scores TSV (sample panel method score call threshold ...); beside it OUT.panel_genes.tsv says\n"
                "how each panel gene was found (by symbol, through an alias) or that it is missing")
      ->required();
  c->add_option("--samples", options->samples, "Sample sheet TSV (column `sample` plus the group column)")
      ->check(CLI::ExistingFile);
  c->add_option("--group-column", options->group_column, "Sample-sheet column holding the group")->capture_default_str();
  c->add_option("--control", options->control, "Value of the group column marking controls")->capture_default_str();
  c->add_option("--reference", options->reference, "Frozen reference JSON: control statistics and thresholds")
      ->check(CLI::ExistingFile);
  c->add_option("--save-reference", options->save_reference,
                "Write (or update the \"score\" object of) a reference JSON from the control group");
  add_panel_options(c, options->panels, options->methods);
  c->add_option("--signature", options->signature, "Per-gene signature TSV (fold change and z vs the reference)");
  c->add_option("--gene-map", options->gene_map, "TSV with gene_id and gene_name columns to match panel symbols")
      ->check(CLI::ExistingFile);
  c->add_option("--kcdf", options->kcdf, "GSVA kernel: gaussian (log-scale data), poisson (counts), none")
      ->check(CLI::IsMember({"gaussian", "poisson", "none"}))->capture_default_str();
  c->add_flag("--mx-diff,!--no-mx-diff", options->mx_diff, "GSVA: ES = max + min deviation (default on)");
  c->add_flag("--abs-ranking", options->abs_ranking, "GSVA: ES = max - min deviation (Kuiper; needs --mx-diff)");
  c->add_option("--tau", options->tau, "GSVA: weight exponent of the random walk")->capture_default_str();
  c->add_flag("--ssgsea-norm", options->ssgsea_norm,
              "ssGSEA: divide by the range of all scores of the run (GSVA default; makes it cohort-dependent)");
  c->add_option("--ssgsea-alpha", options->ssgsea_alpha, "ssGSEA: rank weight exponent")->capture_default_str();
  c->add_option("--min-genes", options->min_genes, "Refuse a panel with fewer genes present")->capture_default_str();
  c->add_option("--threshold-sd", options->threshold_sd, "Calls: threshold = controls' mean + this many SD")
      ->capture_default_str();
  c->add_option("--rice-threshold", options->rice_threshold,
                "rice calls: controls (mean+2SD of this run's controls) or published (2.466, Rice 2013)")
      ->check(CLI::IsMember({"controls", "published"}))->capture_default_str();
  c->add_option("--module-fc", options->module_fc, "module: fold change a gene must exceed")->capture_default_str();
  c->add_option("--module-diff", options->module_diff, "module: difference from the control mean a gene must exceed")
      ->capture_default_str();
  add_quant_options(c, options->quant, "", false);  // TPM are scored: no countsFromAbundance
  add_threads_option(c, options->threads);
  c->callback([options] { run(*options); });
}

}  // namespace ifnsig::cli
