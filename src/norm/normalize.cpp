#include "ifnsig/norm/normalize.hpp"

#include <cmath>
#include <optional>
#include <unordered_map>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/sample_sheet.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/norm/count_checks.hpp"
#include "ifnsig/matrix/count_table.hpp"
#include "ifnsig/matrix/matrix_writer.hpp"
#include "ifnsig/norm/vst.hpp"

namespace ifnsig {
namespace {

struct Cohort {
  CountTable table;
  std::optional<SampleSheet> sheet;
  std::vector<std::size_t> sheet_rows;  // sheet row of each count column
};

Cohort load_cohort(const NormalizeConfig& config) {
  Cohort cohort;
  std::vector<CountTable> tables;
  for (const auto& path : config.inputs) {
    tables.push_back(read_count_table(path));
    log_info("read " + path + ": " + std::to_string(tables.back().counts.gene_ids.size()) + " genes x " +
             std::to_string(tables.back().counts.sample_ids.size()) + " samples");
  }
  cohort.table = merge_count_tables(std::move(tables));
  if (!config.sample_sheet.empty()) {
    cohort.sheet = SampleSheet::read(config.sample_sheet);
    cohort.sheet_rows = cohort.sheet->match(cohort.table.counts.sample_ids, "the count tables");
  }
  return cohort;
}

std::vector<std::string> sheet_column(const Cohort& cohort, const std::string& column) {
  if (!cohort.sheet->has_column(column)) {
    throw InputError(cohort.sheet->path(), "header", "no column named " + quote_field(column),
                     "add the column to the sample sheet or choose another with --batch/--covariate");
  }
  std::vector<std::string> values;
  for (const auto row : cohort.sheet_rows) values.push_back(cohort.sheet->value(row, column));
  return values;
}

std::vector<char> read_control_genes(const std::string& path, const std::vector<std::string>& gene_ids) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t g = 0; g < gene_ids.size(); ++g) index.emplace(gene_ids[g], g);
  std::vector<char> mask(gene_ids.size(), 0);
  LineReader reader(path);
  std::string_view line;
  std::size_t found = 0;
  while (reader.next(line)) {
    const auto id = std::string(trim(line));
    if (id.empty() || id.front() == '#') continue;
    const auto it = index.find(id);
    if (it == index.end()) throw InputError(path, at_line(reader.line_number()), "control gene " + quote_field(id) + " is not in the counts");
    found += mask[it->second] ? 0 : 1;
    mask[it->second] = 1;
  }
  if (found == 0) throw InputError(path, "", "lists no control genes");
  return mask;
}

void check_options(const NormalizeConfig& c) {
  if (!c.reference.empty() && !c.save_reference.empty()) {
    throw UsageError("--reference and --save-reference exclude each other",
                     "fit a reference with --save-reference, later apply it with --reference");
  }
  if (!c.batch_column.empty() && c.sample_sheet.empty()) {
    throw UsageError("--batch needs --samples (the sample sheet holding the batch column)");
  }
  if (!c.covariates.empty() && c.batch_column.empty()) throw UsageError("--covariate needs --batch");
  if (c.vst_fit == VstFit::kLocal && !c.reference.empty()) {
    throw UsageError("--vst-fit applies when fitting; a reference holds its own trend", "omit --vst-fit with --reference");
  }
  if (c.vst_fit == VstFit::kLocal && !c.save_reference.empty()) {
    throw UsageError("a frozen reference cannot hold a local (locfit) VST: DESeq2 scales that transform by the "
                     "quantiles of whichever samples it is given",
                     "use --vst-fit parametric, or --transform logcpm or log2, for a reference");
  }
  if (c.transform.prior_count < 0 || c.transform.pseudocount < 0) {
    throw UsageError("--prior-count and --pseudocount must be >= 0");
  }
}

