#include "ifnsig/norm/frozen_reference.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <utility>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/core/reference_file.hpp"

namespace ifnsig::norm {
namespace {

using nlohmann::json;

// JSON has no infinities: -inf (a gene with a zero, unused by 'ratio') is stored as null.
json doubles_to_json(const std::vector<double>& values) {
  json out = json::array();
  for (const double v : values) out.push_back(std::isfinite(v) ? json(v) : json(nullptr));
  return out;
}

std::vector<double> doubles_from_json(const JsonValue& values) {
  std::vector<double> out;
  for (const auto& v : values.elements()) out.push_back(v.is_null() ? -std::numeric_limits<double>::infinity() : v.number());
  return out;
}

// An array of `n` values, one per gene.
std::vector<double> per_gene(const JsonValue& value, std::size_t n) {
  auto values = value.numbers();
  if (values.size() != n) {
    value.fail("holds " + std::to_string(values.size()) + " values, not one per gene (" + std::to_string(n) + ")");
  }
  return values;
}

// 0/1 flags, one per gene.
std::vector<char> flags(const JsonValue& value) {
  std::vector<char> out;
  for (const auto& v : value.elements()) out.push_back(static_cast<char>(v.integer()));
  return out;
}

json matrix_columns(const Eigen::MatrixXd& m, const std::vector<std::string>& names) {
  json out = json::object();
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    out[names.at(static_cast<std::size_t>(c))] = std::vector<double>(m.col(c).data(), m.col(c).data() + m.rows());
  }
  return out;
}

Eigen::MatrixXd matrix_from_columns(const JsonValue& object, const std::vector<std::string>& names, std::size_t rows) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(names.size()));
  for (std::size_t c = 0; c < names.size(); ++c) {
    const auto values = per_gene(object.at(names[c]), rows);
    m.col(static_cast<Eigen::Index>(c)) = Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(rows));
  }
  return m;
}

std::vector<std::string> covariate_columns(const CombatLevels& levels) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < levels.covariate_names.size(); ++c) {
    for (std::size_t k = 1; k < levels.covariate_levels[c].size(); ++k) {
      names.push_back(levels.covariate_names[c] + levels.covariate_levels[c][k]);
    }
  }
  return names;
}

json factors_json(const FactorFit& f) {
  json out = {{"method", to_string(f.method)}, {"centering", f.centering}, {"lib_geo_mean", f.lib_geo_mean},
              {"eff_lib_geo_mean", f.eff_lib_geo_mean}, {"eff_lib_mean", f.eff_lib_mean}};
  if (!f.log_geo_means.empty()) out["log_geo_means"] = doubles_to_json(f.log_geo_means);
  if (!f.control_genes.empty()) out["control_genes"] = std::vector<int>(f.control_genes.begin(), f.control_genes.end());
  if (!f.used_genes.empty()) out["used_genes"] = std::vector<int>(f.used_genes.begin(), f.used_genes.end());
  if (!f.ref_counts.empty()) {
    out["ref_column"] = {{"sample", f.ref_sample}, {"lib_size", f.ref_lib_size}, {"counts", f.ref_counts}};
  }
  return out;
}

FactorFit factors_from_json(const JsonValue& in) {
  FactorFit f;
  f.method = parse_factor_method(in.at("method").string());
  f.centering = in.at("centering").number();
  f.lib_geo_mean = in.at("lib_geo_mean").number();
  f.eff_lib_geo_mean = in.at("eff_lib_geo_mean").number();
  f.eff_lib_mean = in.at("eff_lib_mean").number();
  if (in.contains("log_geo_means")) f.log_geo_means = doubles_from_json(in.at("log_geo_means"));
  if (in.contains("control_genes")) f.control_genes = flags(in.at("control_genes"));
  if (in.contains("used_genes")) f.used_genes = flags(in.at("used_genes"));
  if (in.contains("ref_column")) {
    const JsonValue ref = in.at("ref_column");
    f.ref_sample = ref.at("sample").string();
    f.ref_lib_size = ref.at("lib_size").number();
    f.ref_counts = ref.at("counts").numbers();
  }
  return f;
}

