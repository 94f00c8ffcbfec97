#include "ifnsig/norm/normalize.hpp"

#include <tbb/parallel_for.h>

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

namespace ifnsig::norm {
namespace {

const std::vector<std::string>& column(const SampleColumns& columns, const std::string& name) {
  const auto it = columns.values.find(name);
  if (it == columns.values.end()) {
    throw InputError(columns.source.empty() ? "the sample columns" : columns.source, "header",
                     "no column named " + quote_field(name),
                     "add the column to the sample sheet or choose another with --batch/--covariate");
  }
  return it->second;
}

std::vector<char> read_control_genes(const std::string& path, const std::vector<std::string>& gene_ids) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t g = 0; g < gene_ids.size(); ++g) index.emplace(gene_ids[g], g);
  std::vector<char> mask(gene_ids.size(), 0);
  io::LineReader reader(path);
  std::string_view line;
  std::size_t found = 0;
  while (reader.next(line)) {
    const auto id = std::string(io::trim(line));
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
  const NormalizeRules& r = c.rules;
  if (!c.reference.empty() && !c.save_reference.empty()) {
    throw UsageError("--reference and --save-reference exclude each other",
                     "fit a reference with --save-reference, later apply it with --reference");
  }
  if (c.targeted && (c.reference.empty() || !c.control_genes.empty())) {
    throw UsageError("--targeted applies a frozen reference's normalizer genes",
                     "give --reference REF.json (the one the samples were counted for), without --control-genes");
  }
  if (!r.batch_column.empty() && c.sample_sheet.empty()) {
    throw UsageError("--batch needs --samples (the sample sheet holding the batch column)");
  }
  if (r.vst_fit == VstFit::kLocal && !c.save_reference.empty()) {
    throw UsageError("a frozen reference cannot hold a local (locfit) VST: DESeq2 scales that transform by the "
                     "quantiles of whichever samples it is given",
                     "use --vst-fit parametric, or --transform logcpm or log2, for a reference");
  }
}

void check_lengths(const FrozenReference& ref, const matrix::CountTable& table) {
  if (ref.transform.kind == TransformKind::kTpm && table.lengths_bp.empty()) {
    throw InputError(table.sources.empty() ? "counts" : table.sources.front(), "",
                     "--transform tpm needs gene lengths and the input has no Length column",
                     "use featureCounts-style input (Geneid ... Length) or a plain matrix with a 'length' column");
  }
}

// Takes the table's count matrix (transformed in place where the transform allows; the VST reads the counts
// and writes a new matrix), leaving table.counts.values empty.
Eigen::MatrixXd transform_values(FrozenReference& ref, matrix::CountTable& table, const SampleFactors& factors,
                                 const NormalizeRules& rules, bool fitting, bool freeze) {
  Eigen::MatrixXd counts = std::move(table.counts.values);
  const auto& p = ref.transform;
  switch (p.kind) {
    case TransformKind::kNone: return counts;
    case TransformKind::kCounts:
      if (factors.norm_factors.size() != 0) return Eigen::MatrixXd(counts.array() / factors.norm_factors.array());
      return normalized_counts(std::move(counts), factors.size_factor);
    case TransformKind::kCpm: return cpm(std::move(counts), factors.eff_lib_size);
    case TransformKind::kLogCpm:
      return log_cpm(std::move(counts), factors.eff_lib_size, p.prior_count, ref.factors.eff_lib_mean);
    case TransformKind::kTpm: return tpm(std::move(counts), table.lengths_bp);
    case TransformKind::kLog2: {
      auto values = ref.factors.method == FactorMethod::kNone ? std::move(counts)
                    : factors.norm_factors.size() != 0
                        ? Eigen::MatrixXd(counts.array() / factors.norm_factors.array())
                        : normalized_counts(std::move(counts), factors.size_factor);
      log2_in_place(values, p.pseudocount);
      return values;
    }
    case TransformKind::kVst:
      if (fitting) {
        const Eigen::MatrixXd* offsets = factors.norm_factors.size() != 0 ? &factors.norm_factors : nullptr;
        auto trend = fit_vst_trend(counts, factors.size_factor, p.vst_subsample, rules.vst_fit, offsets);
        if (const auto* local = std::get_if<LocalDispersionTrend>(&trend)) {
          if (freeze) {
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
      return apply_vst(counts, factors.size_factor, *ref.vst_trend,
                       factors.norm_factors.size() != 0 ? &factors.norm_factors : nullptr);
  }
  return counts;
}

// Non-integer counts -> R's round() (halves to even, as nearbyint in the default rounding mode), as
// DESeqDataSetFromTximport does; said once. Negative and non-finite values are left for check_counts.
std::string round_counts(matrix::CountTable& table) {
  auto& values = table.counts.values;
  std::vector<std::size_t> per_sample(static_cast<std::size_t>(values.cols()), 0);
  tbb::parallel_for(Eigen::Index{0}, values.cols(), [&](Eigen::Index j) {
    std::size_t n = 0;
    for (Eigen::Index g = 0; g < values.rows(); ++g) {
      double& v = values(g, j);
      if (v >= 0 && v < 0x1p52 && std::isfinite(v)) {
        const double r = std::nearbyint(v);
        n += r != v ? 1 : 0;
        v = r;
      }
    }
    per_sample[static_cast<std::size_t>(j)] = n;
  });
  std::size_t total = 0;
  for (const auto n : per_sample) total += n;
  if (total == 0) return {};
  const std::string text = std::to_string(total) + " non-integer counts rounded to the nearest integer (halves to "
                           "even), as DESeqDataSetFromTximport rounds estimated counts";
  log_warning(text + "; --strict-counts refuses them instead");
  return text;
}

// Whether tximport's average transcript lengths give DESeq2 normalization factors; refuses what cannot use them.
bool use_length_offsets(const NormalizeInput& input, const FrozenReference& ref, bool fitting) {
  if (input.avg_tx_length.size() == 0 || !fitting || !is_deseq_method(ref.factors.method)) return false;
  const auto& counts = input.counts.counts.values;
  if (input.avg_tx_length.rows() != counts.rows() || input.avg_tx_length.cols() != counts.cols()) {
    throw std::logic_error("average transcript lengths do not match the counts");
  }
  const auto kind = ref.transform.kind;
  if (kind != TransformKind::kCounts && kind != TransformKind::kLog2 && kind != TransformKind::kVst) {
    throw UsageError("with tximport's average transcript lengths (--counts-from-abundance no) DESeq2 has normalization "
                     "factors, not size factors; --transform " + to_string(kind) + " has no DESeq2 equivalent then",
                     "use --transform counts, log2 or vst, or --counts-from-abundance lengthScaledTPM");
  }
  if (input.freeze) {
    throw UsageError("a frozen reference cannot hold DESeq2's per-gene normalization factors from average transcript "
                     "lengths (--counts-from-abundance no)",
                     "fit the reference with --counts-from-abundance lengthScaledTPM (or scaledTPM)");
  }
  for (Eigen::Index j = 0; j < input.avg_tx_length.cols(); ++j) {
    for (Eigen::Index g = 0; g < input.avg_tx_length.rows(); ++g) {
      const double length = input.avg_tx_length(g, j);
      if (!(length > 0) || !std::isfinite(length)) {
        throw InputError(input.counts.sources.at(static_cast<std::size_t>(j)),
                         "gene " + quote_field(input.counts.counts.gene_ids[static_cast<std::size_t>(g)]),
                         "its average transcript length is " + io::format_double(length) +
                             " (DESeqDataSetFromTximport requires all lengths > 0)",
                         "use --counts-from-abundance lengthScaledTPM, which needs no lengths");
      }
    }
  }
  return true;
}

void correct_batches(FrozenReference& ref, const NormalizeInput& input, Eigen::MatrixXd& values, bool fitting,
                     const NormalizeRules& rules) {
  const auto& samples = input.counts.counts.sample_ids;
  const auto& batch = column(input.columns, ref.batch_column);
  std::vector<std::vector<std::string>> covariates;
  const auto names = fitting ? rules.covariates : ref.combat->levels.covariate_names;
  for (const auto& name : names) covariates.push_back(column(input.columns, name));
  if (fitting) {
    const auto levels = combat_levels(batch, names, covariates);
    if (levels.batches.size() < 2) {
      throw InputError(input.columns.source, "column " + quote_field(ref.batch_column), "holds a single batch; nothing to correct");
    }
    ref.combat = fit_combat(values, levels, combat_design(levels, samples, batch, covariates), rules.combat);
  }
  apply_combat(*ref.combat, values, combat_design(ref.combat->levels, samples, batch, covariates));
}

void write_outputs(const NormalizeConfig& c, const Normalized& n) {
  AtomicFile out(c.output);
  matrix::write_matrix_tsv(out.stream(), n.values);
  std::optional<AtomicFile> factors_file;
  if (!c.factors_output.empty()) {
    factors_file.emplace(c.factors_output);
    factors_file->stream() << "sample\tlib_size\tfactor\n";
    for (std::size_t s = 0; s < n.values.sample_ids.size(); ++s) {
      factors_file->stream() << n.values.sample_ids[s] << '\t' << io::format_double(n.factors.lib_size[s]) << '\t'
                             << io::format_double(n.factors.factor[s]) << '\n';
    }
  }
  out.commit();
  if (factors_file) factors_file->commit();
  if (!c.save_reference.empty()) write_reference(n.reference, c.save_reference);
}

}  // namespace

FrozenReference normalize_recipe(const NormalizeRules& r, const FrozenReference* reference, bool has_control_genes) {
  if (r.transform.prior_count < 0 || r.transform.pseudocount < 0) {
    throw UsageError("--prior-count and --pseudocount must be >= 0");
  }
  if (!r.covariates.empty() && r.batch_column.empty()) throw UsageError("--covariate needs --batch");
  FrozenReference ref;
  if (reference == nullptr) {
    ref.transform = r.transform;
    ref.transform.kind = r.transform_kind.value_or(TransformKind::kCounts);
    ref.factors.method = r.method.value_or(FactorMethod::kRatio);
    ref.batch_column = r.batch_column;
  } else {
    ref = *reference;
    if (r.vst_fit == VstFit::kLocal) {
      throw UsageError("--vst-fit applies when fitting; a reference holds its own trend", "omit --vst-fit with --reference");
    }
    if (r.method && *r.method != ref.factors.method) {
      throw UsageError("--method " + to_string(*r.method) + " differs from the reference's method " +
                           to_string(ref.factors.method), "omit --method when applying a reference");
    }
    if (r.transform_kind && *r.transform_kind != ref.transform.kind) {
      throw UsageError("--transform " + to_string(*r.transform_kind) + " differs from the reference's transform " +
                           to_string(ref.transform.kind), "omit --transform when applying a reference");
    }
    if (!r.batch_column.empty() && r.batch_column != ref.batch_column) {
      throw UsageError("--batch " + r.batch_column + " does not match the reference (" +
                       (ref.combat ? "fitted on " + quote_field(ref.batch_column) : "fitted without batch correction") + ")");
    }
  }
  const auto kind = ref.transform.kind;
  if (!ref.batch_column.empty() && (kind == TransformKind::kCounts || kind == TransformKind::kCpm || kind == TransformKind::kTpm)) {
    throw UsageError("ComBat (--batch) works on log-scale data, not on --transform " + to_string(kind),
                     "use --transform logcpm, log2 or vst (or none for data already on a log scale)");
  }
  if (has_control_genes && !is_deseq_method(ref.factors.method)) {
    throw UsageError("--control-genes applies to --method ratio or poscounts only");
  }
  return ref;
}

namespace {

Normalized normalize_in_arena(NormalizeInput input, const NormalizeRules& rules, const std::string& command_line) {
  const bool fitting = input.reference == nullptr;
  FrozenReference targeted;
  if (input.targeted) {
    if (fitting) throw UsageError("counts of chosen genes only are normalized by a frozen reference", "give --reference REF.json");
    targeted = targeted_reference(*input.reference, input.counts.counts.gene_ids, input.reference_source);
    input.reference = &targeted;
    log_info("chosen genes only: size factors over the reference's " +
             std::to_string(targeted.normalizers.genes.size()) + " normalizer genes; " +
             std::to_string(targeted.genes.size()) + " of its genes counted");
  }
  FrozenReference ref = normalize_recipe(rules, input.reference, !input.control_genes.empty());
  matrix::CountTable& table = input.counts;
  if (!fitting) table = select_genes(table, ref.genes, "the reference " + input.reference_source);
  check_lengths(ref, table);
  const bool offsets = use_length_offsets(input, ref, fitting);
  if (!fitting && input.avg_tx_length.size() != 0) {
    log_info("the reference's factors apply; the average transcript lengths of the inputs are not used");
  }
  const auto requirements = count_requirements(ref.factors.method, ref.transform.kind);
  std::string note = input.inputs_note;
  if (requirements.integer) check_not_tpm(table.counts, table.sources);
  if (requirements.integer && !rules.strict_counts &&
      (is_deseq_method(ref.factors.method) || ref.transform.kind == TransformKind::kVst)) {
    if (const std::string rounded = round_counts(table); !rounded.empty()) note += (note.empty() ? "" : "; ") + rounded;
  }
  const matrix::GeneMatrix& counts = table.counts;
  check_counts(counts, table.sources, requirements);
  Normalized result;
  if (offsets) {
    result.factors = fit_length_factors(counts.values, input.avg_tx_length, {ref.factors.method, input.control_genes},
                                        counts.gene_ids, counts.sample_ids);
    log_info("normalization factors from the average transcript lengths (DESeq2's avgTxLength), as "
             "DESeqDataSetFromTximport + estimateSizeFactors compute them");
  } else if (fitting) {
    ref.factors = fit_factors(counts.values, {ref.factors.method, std::move(input.control_genes)}, counts.gene_ids,
                              counts.sample_ids, &result.factors);
    if (input.freeze) {
      ref.normalizers = select_normalizer_genes(counts.values, counts.gene_ids, counts.sample_ids, ref.factors,
                                                result.factors, input.not_normalizers, rules.normalizer_genes);
      if (!ref.normalizers.genes.empty()) {
        log_info("reference: " + std::to_string(ref.normalizers.genes.size()) +
                 " normalizer genes for samples counted for chosen genes only; their size factors lie within " +
                 std::to_string(100 * ref.normalizers.max_size_factor_error).substr(0, 4) +
                 "% of the whole-transcriptome ones in the reference samples");
      }
    }
  } else {
    result.factors = apply_factors(ref.factors, counts.values, counts.sample_ids);
  }
  log_info("computed " + to_string(ref.factors.method) + " factors; transforming");
  result.values.gene_ids = counts.gene_ids;
  result.values.sample_ids = counts.sample_ids;
  // The counts are not needed after the transform: it takes them, before ComBat's genes x samples intermediate.
  result.values.values = transform_values(ref, table, result.factors, rules, fitting, input.freeze);
  if (!ref.batch_column.empty()) {
    log_info("correcting batches in column " + quote_field(ref.batch_column) + " with ComBat");
    correct_batches(ref, input, result.values.values, fitting, rules);
  }
  check_finite(result.values, table.sources);
  if (fitting) {
    ref.ifnsig_version = ifnsig_version();
    ref.command_line = command_line;
    ref.inputs = note;
    ref.samples = result.values.sample_ids;
    ref.genes = result.values.gene_ids;
  }
  result.reference = std::move(ref);
  return result;
}

}  // namespace

Normalized normalize_counts(NormalizeInput input, const NormalizeRules& rules, const Execution& execution,
                            const std::string& command_line) {
  return execution.run([&] { return normalize_in_arena(std::move(input), rules, command_line); });
}

void run_normalize(const NormalizeConfig& config) {
  check_options(config);
  std::optional<FrozenReference> reference;
  if (!config.reference.empty()) reference = read_reference(config.reference);
  const FrozenReference recipe =
      normalize_recipe(config.rules, reference ? &*reference : nullptr, !config.control_genes.empty());
  if (recipe.combat && config.sample_sheet.empty()) {
    throw UsageError("the reference corrects batches; give --samples with the " + quote_field(recipe.batch_column) + " column");
  }
  NormalizeInput input;
  input.reference = reference ? &*reference : nullptr;
  input.reference_source = config.reference;
  input.targeted = config.targeted;
  input.freeze = !config.save_reference.empty();
  if (config.imported) {
    input.counts = config.imported->table;
    input.avg_tx_length = config.imported->avg_tx_length;
    input.inputs_note = config.imported->note;
  } else {
    std::vector<matrix::CountTable> tables;
    for (const auto& path : config.inputs) {
      tables.push_back(matrix::read_count_table(path));
      log_info("read " + path + ": " + std::to_string(tables.back().counts.gene_ids.size()) + " genes x " +
               std::to_string(tables.back().counts.sample_ids.size()) + " samples");
    }
    input.counts = matrix::merge_count_tables(std::move(tables));
  }
  if (!config.sample_sheet.empty()) {
    const io::SampleSheet sheet = io::SampleSheet::read(config.sample_sheet);
    const auto rows = sheet.match(input.counts.counts.sample_ids, "the count tables");
    input.columns.source = sheet.path();
    std::vector<std::string> names = recipe.combat ? recipe.combat->levels.covariate_names : config.rules.covariates;
    if (!recipe.batch_column.empty()) names.push_back(recipe.batch_column);
    for (const auto& name : names) {
      if (!sheet.has_column(name)) continue;  // normalize_counts names the missing column
      auto& values = input.columns.values[name];
      for (const auto row : rows) values.push_back(sheet.value(row, name));
    }
  }
  if (input.freeze && config.not_normalizers) input.not_normalizers = config.not_normalizers(input.counts.counts.gene_ids);
  if (!config.control_genes.empty()) {
    input.control_genes = read_control_genes(config.control_genes, input.counts.counts.gene_ids);
  }
  const Normalized result = normalize_counts(std::move(input), config.rules, config.execution, config.command_line);
  log_info("writing " + config.output);
  write_outputs(config, result);
  log_info("wrote " + config.output + " (" + std::to_string(result.values.gene_ids.size()) + " genes x " +
           std::to_string(result.values.sample_ids.size()) + " samples)");
}

}  // namespace ifnsig::norm
