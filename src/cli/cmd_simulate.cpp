// ifnsig simulate: a cohort of coordinate-sorted, indexed RNA-seq BAMs with known per-gene truth.
#include <filesystem>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/sim/simulator.hpp"

namespace ifnsig::cli {
namespace {

struct SimulateArguments {
  sim::SimulateOptions options;
  std::string panel = "rice6";
  std::string second_panel;
  std::string strand = "reverse";
  std::string format = "auto";
  bool single_end = false;
};

annotation::AnnotationFormat parse_format(const std::string& text) {
  if (text == "auto") return annotation::AnnotationFormat::kAuto;
  if (text == "GTF" || text == "gtf") return annotation::AnnotationFormat::kGtf;
  if (text == "GFF3" || text == "gff3") return annotation::AnnotationFormat::kGff3;
  if (text == "SAF" || text == "saf") return annotation::AnnotationFormat::kSaf;
  throw UsageError("-F " + quote_field(text) + " is not an annotation format", "use GTF, GFF3 or SAF");
}

void run(SimulateArguments& args) {
  sim::SimulateOptions& options = args.options;
  options.paired = !args.single_end;
  options.strand = sim::parse_library_strand(args.strand);
  options.annotation_options.format = parse_format(args.format);
  const auto panel_dir = builtin_panel_dir();
  const auto panels = score::resolve_panels({args.panel}, panel_dir);
  if (panels.size() != 1) throw UsageError("--panel must name one gene set (use FILE.gmt:SET for a GMT file)");
  options.panel = panels.front();
  if (!args.second_panel.empty()) {
    const auto second = score::resolve_panels({args.second_panel}, panel_dir);
    if (second.size() != 1) throw UsageError("--second-panel must name one gene set (use FILE.gmt:SET for a GMT file)");
    options.second_panel = second.front();
  }
  options.validate();
  const auto result = sim::simulate_cohort(options);
  std::uint64_t records = 0;
  for (const auto& sample : result.samples) records += sample.records;
  log_info("simulate: " + std::to_string(result.samples.size()) + " samples, " + human_count(static_cast<double>(records)) +
           " records in " + std::to_string(static_cast<int>(result.seconds + 0.5)) + " s; panel " + options.panel.name +
           ": " + std::to_string(result.panel.genes.size()) + " genes found, " +
           std::to_string(result.panel.missing.size()) + " missing; outputs in " + options.output_dir);
}

}  // namespace

void register_simulate(CLI::App& app) {
  auto args = std::make_shared<SimulateArguments>();
  auto& o = args->options;
  auto* command = app.add_subcommand(
      "simulate", "Simulate a cohort of coordinate-sorted, indexed RNA-seq BAMs with known per-gene truth");
  command->add_option("-a,--annotation", o.annotation, "Annotation (GTF, GFF3 or SAF)")->required();
  command->add_option("-F,--format", args->format, "Annotation format: auto, GTF, GFF3, SAF");
  command->add_option("-o,--output", o.output_dir, "Output directory")->required();
  command->add_option("--gene-names", o.gene_names, "TSV with gene_id and gene_name columns (e.g. Entrez id -> symbol)");
  command->add_option("--panel", args->panel, "Gene set raised in IFN-high samples (built-in name or FILE.gmt:SET)");
  command->add_option("--samples", o.n_samples, "Number of samples")->capture_default_str();
  command->add_option("--ifn-high", o.n_ifn_high, "IFN-high samples (patients; the last ones)")->capture_default_str();
  command->add_option("--second-panel", args->second_panel,
                      "Gene set raised in the --second-high samples before the IFN-high ones (e.g. ifn2_specific)");
  command->add_option("--second-high", o.n_second_high, "Samples raising --second-panel instead (group patient)")
      ->capture_default_str();
  command->add_option("--fold", o.fold, "Fold change of the panel genes in IFN-high samples")->capture_default_str();
  command->add_option("--pairs", o.pairs, "Read pairs (reads if single-end) per sample")->capture_default_str();
  command->add_option("--depth-sd", o.depth_sd, "sdlog of library size between samples")->capture_default_str();
  command->add_flag("--single-end", args->single_end, "Single-end reads");
  command->add_option("--strand", args->strand, "Library: unstranded, forward or reverse")->capture_default_str();
  command->add_option("--read-length", o.read_length_bp, "Read length (bp)")->capture_default_str();
  command->add_option("--fragment-mean", o.fragment_mean_bp, "Mean fragment length (bp)")->capture_default_str();
  command->add_option("--fragment-sd", o.fragment_sd_bp, "SD of fragment length (bp)")->capture_default_str();
  command->add_option("--expression-sdlog", o.expression_sdlog, "sdlog of gene means")->capture_default_str();
  command->add_option("--silent-fraction", o.silent_fraction, "Fraction of genes not expressed")->capture_default_str();
  command->add_option("--dispersion", o.dispersion, "Typical negative-binomial dispersion")->capture_default_str();
  command->add_option("--intronic", o.intronic_fraction, "Fraction of fragments in introns")->capture_default_str();
  command->add_option("--intergenic", o.intergenic_fraction, "Fraction of intergenic fragments")->capture_default_str();
  command->add_option("--multimappers", o.multimapper_fraction, "Fraction of multi-mapping fragments (NH/HI, secondary)")
      ->capture_default_str();
  command->add_option("--duplicates", o.duplicate_fraction, "Fraction of fragments with duplicates (0x400)")
      ->capture_default_str();
  command->add_option("--unmapped-mates", o.unmapped_mate_fraction, "Fraction of pairs with one mate unmapped")
      ->capture_default_str();
  command->add_option("--supplementary", o.supplementary_fraction, "Fraction of chimeric fragments (supplementary)")
      ->capture_default_str();
  command->add_option("--soft-clips", o.soft_clip_fraction, "Fraction of reads soft-clipped")->capture_default_str();
  command->add_option("--indels", o.indel_fraction, "Fraction of reads with an indel")->capture_default_str();
  command->add_option("--prefix", o.sample_prefix, "Sample name prefix")->capture_default_str();
  command->add_flag("--csi", o.csi_index, "Write .csi indexes instead of .bai");
  command->add_option("--compression-level", o.compression_level, "BGZF compression level 0-9")->capture_default_str();
  command->add_option("--seed", o.seed, "Random seed (same seed, same files at any thread count)")->capture_default_str();
  add_threads_option(command, o.threads);
  command->callback([args] { run(*args); });
}

}  // namespace ifnsig::cli