json combat_json(const CombatFit& c, const std::string& batch_column) {
  const auto cov_names = covariate_columns(c.levels);
  json covariates = json::array();
  for (std::size_t k = 0; k < c.levels.covariate_names.size(); ++k) {
    covariates.push_back({{"column", c.levels.covariate_names[k]}, {"levels", c.levels.covariate_levels[k]}});
  }
  return {{"batch_column", batch_column}, {"batches", c.levels.batches}, {"covariates", covariates},
          {"parametric", c.parametric}, {"mean_only", c.mean_only},
          {"adjusted", std::vector<int>(c.adjusted.begin(), c.adjusted.end())},
          {"grand_mean", c.grand_mean}, {"var_pooled", c.var_pooled},
          {"covariate_coefs", matrix_columns(c.covariate_coefs, cov_names)},
          {"gamma_star", matrix_columns(c.gamma_star, c.levels.batches)},
          {"delta_star", matrix_columns(c.delta_star, c.levels.batches)}};
}

CombatFit combat_from_json(const JsonValue& in, std::size_t n_genes) {
  CombatFit c;
  c.levels.batches = in.at("batches").strings();
  for (const auto& cov : in.at("covariates").elements()) {
    c.levels.covariate_names.push_back(cov.at("column").string());
    c.levels.covariate_levels.push_back(cov.at("levels").strings());
  }
  c.parametric = in.at("parametric").boolean();
  c.mean_only = in.at("mean_only").boolean();
  c.adjusted = flags(in.at("adjusted"));
  if (c.adjusted.size() != n_genes) in.at("adjusted").fail("does not hold one flag per gene");
  c.grand_mean = per_gene(in.at("grand_mean"), n_genes);
  c.var_pooled = per_gene(in.at("var_pooled"), n_genes);
  c.covariate_coefs = matrix_from_columns(in.at("covariate_coefs"), covariate_columns(c.levels), n_genes);
  c.gamma_star = matrix_from_columns(in.at("gamma_star"), c.levels.batches, n_genes);
  c.delta_star = matrix_from_columns(in.at("delta_star"), c.levels.batches, n_genes);
  return c;
}

}  // namespace

void write_reference(const FrozenReference& r, const std::string& path) {
  json doc = {{"format", "ifnsig-reference"},
              {"version", kReferenceFormatVersion},
              {"ifnsig_version", r.ifnsig_version},
              {"command_line", r.command_line},
              {"method", to_string(r.factors.method)},
              {"transform", to_string(r.transform.kind)},
              {"transform_params",
               {{"prior_count", r.transform.prior_count},
                {"pseudocount", r.transform.pseudocount},
                {"vst_subsample", r.transform.vst_subsample}}},
              {"samples", r.samples},
              {"genes", r.genes},
              {"factors", factors_json(r.factors)}};
  if (!r.inputs.empty()) doc["inputs"] = r.inputs;
  if (r.vst_trend) {
    doc["vst"] = {{"fit_type", "parametric"},
                  {"asympt_disp", r.vst_trend->asympt_disp},
                  {"extra_pois", r.vst_trend->extra_pois}};
  }
  if (r.combat) doc["combat"] = combat_json(*r.combat, r.batch_column);
  if (!r.normalizers.genes.empty()) {
    doc["normalizer_genes"] = {{"rule", "the genes counted at least " + std::to_string(static_cast<int>(kMinNormalizerCount)) +
                                            " times in every reference sample, outside the IFN panels, whose ratio "
                                            "to their geometric mean tracks the size factor best"},
                               {"genes", r.normalizers.genes},
                               {"scale", r.normalizers.scale},
                               {"max_size_factor_error", r.normalizers.max_size_factor_error}};
  }
  doc["score"] = json::parse(r.score_json);
  write_reference_file(path, std::move(doc));
}

