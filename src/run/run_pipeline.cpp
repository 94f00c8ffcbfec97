#include "ifnsig/run/run_pipeline.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "ifnsig/annotation/annotation_cache.hpp"
#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/memory.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/counter.hpp"
#include "ifnsig/matrix/count_table.hpp"
#include "ifnsig/norm/count_checks.hpp"
#include "ifnsig/norm/frozen_reference.hpp"
#include "ifnsig/quant/tximport.hpp"
#include "ifnsig/report/follow_up.hpp"
#include "ifnsig/run/gene_selection.hpp"
#include "ifnsig/run/run_scoring.hpp"
#include "ifnsig/score/panel_scores.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/scorer.hpp"
#include "run_steps.hpp"

namespace ifnsig::run {
namespace {

bool counts_given(const RunConfig& c) { return !c.counts_matrix.empty() || !c.quant.empty(); }

void check_config(const RunConfig& c) {
  if (c.threads < 1) throw UsageError("--threads must be at least 1");
  if (c.gather && !c.only_sample.empty()) throw UsageError("--gather and --sample exclude each other");
  if (!c.counts_matrix.empty() && !c.quant.empty()) {
    throw UsageError("--counts and --quant-dir exclude each other", "give the gene matrix or the quantifier outputs");
  }
  if (counts_given(c) && (c.gather || !c.only_sample.empty() || c.targeted)) {
    throw UsageError(std::string(c.targeted ? "--targeted" : c.gather ? "--gather" : "--sample") +
                         " reads alignment files; with --counts or --quant-dir nothing is counted",
                     "run ifnsig run --counts/--quant-dir as one step");
  }
  if (!counts_given(c) && c.annotation.empty()) {
    throw UsageError("-a ANNOTATION is needed to count the alignments",
                     "give the GTF, GFF3 or SAF file, or start from counts with --counts MATRIX or --quant-dir DIR");
  }
  if (!c.annotation.empty() && !std::filesystem::is_regular_file(c.annotation)) {
    throw InputError(c.annotation, "", "no such annotation file", "give a GTF, GFF3 or SAF file with -a");
  }
  if (!c.counts_matrix.empty() && !std::filesystem::is_regular_file(c.counts_matrix)) {
    throw InputError(c.counts_matrix, "", "no such count matrix", "give the gene x sample matrix with --counts");
  }
  if (c.targeted && c.reference.empty()) {
    throw UsageError("--targeted scores against a frozen reference: its normalizer genes give the size factors",
                     "give --reference REF.json (the reference.json of a run that counted whole files)");
  }
  if (!c.reference.empty() && !std::filesystem::is_regular_file(c.reference)) {
    throw InputError(c.reference, "", "no such reference file", "give the reference.json of an earlier run");
  }
}

void create_outdir(const std::filesystem::path& outdir) {
  std::error_code ec;
  std::filesystem::create_directories(outdir / "samples", ec);
  if (ec) {
    throw InputError(outdir.string(), "", "cannot create the output directory: " + ec.message(),
                     "choose a writable -o directory");
  }
  // Per-sample outputs that killed counting jobs of this host left half written.
  const std::size_t stale = remove_stale_temporaries(outdir / "samples");
  if (stale > 0) log_info("removed " + std::to_string(stale) + " temporary file(s) left by killed runs in " + outdir.string());
}

// Paired-endness from the sheet or the first reads; mixed layouts need an explicit `paired` column. With
// --targeted, every file must be readable by region.
void decide_layouts(RunState& state, Problems& problems) {
  std::vector<std::string> paired, single;
  for (const auto& sample : state.sheet.samples) {
    SampleLayout layout;
    layout.strand = sample.strand.value_or(count::Strandedness::kAuto);
    layout.paired_from_sheet = sample.paired.has_value();
    if (sample.paired) {
      layout.paired = *sample.paired;
    } else if (std::filesystem::is_regular_file(sample.bam_path)) {
      try {
        layout.paired = detect_paired(sample.bam_path, state.config->count.reference_fasta);
        (layout.paired ? paired : single).push_back(sample.id);
      } catch (const Error& error) {
        problems.add("sample " + quote_field(sample.id) + ": ", error);
      }
    }
    if (state.config->targeted && std::filesystem::is_regular_file(sample.bam_path)) {
      try {  // reading by region needs a coordinate-sorted BAM or CRAM with a current index
        count::AlignmentReader(sample.bam_path.string(), state.config->count.reference_fasta, 0).check_indexed();
      } catch (const Error& error) {
        problems.add("sample " + quote_field(sample.id) + ": ", error);
      }
    }
    state.layouts.push_back(layout);
  }
  if (!paired.empty() && !single.empty()) {
    const auto list = [](const std::vector<std::string>& ids) {
      std::string out;
      for (std::size_t i = 0; i < ids.size() && i < 10; ++i) out += (i ? ", " : "") + ids[i];
      return out + (ids.size() > 10 ? ", ..." : "");
    };
    problems.add("the alignments mix paired-end (" + list(paired) + ") and single-end (" + list(single) +
                 ") reads; add a 'paired' column (yes/no) to confirm the layout of each sample");
  }
}

void plan(RunState& state) {
  const auto& c = *state.config;
  const std::size_t n = state.sheet.samples.size();
  state.records.assign(n, std::nullopt);
  state.count_reasons.assign(n, {});
  state.counted.assign(n, false);
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < n; ++i) {
    const RunSample& sample = state.sheet.samples[i];
    if (!c.only_sample.empty() && sample.id != c.only_sample) continue;
    auto record = load_record(sample_paths(c.outdir, sample.id).record);
    state.count_reasons[i] = stale_reason(record, sample, options_key(state.settings, state.layouts[i]));
    if (state.count_reasons[i].empty()) {
      state.records[i] = std::move(record);
    } else {
      missing.push_back(sample.id + " (" + state.count_reasons[i] + ")");
    }
  }
  if (c.gather && !missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += "\n  - " + m;
    throw InputError((c.outdir / "samples").string(), "",
                     std::to_string(missing.size()) + " sample(s) have no up-to-date counts:" + list,
                     "run the count step (ifnsig run --sample ID) for them first, or ifnsig run without --gather");
  }
}

// The frozen reference replacing the control group, read whole before anything is counted (its normalization
// part is read again by normalize).
std::optional<RunReference> read_run_reference(const RunConfig& c) {
  if (c.reference.empty()) return std::nullopt;
  return RunReference{norm::read_reference(c.reference), score::load_score_reference(c.reference)};
}

// --targeted: the reference can normalize samples counted for chosen genes only, and every method scores a
// sample from the reference's statistics of the panel genes, not from ranks over all genes or samples.
void check_targeted(const RunConfig& c, const RunReference& reference, const std::vector<score::GeneSet>& panels) {
  norm::targeted_reference(reference.normalization, reference.normalization.genes, c.reference);
  for (const auto& panel : panels) {
    std::vector<std::string> methods = c.methods;
    if (methods.empty()) methods.push_back(panel.method.empty() ? "rice" : panel.method);
    for (const auto& name : methods) {
      if (score::method_info(score::parse_method(name)).needs_controls) continue;
      throw UsageError("--targeted: method " + quote_field(name) + " of panel " + quote_field(panel.name) +
                           " ranks genes within a sample or across samples, which needs every gene counted",
                       "score with a method that uses the reference's gene statistics (--method rice, "
                       "zscore-controls or module), or run without --targeted");
    }
  }
}

std::vector<score::GeneSet> resolve_run_panels(const RunConfig& c) {
  std::vector<std::string> names = c.panels;
  if (names.empty()) names.assign(std::begin(score::kDefaultPanels), std::end(score::kDefaultPanels));
  for (const auto& m : c.methods) score::parse_method(m);  // an unknown method fails before any counting
  return score::resolve_panels(names, c.panel_dir);
}

// Fails before counting when a panel has too few of its genes in the annotation (by id or gene_name).
void check_panel_genes(const annotation::GeneModel& model, const std::vector<score::GeneSet>& panels,
                       const score::GeneAliasTable* aliases) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::string> names;
  for (const auto& gene : model.genes()) {
    ids.push_back(gene.id);
    if (!gene.name.empty()) names.emplace(gene.id, gene.name);
  }
  score::match_panels(panels, score::GeneMatcher(ids, names, aliases), score::ScoreOptions{}.min_genes);
}

