// ifnsig count: featureCounts-compatible gene counting. Accepts featureCounts' command lines unchanged.
#include <filesystem>
#include <future>
#include <utility>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/annotation/annotation_cache.hpp"
#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/memory.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/count_output.hpp"
#include "ifnsig/count/counter.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/run/gene_selection.hpp"

namespace ifnsig::cli {
namespace {

struct CountArguments {
  std::vector<std::string> inputs;
  std::string annotation;
  std::string output;
  std::string format = "auto";
  std::string extra_attributes;
  std::string strand = "0";
  int read_to_position = 0;
  std::string max_memory;
  std::string genes;
  std::string read_details;  // -R
  std::filesystem::path read_details_directory;  // --Rpath
  std::filesystem::path annotation_cache;
  count::CountOptions options;
};

count::Strandedness parse_strandedness(std::string_view text) {
  if (text == "0" || text == "unstranded" || text == "no" || text == "none") return count::Strandedness::kUnstranded;
  if (text == "1" || text == "forward" || text == "yes") return count::Strandedness::kForward;
  if (text == "2" || text == "reverse") return count::Strandedness::kReverse;
  if (text == "auto") return count::Strandedness::kAuto;
  throw UsageError("-s " + quote_field(text) + " is not a strandedness",
                   "use 0/unstranded, 1/forward, 2/reverse or auto (one value, or a comma list with one per file)");
}

annotation::AnnotationFormat parse_format(const std::string& text) {
  if (text == "auto") return annotation::AnnotationFormat::kAuto;
  if (text == "GTF" || text == "gtf") return annotation::AnnotationFormat::kGtf;
  if (text == "GFF3" || text == "gff3" || text == "GFF" || text == "gff") return annotation::AnnotationFormat::kGff3;
  if (text == "SAF" || text == "saf") return annotation::AnnotationFormat::kSaf;
  throw UsageError("-F " + quote_field(text) + " is not an annotation format", "use GTF, GFF3 or SAF");
}

// -R CORE and --Rpath: the per-read assignment files, added to `outputs`.
void set_read_details(CountArguments& args, std::vector<std::filesystem::path>& outputs) {
  if (args.read_details.empty()) return;
  if (args.read_details == "SAM" || args.read_details == "BAM") {
    throw UsageError("-R " + args.read_details + " is not supported by ifnsig count", "use -R CORE");
  }
  if (args.read_details != "CORE") {
    throw UsageError("-R " + quote_field(args.read_details) + " is not a format", "use -R CORE");
  }
  count::CountOptions& options = args.options;
  options.read_details = true;
  options.read_details_directory = args.read_details_directory.empty()
                                       ? std::filesystem::path(args.output).parent_path()
                                       : args.read_details_directory;
  std::vector<std::filesystem::path> details;
  for (const auto& input : args.inputs) {
    if (input == "-") throw UsageError("-R writes no file for standard input", "give the path of the file");
    const auto path = count::read_details_path(input, options.read_details_directory);
    if (std::find(details.begin(), details.end(), path) != details.end()) {
      throw UsageError("-R: two inputs named " + quote_field(path.filename().string()) + " would write " +
                           quote_field(path.string()) + " both",
                       "give the inputs different file names");
    }
    details.push_back(path);
  }
  outputs.insert(outputs.end(), details.begin(), details.end());
}

void run_count(CountArguments& args) {
  count::CountOptions& options = args.options;
  options.annotation.format = parse_format(args.format);
  if (!args.extra_attributes.empty()) {
    for (auto name : io::split_fields(args.extra_attributes, ','))
      options.annotation.extra_attributes.emplace_back(io::trim(name));
  }
  options.strandedness.clear();
  for (auto value : io::split_fields(args.strand, ','))
    options.strandedness.push_back(parse_strandedness(io::trim(value)));
  if (args.read_to_position != 0 && args.read_to_position != 5 && args.read_to_position != 3) {
    throw UsageError("--read2pos must be 5 or 3");
  }
  options.read_to_position = static_cast<count::ReadEnd>(args.read_to_position);
  const MemoryBudget memory = memory_budget(args.max_memory);
  options.max_memory_bytes = memory.bytes;
  options.validate(args.inputs.size());
  log_info("memory budget " + format_memory(memory.bytes) + " (" + memory.source + "): at most " +
           std::to_string(options.waiting_mate_limit()) + " waiting mates in memory per file counted alone");
  if (!args.genes.empty()) {  // --genes reads part of each file: the outputs made from every read need all of it
    const std::pair<bool, const char*> whole_file_options[] = {
        {!args.read_details.empty(), "-R"}, {options.by_read_group, "--byReadGroup"}, {options.junction_counts, "-J"}};
    for (const auto& [given, name] : whole_file_options) {
      if (given) {
        throw UsageError(std::string("--genes and ") + name + " cannot be combined: " + name +
                             " needs every read of the file, and --genes reads only some",
                         std::string("count the whole file (without --genes) for ") + name);
      }
    }
  }
  std::vector<std::filesystem::path> outputs = count::count_output_paths(args.output, options.junction_counts);
  set_read_details(args, outputs);
  std::vector<std::filesystem::path> inputs = {args.annotation};
  for (const auto& input : args.inputs) {
    if (input == "-" || io::is_remote_path(input)) continue;
    if (!std::filesystem::exists(input)) {
      throw InputError(input, "", "no such alignment file", "check the path; nothing was counted");
    }
    inputs.emplace_back(input);
  }
  for (const auto& path : {options.annotation.alias_file, options.reference_fasta, options.junction_genome}) {
    if (!path.empty()) inputs.emplace_back(path);
  }
  check_outputs(outputs, inputs);
  if (!args.genes.empty()) {  // each input can be read by region: refused now rather than after the annotation
    for (const auto& input : args.inputs) {
      if (input == "-") {
        throw UsageError("--genes reads by region, which standard input cannot do", "give the path of an indexed BAM or CRAM");
      }
      // A remote file's index is fetched once, when the file is counted.
      if (!io::is_remote_path(input)) count::AlignmentReader(input, options.reference_fasta, 0).check_indexed();
    }
  }
  const CommandClock clock;
  count::CountRun run;
  log_info("reading annotation " + args.annotation);
  const annotation::Annotation annotation =
      annotation::load_annotation(args.annotation, options.annotation, args.annotation_cache, options.threads);
  const annotation::GeneModel& model = annotation.model;
  run.annotation_md5 = annotation.md5;
  const annotation::FeatureIndex index(model, options.feature_level, options.threads, count::judges_features(options));
  log_info("annotation: " + std::to_string(model.genes().size()) + " genes, " +
           std::to_string(model.exons().size()) + " features, " + std::to_string(model.contigs().size()) +
           " contigs");
  if (!args.genes.empty()) {
    const auto genes = run::select_genes(args.genes, model, builtin_panel_dir());
    if (genes.empty()) {
      throw UsageError("--genes " + quote_field(args.genes) + ": none of its genes is in the annotation",
                       "check that the panel or ids match the annotation's gene ids or names");
    }
    run.targets = count::targets_of_genes(model, options.feature_level, genes);
    log_info("--genes: " + std::to_string(genes.size()) + " genes; only the reads that can count for them are read");
  }
  std::vector<count::FileCounts> files(args.inputs.size());
  run_jobs(args.inputs.size(), options.threads, [&](std::size_t i, int threads) {
    count::CountOptions job_options = options;
    job_options.threads = threads;
    job_options.max_memory_bytes = memory_share(options.max_memory_bytes, threads, options.threads);
    const count::Strandedness strandedness = options.strandedness_of(i);
    files[i] = run.targets.empty()
                   ? count::count_file(args.inputs[i], model, index, job_options, strandedness)
                   : count::count_file_targets(args.inputs[i], model, index, job_options, strandedness, run.targets);
    const count::FileCounts& file = files[i];
    if (file.targeted) {
      log_info(file.path + ": " + std::to_string(file.records) + " records read for the chosen genes, strandedness " +
               count::strandedness_name(file.strandedness));
      return;
    }
    const double total = static_cast<double>(std::max<std::uint64_t>(1, file.status.total()));
    log_info(
        file.path + ": " + std::to_string(file.status[count::ReadStatus::kAssigned]) + " of " +
        std::to_string(file.status.total()) + " assigned (" +
        std::to_string(100.0 * static_cast<double>(file.status[count::ReadStatus::kAssigned]) / total).substr(0, 4) +
        "%), strandedness " + count::strandedness_name(file.strandedness));
  });
  run.command_line = command_line();
  run.arguments = command_arguments();
  run.wall_seconds = clock.wall_seconds();
  run.cpu_seconds = clock.cpu_seconds();
  count::write_count_outputs(args.output, model, files, options, run);
  log_info("wrote " + args.output + " (+ .summary, .genes.tsv, .json" + (options.junction_counts ? ", .jcounts" : "") +
           ") in " + clock.summary());
}

}  // namespace

void register_count(CLI::App& app) {
  auto args = std::make_shared<CountArguments>();
  count::CountOptions& o = args->options;
  auto* cmd = app.add_subcommand(
      "count",
      "Count reads per gene from BAM/CRAM/SAM files, exactly as featureCounts 2.0.3 does.\n"
      "featureCounts command lines work unchanged with 'ifnsig count' in its place.\n"
      "Writes OUT (count table), OUT.summary (14 categories), OUT.genes.tsv (gene names and types)\n"
      "and OUT.json (provenance).");
  cmd->add_option("inputs", args->inputs, "Alignment files (SAM, BAM, CRAM; '-' for standard input)")->required();
  add_annotation_cache_option(cmd, args->annotation_cache);
  cmd->add_option("-a,--annotation", args->annotation, "Annotation: GTF, GFF3 or SAF, optionally gzipped")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Output count table")->required();
  cmd->add_option("-F,--format", args->format, "Annotation format: GTF, GFF3, SAF (default: from the name or content; GTF for a pipe)");
  add_shared_count_rules(cmd, o);
  cmd->add_option("--extraAttributes", args->extra_attributes,
                  "GTF/GFF3 attributes to add as columns after Length, comma-separated (e.g. gene_name);\n"
                  "a gene shows one value when its exons agree, else each exon's joined by ';'");
  cmd->add_option("-A", o.annotation.alias_file, "Contig alias file: 'annotation_name,alignment_name' per line")
      ->check(CLI::ExistingFile);
  cmd->add_flag("-f", o.feature_level, "Count features (exons) instead of genes");
  cmd->add_flag("-O", o.multi_overlap, "Count reads overlapping several genes for each of them");
  cmd->add_option("-s,--strand", args->strand,
                  "Strandedness: 0/unstranded, 1/forward, 2/reverse, or auto (inferred from the reads);\n"
                  "one value or a comma list with one per input")
      ->capture_default_str();
  cmd->add_flag("-M", o.multi_mapping, "Count multi-mapping reads (NH > 1)");
  cmd->add_flag("--fraction", o.fraction, "With -M and/or -O: count 1/n for each of n alignments or genes");
  cmd->add_flag("-p", o.paired, "Paired-end input (alone: count reads; see --countReadPairs)");
  cmd->add_flag("--countReadPairs", o.count_fragments, "With -p: count fragments (read pairs) instead of reads");
  cmd->add_option("-R", args->read_details,
                  "CORE: write <input file name>.featureCounts per input (in --Rpath, else beside -o), a line per\n"
                  "read or pair: name, status, number of targets, targets (SAM and BAM are not supported)");
  cmd->add_option("--Rpath", args->read_details_directory, "The directory of -R's files");
  cmd->add_flag("--byReadGroup", o.by_read_group,
                "A column per read group of each file ('FILE:ID', the @RG lines in header order); records without\n"
                "a read group of their header are counted nowhere; a pair counts for its first record's group");
  cmd->add_flag("-B", o.both_ends_mapped, "Count only pairs with both ends mapped");
  cmd->add_flag("-C", o.exclude_chimeric, "Skip pairs on different contigs or on the same strand");
  cmd->add_flag("-P", o.check_fragment_length, "Check the fragment length against -d and -D");
  cmd->add_option("-d", o.min_fragment_bp, "Minimum fragment length")->capture_default_str();
  cmd->add_option("-D", o.max_fragment_bp, "Maximum fragment length")->capture_default_str();
  cmd->add_option("--minOverlap", o.min_overlap_bp, "Minimum overlapping bases (pairs: both mates summed)")
      ->capture_default_str();
  cmd->add_option("--fracOverlap", o.min_overlap_fraction, "Minimum fraction of the read's bases overlapping")
      ->capture_default_str();
  cmd->add_option("--nonOverlap", o.max_read_nonoverlap_bp,
                  "Maximum bases of a read (pairs: both mates) outside the target it is assigned to [default: no limit]")
      ->check(CLI::Validator(
          [](std::string& value) { return value.starts_with('-') ? std::string("must not be negative") : std::string(); },
          "N >= 0"));
  cmd->add_option("--fracOverlapFeature", o.min_feature_overlap_fraction,
                  "Minimum fraction of each feature's (exon's) bases that the read (pairs: both mates) overlaps;\n"
                  "a feature covered less is not overlapped")
      ->capture_default_str();
  cmd->add_option("--nonOverlapFeature", o.max_feature_nonoverlap_bp,
                  "Maximum bases of each feature (exon) outside the read (pairs: both mates); a feature with more\n"
                  "is not overlapped [default: no limit]")
      ->check(CLI::Validator(
          [](std::string& value) { return value.starts_with('-') ? std::string("must not be negative") : std::string(); },
          "N >= 0"));
  cmd->add_option("--maxMOp", o.max_cigar_sections,
                  "Aligned sections read from a CIGAR (each ends at an I, D or N); later ones are not counted")
      ->capture_default_str();
  cmd->add_flag("-L", o.long_reads,
                "Long reads: every section of a CIGAR is read (--maxMOp 65536); reads only, not --countReadPairs");
  cmd->add_flag("--largestOverlap", o.largest_overlap, "Assign to the gene with the largest overlap");
  cmd->add_option("--read2pos", args->read_to_position, "Reduce reads to their 5' (5) or 3' (3) base");
  cmd->add_option("--readExtension5", o.extend_5prime_bp, "Extend reads upstream by N bases");
  cmd->add_option("--readExtension3", o.extend_3prime_bp, "Extend reads downstream by N bases");
  cmd->add_flag("-J", o.junction_counts,
                "Count reads (pairs: fragments) per splice junction (N in CIGAR) into OUT.jcounts, as featureCounts");
  cmd->add_option("-G", o.junction_genome,
                  "With -J: the genome FASTA (plain or gzipped) whose splice-site motifs give the junctions' strands")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--splitOnly", o.split_only, "Count only split (spliced, N in CIGAR) alignments");
  cmd->add_flag("--nonSplitOnly", o.non_split_only, "Count only non-split alignments");
  add_threads_option(cmd, o.threads);
  add_cram_reference_option(cmd, o.reference_fasta);
  cmd->add_option_function<std::string>(
         "--reference",
         [&o](const std::string& fasta) {
           log_warning("count --reference FASTA is deprecated: --reference names a frozen reference in ifnsig; use "
                       "--cram-reference " + fasta);
           o.reference_fasta = fasta;
         })
      ->check(CLI::ExistingFile)
      ->group("");  // the old name of --cram-reference, hidden from --help
  cmd->add_option("--genes", args->genes,
                  "Count only these genes, reading only the reads that can count for them through the index\n"
                  "of a coordinate-sorted BAM (.bai/.csi) or CRAM (.crai): gene ids or names as a comma list\n"
                  "or a file (one per line), and panel:NAME for a panel's genes (e.g. panel:rice6). Each\n"
                  "gene's count equals a whole-file count's; OUT.summary says NA (not known)");
  cmd->add_flag("--strict-pairs", o.strict_pairs, "Stop with an error when a mate never appears in the file");
  cmd->add_option("--max-waiting-mates", o.max_waiting_mates,
                  "Mates held in memory while waiting for their partner; beyond, they go to --tmp-dir")
      ->capture_default_str();
  add_memory_option(cmd, args->max_memory);
  cmd->add_option("--tmp-dir,--tmpDir", o.temp_directory, "Directory for spilled mates (default: $TMPDIR, else /tmp)");
  cmd->add_flag("--donotsort")->description("Accepted for featureCounts command lines; no effect (mates are paired in any order)");
  cmd->footer(
      "featureCounts' --verbose is accepted: it is ifnsig's global -v (more log lines); featureCounts' -v (its\n"
      "version) is ifnsig --version. Every featureCounts option and its status: docs/count.md.");
  cmd->callback([args] { run_count(*args); });
}

}  // namespace ifnsig::cli