FrozenReference read_reference(const std::string& path) {
  const json parsed = read_reference_file(path);
  if (!parsed.is_object() || parsed.value("format", json()) != "ifnsig-reference") {
    throw InputError(path, "", "not an ifnsig reference (\"format\" is not \"ifnsig-reference\")");
  }
  const JsonValue doc(parsed, path);
  const auto version = doc.at("version").integer();
  if (version != kReferenceFormatVersion) {
    throw InputError(path, "", "reference format version " + std::to_string(version) + " is not supported",
                     "refit the reference with this ifnsig (--save-reference)");
  }
  FrozenReference r;
  r.ifnsig_version = doc.at("ifnsig_version").string();
  if (doc.contains("command_line")) r.command_line = doc.at("command_line").string();
  if (doc.contains("inputs")) r.inputs = doc.at("inputs").string();
  r.samples = doc.at("samples").strings();
  r.genes = doc.at("genes").strings();
  r.factors = factors_from_json(doc.at("factors"));
  if (!r.factors.log_geo_means.empty() && r.factors.log_geo_means.size() != r.genes.size()) {
    doc.at("factors").at("log_geo_means").fail("does not hold one value per gene");
  }
  const JsonValue params = doc.at("transform_params");
  r.transform.kind = parse_transform(doc.at("transform").string());
  r.transform.prior_count = params.at("prior_count").number();
  r.transform.pseudocount = params.at("pseudocount").number();
  r.transform.vst_subsample = static_cast<std::size_t>(params.at("vst_subsample").integer());
  if (doc.contains("vst")) {
    const JsonValue vst = doc.at("vst");
    const auto fit_type = vst.contains("fit_type") ? vst.at("fit_type").string() : "parametric";
    if (fit_type != "parametric") {
      throw InputError(path, "vst.fit_type", quote_field(fit_type) + ": only a parametric VST trend can be frozen",
                       "refit the reference with --vst-fit parametric or another transform");
    }
    r.vst_trend = DispersionTrend{vst.at("asympt_disp").number(), vst.at("extra_pois").number()};
  }
  if (doc.contains("combat")) {
    r.batch_column = doc.at("combat").at("batch_column").string();
    r.combat = combat_from_json(doc.at("combat"), r.genes.size());
  }
  if (doc.contains("normalizer_genes")) {
    const JsonValue normalizers = doc.at("normalizer_genes");
    r.normalizers.genes = normalizers.at("genes").strings();
    r.normalizers.max_size_factor_error = normalizers.at("max_size_factor_error").number();
    // References written before the scale was kept apply the normalizers' factors as they are.
    if (normalizers.contains("scale")) r.normalizers.scale = normalizers.at("scale").number();
  }
  r.score_json = doc.contains("score") ? json_text(doc.at("score").json()) : "{}";
  return r;
}

FrozenReference targeted_reference(const FrozenReference& reference, const std::vector<std::string>& gene_ids,
                                   const std::string& source) {
  if (reference.normalizers.genes.empty()) {
    throw InputError(source, "normalizer_genes", "the reference holds no normalizer genes, over which a sample counted "
                                                 "for chosen genes only gets its size factor",
                     "fit the reference with ratio factors (ifnsig run, or ifnsig normalize --method ratio "
                     "--save-reference) with this ifnsig");
  }
  const auto kind = reference.transform.kind;
  if (!reference.batch_column.empty() || kind == TransformKind::kCpm || kind == TransformKind::kLogCpm ||
      kind == TransformKind::kTpm) {
    throw InputError(source, "", std::string("the reference's ") + (reference.batch_column.empty() ? "transform " + to_string(kind) : "ComBat correction") +
                                     " needs every gene of a sample, which counting chosen genes only does not give",
                     "use a reference with --transform counts, log2 or vst and no --batch");
  }
  std::unordered_map<std::string_view, std::size_t> present;
  for (std::size_t g = 0; g < gene_ids.size(); ++g) present.emplace(gene_ids[g], g);
  std::vector<std::string> missing;
  for (const auto& gene : reference.normalizers.genes) {
    if (!present.contains(gene)) missing.push_back(gene);
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i) list += (i ? ", " : "") + missing[i];
    throw InputError(source, "normalizer_genes", std::to_string(missing.size()) + " of its normalizer genes were not counted: " +
                                                     list + (missing.size() > 5 ? ", ..." : ""),
                     "count the samples with ifnsig count --genes " + source + " (its normalizer and panel genes)");
  }
  std::unordered_map<std::string_view, char> normalizer;
  for (const auto& gene : reference.normalizers.genes) normalizer.emplace(gene, 1);
  FrozenReference out = reference;
  out.factors.centering *= reference.normalizers.scale;
  out.genes.clear();
  out.factors.log_geo_means.clear();
  out.factors.control_genes.clear();
  for (std::size_t g = 0; g < reference.genes.size(); ++g) {
    if (!present.contains(reference.genes[g])) continue;
    out.genes.push_back(reference.genes[g]);
    out.factors.log_geo_means.push_back(reference.factors.log_geo_means[g]);
    out.factors.control_genes.push_back(normalizer.contains(reference.genes[g]) ? 1 : 0);
  }
  return out;
}

}  // namespace ifnsig::norm