// The source of the counts given (--counts or --quant-dir), for messages.
std::string counts_source(const RunConfig& c) {
  if (!c.counts_matrix.empty()) return c.counts_matrix;
  return c.quant.directory.empty() ? c.quant.files.front() : c.quant.directory;
}

// The columns of the sheet's samples, in sheet order; a sheet sample the counts lack is an error naming the file.
std::vector<Eigen::Index> sheet_columns(const RunConfig& c, const RunSheet& sheet, const std::vector<std::string>& ids) {
  std::vector<Eigen::Index> columns;
  std::vector<std::string> missing;
  for (const auto& sample : sheet.samples) {
    const auto it = std::find(ids.begin(), ids.end(), sample.id);
    if (it == ids.end()) {
      missing.push_back(sample.id);
    } else {
      columns.push_back(it - ids.begin());
    }
  }
  if (!missing.empty()) {
    const auto some = [](const std::vector<std::string>& names) {
      std::string out;
      for (std::size_t i = 0; i < names.size() && i < 10; ++i) out += (i ? ", " : "") + quote_field(names[i]);
      return out + (names.size() > 10 ? ", ..." : "");
    };
    throw InputError(counts_source(c), "",
                     std::to_string(missing.size()) + " sample(s) of the sheet " + c.sheet + " are not in it: " +
                         some(missing) + " (its samples: " + some(ids) + ")",
                     "the sheet's `sample` column must name the matrix's columns (or, for quantifier files, their "
                     "sample directories or name prefixes)");
  }
  if (columns.size() < ids.size()) {
    log_info("run: " + std::to_string(ids.size() - columns.size()) + " sample(s) of " + counts_source(c) +
             " are not in the sheet and are left out");
  }
  return columns;
}

