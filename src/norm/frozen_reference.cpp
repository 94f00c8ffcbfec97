#include "ifnsig/norm/frozen_reference.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"

namespace ifnsig {
namespace {

using nlohmann::json;

// JSON has no infinities: -inf (a gene with a zero, unused by 'ratio') is stored as null.
json doubles_to_json(const std::vector<double>& values) {
  json out = json::array();
  for (const double v : values) out.push_back(std::isfinite(v) ? json(v) : json(nullptr));
  return out;
}

std::vector<double> doubles_from_json(const json& values) {
  std::vector<double> out;
  for (const auto& v : values) out.push_back(v.is_null() ? -std::numeric_limits<double>::infinity() : v.get<double>());
  return out;
}

json matrix_columns(const Eigen::MatrixXd& m, const std::vector<std::string>& names) {
  json out = json::object();
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    out[names.at(static_cast<std::size_t>(c))] = std::vector<double>(m.col(c).data(), m.col(c).data() + m.rows());
  }
  return out;
}

Eigen::MatrixXd matrix_from_columns(const json& object, const std::vector<std::string>& names, std::size_t rows) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(names.size()));
  for (std::size_t c = 0; c < names.size(); ++c) {
    const auto values = object.at(names[c]).get<std::vector<double>>();
    if (values.size() != rows) throw std::out_of_range("column " + quote_field(names[c]) + " has the wrong length");
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

FactorFit factors_from_json(const json& in) {
  FactorFit f;
  f.method = parse_factor_method(in.at("method").get<std::string>());
  f.centering = in.at("centering").get<double>();
  f.lib_geo_mean = in.at("lib_geo_mean").get<double>();
  f.eff_lib_geo_mean = in.at("eff_lib_geo_mean").get<double>();
  f.eff_lib_mean = in.at("eff_lib_mean").get<double>();
  if (in.contains("log_geo_means")) f.log_geo_means = doubles_from_json(in.at("log_geo_means"));
  if (in.contains("control_genes")) {
    for (const int v : in.at("control_genes")) f.control_genes.push_back(static_cast<char>(v));
  }
  if (in.contains("used_genes")) {
    for (const int v : in.at("used_genes")) f.used_genes.push_back(static_cast<char>(v));
  }
  if (in.contains("ref_column")) {
    const auto& ref = in.at("ref_column");
    f.ref_sample = ref.at("sample").get<std::string>();
    f.ref_lib_size = ref.at("lib_size").get<double>();
    f.ref_counts = ref.at("counts").get<std::vector<double>>();
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

CombatFit combat_from_json(const json& in, std::size_t n_genes) {
  CombatFit c;
  c.levels.batches = in.at("batches").get<std::vector<std::string>>();
  for (const auto& cov : in.at("covariates")) {
    c.levels.covariate_names.push_back(cov.at("column").get<std::string>());
    c.levels.covariate_levels.push_back(cov.at("levels").get<std::vector<std::string>>());
  }
  c.parametric = in.at("parametric").get<bool>();
  c.mean_only = in.at("mean_only").get<bool>();
  for (const int v : in.at("adjusted")) c.adjusted.push_back(static_cast<char>(v));
  c.grand_mean = in.at("grand_mean").get<std::vector<double>>();
  c.var_pooled = in.at("var_pooled").get<std::vector<double>>();
  c.covariate_coefs = matrix_from_columns(in.at("covariate_coefs"), covariate_columns(c.levels), n_genes);
  c.gamma_star = matrix_from_columns(in.at("gamma_star"), c.levels.batches, n_genes);
  c.delta_star = matrix_from_columns(in.at("delta_star"), c.levels.batches, n_genes);
  if (c.adjusted.size() != n_genes || c.grand_mean.size() != n_genes || c.var_pooled.size() != n_genes) {
    throw std::out_of_range("combat arrays do not have one value per gene");
  }
  return c;
}

}  // namespace

void write_reference(const FrozenReference& r, std::ostream& out) {
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
  if (r.vst_trend) {
    doc["vst"] = {{"fit_type", "parametric"},
                  {"asympt_disp", r.vst_trend->asympt_disp},
                  {"extra_pois", r.vst_trend->extra_pois}};
  }
  if (r.combat) doc["combat"] = combat_json(*r.combat, r.batch_column);
  doc["score"] = json::parse(r.score_json);
  out << json_text(doc, 1) << '\n';
}

FrozenReference read_reference(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot open the reference file", "check the --reference path");
  FrozenReference r;
  try {
    const json doc = json::parse(in);
    if (doc.value("format", "") != "ifnsig-reference") {
      throw InputError(path, "", "not an ifnsig reference (\"format\" is not \"ifnsig-reference\")");
    }
    const int version = doc.at("version").get<int>();
    if (version != kReferenceFormatVersion) {
      throw InputError(path, "", "reference format version " + std::to_string(version) + " is not supported",
                       "refit the reference with this ifnsig (--save-reference)");
    }
    r.ifnsig_version = doc.at("ifnsig_version").get<std::string>();
    r.command_line = doc.value("command_line", "");
    r.samples = doc.at("samples").get<std::vector<std::string>>();
    r.genes = doc.at("genes").get<std::vector<std::string>>();
    r.factors = factors_from_json(doc.at("factors"));
    const auto& params = doc.at("transform_params");
    r.transform.kind = parse_transform(doc.at("transform").get<std::string>());
    r.transform.prior_count = params.at("prior_count").get<double>();
    r.transform.pseudocount = params.at("pseudocount").get<double>();
    r.transform.vst_subsample = params.at("vst_subsample").get<std::size_t>();
    if (doc.contains("vst")) {
      const auto fit_type = doc["vst"].value("fit_type", "parametric");
      if (fit_type != "parametric") {
        throw InputError(path, "vst.fit_type", quote_field(fit_type) + ": only a parametric VST trend can be frozen",
                         "refit the reference with --vst-fit parametric or another transform");
      }
      r.vst_trend = DispersionTrend{doc["vst"].at("asympt_disp").get<double>(), doc["vst"].at("extra_pois").get<double>()};
    }
    if (doc.contains("combat")) {
      r.batch_column = doc["combat"].at("batch_column").get<std::string>();
      r.combat = combat_from_json(doc["combat"], r.genes.size());
    }
    r.score_json = doc.contains("score") ? json_text(doc["score"]) : "{}";
  } catch (const json::exception& error) {
    throw InputError(path, "", std::string("malformed reference JSON: ") + error.what());
  } catch (const std::out_of_range& error) {
    throw InputError(path, "", std::string("malformed reference JSON: ") + error.what());
  }
  const auto n_genes = r.genes.size();
  if (!r.factors.log_geo_means.empty() && r.factors.log_geo_means.size() != n_genes) {
    throw InputError(path, "factors.log_geo_means", "does not hold one value per gene");
  }
  return r;
}

}  // namespace ifnsig
