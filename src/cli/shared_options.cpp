#include "shared_options.hpp"

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/score/gene_set.hpp"

namespace ifnsig::cli {

void add_threads_option(CLI::App* cmd, int& threads) {
  cmd->add_option("-T,--threads", threads,
                  "Cores to use, for every part of the work (decompression, counting, normalizing, scoring)")
      ->capture_default_str();
}

void add_shared_count_rules(CLI::App* cmd, count::CountRules& rules) {
  cmd->add_option_function<std::string>(
         "-t",
         [&rules](const std::string& list) {
           rules.annotation.feature_types.clear();
           for (auto type : io::split_fields(list, ',')) rules.annotation.feature_types.emplace_back(io::trim(type));
         },
         "Feature types to count, comma-separated (GTF/GFF3)")
      ->default_str("exon");
  cmd->add_option("-g", rules.annotation.gene_attribute, "Attribute grouping features into genes")->capture_default_str();
  cmd->add_option("-Q", rules.min_mapq, "Minimum mapping quality (pairs: at least one mate)")->capture_default_str();
  cmd->add_flag("--primary", rules.primary_only, "Count primary alignments only");
  cmd->add_flag("--ignoreDup", rules.ignore_duplicates, "Skip reads (pairs) marked as duplicates");
}

void add_cram_reference_option(CLI::App* cmd, std::string& fasta) {
  cmd->add_option("--cram-reference", fasta, "Reference FASTA for CRAM input")->check(CLI::ExistingFile);
}

void add_memory_option(CLI::App* cmd, std::string& max_memory) {
  cmd->add_option("--max-memory", max_memory,
                  "Memory the command may use, e.g. 4G or 512M [default: the job's limit (cgroup memory.max, "
                  "Slurm's --mem) when there is one, else half of the RAM]; counting keeps the mates that wait for "
                  "their partner within half of it and writes the rest to --tmp-dir");
}

void add_panel_options(CLI::App* cmd, std::vector<std::string>& panels, std::vector<std::string>& methods) {
  cmd->add_option("--panel", panels,
                  "Panel to score (repeatable): a built-in name (see `ifnsig panels`), FILE.gmt or FILE.gmt:SET "
                  "[default: rice6]");
  cmd->add_option("--method", methods,
                  "Scoring method for every panel (repeatable): rice, zscore-controls, zscore-controls-mean, module, "
                  "singscore, singscore-unknown, ssgsea, gsva, zscore, plage [default: each panel's published one]");
}

std::filesystem::path builtin_panel_dir() {
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  return score::find_panel_dir(error ? std::filesystem::path() : executable, IFNSIG_DATA_DIR);
}

void add_annotation_cache_option(CLI::App* cmd, std::filesystem::path& dir) {
  cmd->add_option("--annotation-cache", dir,
                  "Keep the parsed annotation (and its MD5) in DIR, keyed by the file and the options: the jobs\n"
                  "of a cohort then parse a large GTF once (default: $IFNSIG_ANNOTATION_CACHE; none)")
      ->envname("IFNSIG_ANNOTATION_CACHE");
}

void add_normalizer_genes_option(CLI::App* cmd, std::size_t& n) {
  cmd->add_option("--normalizer-genes", n,
                  "When a ratio reference is fitted: stable genes kept in it, over which a sample counted for\n"
                  "chosen genes only (count --genes, run --targeted) gets its size factor (0: none)")
      ->capture_default_str();
}

const score::GeneAliasTable& shipped_gene_aliases() {
  static const score::GeneAliasTable table = [] {
    const auto path = score::gene_alias_table_path(builtin_panel_dir());
    auto read = score::GeneAliasTable::read(path);
    log_info("gene aliases: " + std::to_string(read.size()) + " genes from " + read.source());
    return read;
  }();
  return table;
}

void add_quant_options(CLI::App* cmd, QuantCliOptions& o, const std::string& counts_from_abundance_default,
                       bool txi_out) {
  cmd->add_option("--quant", o.inputs.files,
                  "Quantifier output per sample instead of count tables: salmon quant.sf, kallisto abundance.tsv, "
                  "RSEM *.genes.results/*.isoforms.results, STAR ReadsPerGene.out.tab (sample id: the file's "
                  "directory or name prefix)");
  cmd->add_option("--quant-dir", o.inputs.directory,
                  "Directory of quantifier outputs (nf-core: results/salmon, one subdirectory per sample)");
  cmd->add_option("--tx2gene", o.inputs.tx2gene,
                  "Transcript to gene table for transcript-level files: TSV (transcript_id, gene_id[, gene_name]) "
                  "or a GTF");
  cmd->add_option("--gtf", o.gtf, "GTF whose exon lines map transcript_id to gene_id (same as --tx2gene GTF)");
  if (!counts_from_abundance_default.empty()) {
    cmd->add_option("--counts-from-abundance", o.counts_from_abundance,
                    "tximport's countsFromAbundance: no (estimated counts; average transcript lengths become DESeq2 "
                    "normalization factors), scaledTPM, lengthScaledTPM [default: " + counts_from_abundance_default + "]");
  }
  cmd->add_option("--strand", o.strand,
                  "STAR ReadsPerGene column: 0 unstranded, 1 forward, 2 reverse (featureCounts -s), or auto "
                  "(inferred per sample)")
      ->capture_default_str();
  if (txi_out) {
    cmd->add_option("--txi-out", o.txi_out,
                    "Also write the gene-level tables made from --quant (counts.tsv, abundance.tsv, length.tsv: "
                    "tximport's txi) to this directory");
  }
}

void finish_quant_options(QuantCliOptions& o) {
  if (!o.gtf.empty()) {
    if (!o.inputs.tx2gene.empty()) throw UsageError("give --tx2gene or --gtf, not both");
    o.inputs.tx2gene = o.gtf;
  }
  o.inputs.options.counts_from_abundance =
      quant::parse_counts_from_abundance(o.counts_from_abundance.empty() ? "no" : o.counts_from_abundance);
  if (o.strand == "0" || o.strand == "1" || o.strand == "2") {
    o.inputs.options.star_strand = o.strand[0] - '0';
  } else if (o.strand != "auto") {
    throw UsageError("--strand must be 0, 1, 2 or auto, not " + quote_field(o.strand));
  }
  if (o.inputs.empty()) {
    if (!o.inputs.tx2gene.empty() || !o.txi_out.empty() || !o.counts_from_abundance.empty() || o.strand != "auto") {
      throw UsageError("--tx2gene, --gtf, --counts-from-abundance, --strand and --txi-out apply to --quant/--quant-dir inputs");
    }
  }
}

}  // namespace ifnsig::cli