// Keeps `columns` of the counts (and of the average transcript lengths travelling with them), in that order.
void select_columns(norm::ImportedCounts& imported, const std::vector<Eigen::Index>& columns) {
  matrix::CountTable& table = imported.table;
  const auto n = static_cast<Eigen::Index>(columns.size());
  Eigen::MatrixXd values(table.counts.values.rows(), n), lengths(imported.avg_tx_length.rows(), n);
  std::vector<std::string> ids, sources;
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::Index k = columns[static_cast<std::size_t>(j)];
    values.col(j) = table.counts.values.col(k);
    if (imported.avg_tx_length.size() != 0) lengths.col(j) = imported.avg_tx_length.col(k);
    ids.push_back(table.counts.sample_ids[static_cast<std::size_t>(k)]);
    sources.push_back(table.sources.at(static_cast<std::size_t>(k)));
  }
  table.counts.values = std::move(values);
  table.counts.sample_ids = std::move(ids);
  table.sources = std::move(sources);
  if (imported.avg_tx_length.size() != 0) imported.avg_tx_length = std::move(lengths);
}

// run --counts / --quant-dir: reads the counts, keeps the sheet's samples, takes the gene names panels are
// matched by (the matrix's gene_name column, else -a's gene_name), and checks the panels' genes.
void import_counts(RunState& state) {
  const RunConfig& c = *state.config;
  norm::ImportedCounts imported;
  if (!c.counts_matrix.empty()) {
    imported.table = matrix::read_count_table(c.counts_matrix);
    imported.note = "counts matrix " + c.counts_matrix;
    log_info("run: read " + c.counts_matrix + ": " + std::to_string(imported.table.counts.gene_ids.size()) +
             " genes x " + std::to_string(imported.table.counts.sample_ids.size()) + " samples");
  } else {
    quant::QuantInputs inputs = c.quant;
    if (inputs.tx2gene.empty()) inputs.tx2gene = c.annotation;  // -a's GTF maps transcripts to genes
    if (c.counts_from_abundance) {
      inputs.options.counts_from_abundance = *c.counts_from_abundance;
    } else {
      const auto files = inputs.directory.empty() ? inputs.files : quant::find_quant_files(inputs.directory);
      const bool transcripts = !files.empty() && quant::is_transcript_level(quant::detect_quantifier(files.front()));
      inputs.options.counts_from_abundance =
          transcripts ? quant::CountsFromAbundance::kLengthScaledTpm : quant::CountsFromAbundance::kNo;
    }
    const quant::GeneQuant gene_quant = quant::import_quant_inputs(inputs);
    imported.table = gene_quant.counts;
    imported.avg_tx_length = quant::length_offsets(gene_quant);
    imported.note = quant::describe(gene_quant);
    if (imported.avg_tx_length.size() != 0 && c.reference.empty()) {
      throw UsageError("a run fits a frozen reference (reference.json), which holds per-sample size factors, not "
                       "DESeq2's per-gene normalization factors from tximport's average transcript lengths "
                       "(countsFromAbundance no, " + counts_source(c) + ")",
                       "use --counts-from-abundance lengthScaledTPM (the default for transcript-level files), or "
                       "normalize with ifnsig normalize --quant-dir");
    }
  }
  select_columns(imported, sheet_columns(c, state.sheet, imported.table.counts.sample_ids));
  const auto& table = imported.table;
  norm::check_not_tpm(table.counts, table.sources);  // before OUTDIR is created
  const auto name_column = std::find(table.annotation_columns.begin(), table.annotation_columns.end(), "gene_name");
  if (name_column != table.annotation_columns.end()) {
    const auto& names = table.annotation[static_cast<std::size_t>(name_column - table.annotation_columns.begin())];
    score::check_panel_names(counts_source(c), table.counts.gene_ids, names, state.panels,
                             "keep one row per gene name in the matrix (sum or drop the others)");
    for (std::size_t g = 0; g < names.size(); ++g) {
      if (!names[g].empty()) state.gene_names.emplace(table.counts.gene_ids[g], names[g]);
    }
  } else if (!c.annotation.empty()) {
    const annotation::GeneModel model = annotation::GeneModel::read(c.annotation, c.count.annotation);
    for (const auto& gene : model.genes()) {
      if (!gene.name.empty()) state.gene_names.emplace(gene.id, gene.name);
    }
  }
  score::match_panels(state.panels, score::GeneMatcher(table.counts.gene_ids, state.gene_names, c.gene_aliases),
                      score::ScoreOptions{}.min_genes);
  const std::size_t n = state.sheet.samples.size();
  state.layouts.assign(n, SampleLayout{});
  state.count_reasons.assign(n, {});
  state.counted.assign(n, false);
  state.records.assign(n, std::nullopt);
  for (std::size_t j = 0; j < n; ++j) {
    SampleRecord record;
    record.sample = state.sheet.samples[j].id;
    record.counts_from = table.sources.at(j);
    state.records[j] = std::move(record);
  }
  state.imported = std::move(imported);
}