// The reference to use: loaded from --reference, or the fitting recipe from the options.
FrozenReference reference_recipe(const NormalizeConfig& c) {
  FrozenReference ref;
  if (c.reference.empty()) {
    ref.transform = c.transform;
    ref.transform.kind = c.transform_kind.value_or(TransformKind::kCounts);
    ref.factors.method = c.method.value_or(FactorMethod::kRatio);
    ref.batch_column = c.batch_column;
    return ref;
  }
  ref = read_reference(c.reference);
  if (c.method && *c.method != ref.factors.method) {
    throw UsageError("--method " + to_string(*c.method) + " differs from the reference's method " +
                         to_string(ref.factors.method), "omit --method when applying a reference");
  }
  if (c.transform_kind && *c.transform_kind != ref.transform.kind) {
    throw UsageError("--transform " + to_string(*c.transform_kind) + " differs from the reference's transform " +
                         to_string(ref.transform.kind), "omit --transform when applying a reference");
  }
  if (!c.batch_column.empty() && c.batch_column != ref.batch_column) {
    throw UsageError("--batch " + c.batch_column + " does not match the reference (" +
                     (ref.combat ? "fitted on " + quote_field(ref.batch_column) : "fitted without batch correction") + ")");
  }
  if (ref.combat && c.sample_sheet.empty()) {
    throw UsageError("the reference corrects batches; give --samples with the " + quote_field(ref.batch_column) + " column");
  }
  return ref;
}

// Option combinations that need no data: checked before anything is read.
void check_recipe(const FrozenReference& ref, const NormalizeConfig& c) {
  const auto kind = ref.transform.kind;
  if (!ref.batch_column.empty() && (kind == TransformKind::kCounts || kind == TransformKind::kCpm || kind == TransformKind::kTpm)) {
    throw UsageError("ComBat (--batch) works on log-scale data, not on --transform " + to_string(kind),
                     "use --transform logcpm, log2 or vst (or none for data already on a log scale)");
  }
  if (!c.control_genes.empty() && !is_deseq_method(ref.factors.method)) {
    throw UsageError("--control-genes applies to --method ratio or poscounts only");
  }
}

void check_lengths(const FrozenReference& ref, const CountTable& table, const NormalizeConfig& c) {
  if (ref.transform.kind == TransformKind::kTpm && table.lengths_bp.empty()) {
    throw InputError(c.inputs.front(), "", "--transform tpm needs gene lengths and the input has no Length column",
                     "use featureCounts-style input (Geneid ... Length) or a plain matrix with a 'length' column");
  }
}

// Takes the table's count matrix (transformed in place where the transform allows; the VST reads the counts
// and writes a new matrix), leaving table.counts.values empty.
Eigen::MatrixXd transform_values(FrozenReference& ref, CountTable& table, const SampleFactors& factors,
                                 const NormalizeConfig& config) {
  const bool fitting = config.reference.empty();
  Eigen::MatrixXd counts = std::move(table.counts.values);
  const auto& p = ref.transform;
  switch (p.kind) {
    case TransformKind::kNone: return counts;
    case TransformKind::kCounts: return normalized_counts(std::move(counts), factors.size_factor);
    case TransformKind::kCpm: return cpm(std::move(counts), factors.eff_lib_size);
    case TransformKind::kLogCpm:
      return log_cpm(std::move(counts), factors.eff_lib_size, p.prior_count, ref.factors.eff_lib_mean);
    case TransformKind::kTpm: return tpm(std::move(counts), table.lengths_bp);
    case TransformKind::kLog2: {
      auto values = ref.factors.method == FactorMethod::kNone
                        ? std::move(counts)
                        : normalized_counts(std::move(counts), factors.size_factor);
      log2_in_place(values, p.pseudocount);
      return values;
    }
    case TransformKind::kVst:
      if (fitting) {
        auto trend = fit_vst_trend(counts, factors.size_factor, p.vst_subsample, config.vst_fit);
        if (const auto* local = std::get_if<LocalDispersionTrend>(&trend)) {
          if (!config.save_reference.empty()) {
            throw InputError("counts", "", "the parametric VST trend failed and DESeq2's local (locfit) trend replaced "
                                           "it; a frozen reference cannot hold a local VST (DESeq2 scales it by the "
                                           "quantiles of whichever samples it is given)",
                             "omit --save-reference, or fit the reference with --transform logcpm or log2");
          }
          return apply_local_vst(counts, factors.size_factor, *local);
        }
        ref.vst_trend = std::get<DispersionTrend>(trend);
      }
      if (!ref.vst_trend) throw InputError("reference", "", "the reference holds no VST dispersion trend");
      return apply_vst(counts, factors.size_factor, *ref.vst_trend);
  }
  return counts;
}

