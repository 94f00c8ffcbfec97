// Owns: the options several commands take, declared once so that each means the same in every command:
//       -T, --max-memory, the featureCounts rules `run` shares with `count`, the CRAM FASTA, the panels
//       and methods of `score` and `run`, the normalizer genes of the references `normalize` and `run` fit, the
//       quantifier inputs (tximport's) of `normalize`.
#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <filesystem>
#include <vector>

#include "ifnsig/count/count_options.hpp"
#include "ifnsig/quant/tximport.hpp"
#include "ifnsig/score/gene_aliases.hpp"

namespace ifnsig::cli {

// -T/--threads: the cores the command may use, for all of its work.
void add_threads_option(CLI::App* cmd, int& threads);
// -t, -g, -Q, --primary, --ignoreDup, as featureCounts reads them.
void add_shared_count_rules(CLI::App* cmd, count::CountRules& rules);
// --cram-reference FASTA. `count` also takes its old name, --reference, with a warning.
void add_cram_reference_option(CLI::App* cmd, std::string& fasta);

// --annotation-cache DIR (or $IFNSIG_ANNOTATION_CACHE): where the annotation's parsed copy is kept.
void add_annotation_cache_option(CLI::App* cmd, std::filesystem::path& dir);

// --max-memory SIZE, read into `max_memory` (parse it with memory_budget()).
void add_memory_option(CLI::App* cmd, std::string& max_memory);

// The built-in panels' directory, found from this executable's place (score::find_panel_dir).
std::filesystem::path builtin_panel_dir();

// The gene alias table shipped beside the built-in panels, read once per process (score::GeneAliasTable).
const score::GeneAliasTable& shipped_gene_aliases();

// --panel and --method (repeatable); unset, the default panels, each scored with its published method.
void add_panel_options(CLI::App* cmd, std::vector<std::string>& panels, std::vector<std::string>& methods);

// --normalizer-genes N: the stable genes a fitted ratio reference keeps for samples counted for chosen genes only.
void add_normalizer_genes_option(CLI::App* cmd, std::size_t& n);

// Quantifier outputs instead of count tables: --quant FILE..., --quant-dir DIR, --tx2gene/--gtf,
// --counts-from-abundance (unless its default text is empty), --strand (STAR), and with `txi_out` --txi-out DIR.
// finish_quant_options() checks and converts them (countsFromAbundance "no" when not given).
struct QuantCliOptions {
  quant::QuantInputs inputs;
  std::string gtf;
  std::string counts_from_abundance;  // empty: not given
  std::string strand = "auto";
  std::string txi_out;
};
void add_quant_options(CLI::App* cmd, QuantCliOptions& options, const std::string& counts_from_abundance_default,
                       bool txi_out);
void finish_quant_options(QuantCliOptions& options);

}  // namespace ifnsig::cli