struct CountProgress {
  std::mutex mutex;
  std::size_t done = 0;
  std::size_t total = 0;
  std::uintmax_t bytes_done = 0;
  std::uintmax_t bytes_total = 0;
  std::uint64_t records = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

  void finished(const SampleRecord& record) {
    std::lock_guard lock(mutex);
    ++done;
    bytes_done += record.input.size_bytes;
    records += record.records;
    const double elapsed = seconds_since(start);
    const double eta = bytes_done == 0 ? 0
                                       : elapsed * static_cast<double>(bytes_total - bytes_done) /
                                             static_cast<double>(bytes_done);
    char line[320];
    std::snprintf(line, sizeof line, "run: %zu/%zu samples counted (%s: %s records, %.0f%% assigned); %s records/s; ETA %.0f s",
                  done, total, record.sample.c_str(), human_count(static_cast<double>(record.records)).c_str(),
                  100 * record.assigned_fraction(), human_count(static_cast<double>(records) / std::max(1e-9, elapsed)).c_str(),
                  eta);
    log_info(line);
  }
};

}  // namespace

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

RunState prepare_run(const RunConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  check_config(config);
  RunState state;
  state.config = &config;
  Problems problems;
  const SheetRules rules{config.control, config.reference.empty(), config.extra_columns, !counts_given(config)};
  state.sheet = read_run_sheet(config.sheet, rules, problems);
  if (!counts_given(config)) decide_layouts(state, problems);
  if (!config.only_sample.empty() &&
      std::none_of(state.sheet.samples.begin(), state.sheet.samples.end(),
                   [&](const RunSample& s) { return s.id == config.only_sample; })) {
    problems.add("--sample " + quote_field(config.only_sample) + " is not in the sheet");
  }
  std::vector<std::string> times;
  for (const auto& sample : state.sheet.samples) {
    if (!sample.subject.empty()) times.push_back(sample.time);
  }
  if (const auto problem = report::follow_up_time_problem(times, config.visit_order); !problem.empty()) problems.add(problem);
  problems.throw_if_any(config.sheet, "fix the sample sheet or the files it names; every problem is listed");
  state.panels = resolve_run_panels(config);
  state.reference = read_run_reference(config);
  if (config.targeted) check_targeted(config, *state.reference, state.panels);
  state.sheet_md5 = md5_of_file(config.sheet);
  state.settings.options = config.count;
  if (counts_given(config)) {  // nothing to count: the annotation, if given, only names the genes
    if (!config.annotation.empty()) state.settings.annotation_md5 = md5_of_file(config.annotation);
    import_counts(state);
    state.timings_seconds.emplace_back("check", seconds_since(start));
    return state;
  }
  if (config.annotation_cache.empty()) {
    state.model = std::async(config.threads > 1 ? std::launch::async : std::launch::deferred, [&config] {
      return annotation::GeneModel::read(config.annotation, config.count.annotation);
    });
    state.settings.annotation_md5 = md5_of_file(config.annotation);
  } else {  // the cached copy holds the MD5 too; a first read computes both at once
    annotation::Annotation annotation = annotation::load_annotation(
        config.annotation, config.count.annotation, config.annotation_cache, std::min(2, config.threads));
    state.settings.annotation_md5 = annotation.md5;
    state.model = std::async(std::launch::deferred, [model = std::move(annotation.model)]() mutable { return std::move(model); });
  }
  if (config.targeted) state.settings.targets_reference_md5 = md5_of_file(config.reference);
  plan(state);
  state.timings_seconds.emplace_back("check", seconds_since(start));
  return state;
}