void correct_batches(FrozenReference& ref, const Cohort& cohort, Eigen::MatrixXd& values, bool fitting,
                                const NormalizeConfig& c) {
  const auto& samples = cohort.table.counts.sample_ids;
  const auto batch = sheet_column(cohort, ref.batch_column);
  std::vector<std::vector<std::string>> covariates;
  const auto names = fitting ? c.covariates : ref.combat->levels.covariate_names;
  for (const auto& name : names) covariates.push_back(sheet_column(cohort, name));
  if (fitting) {
    const auto levels = combat_levels(batch, names, covariates);
    if (levels.batches.size() < 2) {
      throw InputError(cohort.sheet->path(), "column " + quote_field(ref.batch_column), "holds a single batch; nothing to correct");
    }
    ref.combat = fit_combat(values, levels, combat_design(levels, samples, batch, covariates), c.combat);
  }
  apply_combat(*ref.combat, values, combat_design(ref.combat->levels, samples, batch, covariates));
}

void write_outputs(const NormalizeConfig& c, const FrozenReference& ref, const GeneMatrix& result,
                   const SampleFactors& factors) {
  AtomicFile out(c.output);
  write_matrix_tsv(out.stream(), result);
  std::optional<AtomicFile> factors_file, reference_file;
  if (!c.factors_output.empty()) {
    factors_file.emplace(c.factors_output);
    factors_file->stream() << "sample\tlib_size\tfactor\n";
    for (std::size_t s = 0; s < result.sample_ids.size(); ++s) {
      factors_file->stream() << result.sample_ids[s] << '\t' << format_double(factors.lib_size[s]) << '\t'
                             << format_double(factors.factor[s]) << '\n';
    }
  }
  if (!c.save_reference.empty()) {
    reference_file.emplace(c.save_reference);
    write_reference(ref, reference_file->stream());
  }
  out.commit();
  if (factors_file) factors_file->commit();
  if (reference_file) reference_file->commit();
}

}  // namespace

void run_normalize(const NormalizeConfig& config) {
  check_options(config);
  FrozenReference ref = reference_recipe(config);
  const bool fitting = config.reference.empty();
  check_recipe(ref, config);
  Cohort cohort = load_cohort(config);
  if (!fitting) cohort.table = select_genes(cohort.table, ref.genes, "the reference " + config.reference);
  check_lengths(ref, cohort.table, config);
  const GeneMatrix& counts = cohort.table.counts;
  check_counts(counts, cohort.table.sources, count_requirements(ref.factors.method, ref.transform.kind));
  FactorOptions options{ref.factors.method, {}};
  if (fitting && !config.control_genes.empty()) {
    options.control_genes = read_control_genes(config.control_genes, counts.gene_ids);
  }
  SampleFactors factors;
  if (fitting) {
    ref.factors = fit_factors(counts.values, options, counts.gene_ids, counts.sample_ids, &factors);
  } else {
    factors = apply_factors(ref.factors, counts.values, counts.sample_ids);
  }
  log_info("computed " + to_string(ref.factors.method) + " factors; transforming");
  // The counts are not needed after the transform: it takes them, before ComBat's genes x samples intermediate.
  GeneMatrix result{counts.gene_ids, counts.sample_ids, transform_values(ref, cohort.table, factors, config)};
  if (!ref.batch_column.empty()) {
    log_info("correcting batches in column " + quote_field(ref.batch_column) + " with ComBat");
    correct_batches(ref, cohort, result.values, fitting, config);
  }
  check_finite(result, cohort.table.sources);
  if (fitting) {
    ref.ifnsig_version = ifnsig_version();
    ref.command_line = config.command_line;
    ref.samples = counts.sample_ids;
    ref.genes = counts.gene_ids;
  }
  log_info("writing " + config.output);
  write_outputs(config, ref, result, factors);
  log_info("wrote " + config.output + " (" + std::to_string(result.gene_ids.size()) + " genes x " +
           std::to_string(result.sample_ids.size()) + " samples)");
}

}  // namespace ifnsig