void count_planned(RunState& state) {
  const auto start = std::chrono::steady_clock::now();
  const RunConfig& c = *state.config;
  if (state.imported) {  // counts given: nothing to count
    create_outdir(c.outdir);  // after every check, as when counting
    return;
  }
  std::vector<std::size_t> todo;
  CountProgress progress;
  for (std::size_t i = 0; i < state.sheet.samples.size(); ++i) {
    if (state.count_reasons[i].empty()) continue;
    todo.push_back(i);
    progress.bytes_total += std::filesystem::file_size(state.sheet.samples[i].bam_path);
  }
  progress.total = todo.size();
  if (todo.empty()) {
    state.model = {};  // waits for the reading to end, so it does not overlap the budget's later work
    return;
  }
  log_info("run: counting " + std::to_string(todo.size()) + " sample(s) with annotation " + c.annotation);
  const annotation::GeneModel model = state.model.get();
  check_panel_genes(model, state.panels, c.gene_aliases);
  create_outdir(c.outdir);  // after every check: a failed check leaves nothing behind
  const annotation::FeatureIndex index(model, false, c.threads);
  std::vector<std::uint32_t> targets;
  if (c.targeted) {
    const auto genes = select_genes(c.reference, model, c.panel_dir);
    targets = count::targets_of_genes(model, false, genes);
    log_info("run: --targeted: " + std::to_string(genes.size()) + " genes of " + c.reference +
             " (normalizer and panel genes); only the reads that can count for them are read");
  }
  run_jobs(todo.size(), c.threads, [&](std::size_t k, int threads) {
    const std::size_t i = todo[k];
    const std::uint64_t memory = memory_share(c.count.max_memory_bytes, threads, c.threads);
    CountJob job{&state.sheet.samples[i], state.layouts[i], threads, memory, c.targeted ? &targets : nullptr};
    state.records[i] = count_sample(job, model, index, state.settings, c.outdir, c.command_line);
    progress.finished(*state.records[i]);
  });
  for (const std::size_t i : todo) state.counted[i] = true;  // std::vector<bool>: not written from the jobs
  state.timings_seconds.emplace_back("count", seconds_since(start));
}

RunResult run_pipeline(const RunConfig& config) {
  RunState state = prepare_run(config);
  count_planned(state);
  RunResult result;
  for (std::size_t i = 0; i < state.sheet.samples.size(); ++i) {
    if (!config.only_sample.empty() && state.sheet.samples[i].id != config.only_sample) continue;
    (state.counted[i] ? result.counted : result.reused).push_back(state.sheet.samples[i].id);
  }
  if (!config.only_sample.empty()) return result;
  result.report = gather_run(state);
  return result;
}

}  // namespace ifnsig::run
