#include "ifnsig/score/score_reference.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/core/reference_file.hpp"

namespace ifnsig::score {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "ifnsig-reference";

// JSON has no NaN: unknown numbers are stored as null.
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
double number_of(const JsonValue& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.number();
}

json to_json(const ScoreReference& reference, const std::string& created_by) {
  json genes = json::object();
  for (const auto& [id, s] : reference.genes) {
    genes[id] = {{"median", number(s.median)}, {"mean", number(s.mean)}, {"sd", number(s.sd)}};
  }
  json thresholds = json::array();
  for (const auto& t : reference.thresholds) {
    json scores = json::array();
    for (double v : t.control_scores) scores.push_back(number(v));
    thresholds.push_back({{"panel", t.panel}, {"method", t.method}, {"value", number(t.threshold.value)},
                          {"rule", t.threshold.rule}, {"control_scores", scores}});
  }
  return {{"score_reference_version", kScoreReferenceVersion},
          {"created_by", created_by},
          {"control_group", reference.control_group},
          {"control_samples", reference.control_samples},
          {"input_scale", reference.input_scale},
          {"genes", genes},
          {"thresholds", thresholds}};
}

// The file save_score_reference(path) updates: empty when there is none; InputError when it is not an
// ifnsig reference or its checksum does not match (saving would seal the edit with a new checksum).
json existing_reference(const std::string& path) {
  if (!std::filesystem::exists(path)) return json::object();
  json root = read_reference_file(path);
  if (!root.is_object() || (root.contains("format") && root["format"] != kFormat)) {
    throw InputError(path, "", "exists and is not an ifnsig reference; refusing to overwrite it");
  }
  return root;
}

}  // namespace

const Threshold* ScoreReference::find_threshold(const std::string& panel, const std::string& method) const {
  for (const auto& t : thresholds) {
    if (t.panel == panel && t.method == method) return &t.threshold;
  }
  return nullptr;
}

std::vector<GeneStats> ScoreReference::stats_for(const std::vector<std::string>& gene_ids) const {
  std::vector<GeneStats> stats(gene_ids.size());
  for (std::size_t row = 0; row < gene_ids.size(); ++row) {
    auto it = genes.find(gene_ids[row]);
    if (it != genes.end()) stats[row] = it->second;
  }
  return stats;
}

ScoreReference load_score_reference(const std::string& path) {
  const json root = read_reference_file(path);
  if (!root.is_object() || root.value("format", json()) != kFormat) {
    throw InputError(path, "", "not an ifnsig reference (top-level \"format\" is not \"ifnsig-reference\")");
  }
  if (!root.contains("score") || !root["score"].is_object()) {
    throw InputError(path, "", "the reference has no \"score\" object",
                     "write one with: ifnsig score ... --save-reference " + path);
  }
  const JsonValue score = JsonValue(root, path).at("score");
  if (score.contains("score_reference_version") && score.at("score_reference_version").integer() > kScoreReferenceVersion) {
    throw InputError(path, "", "the \"score\" object is newer than this ifnsig understands",
                     "upgrade ifnsig or re-create the reference");
  }
  ScoreReference reference;
  if (score.contains("control_group")) reference.control_group = score.at("control_group").string();
  if (score.contains("control_samples")) reference.control_samples = score.at("control_samples").strings();
  if (score.contains("input_scale")) reference.input_scale = score.at("input_scale").string();
  for (const auto& [id, s] : score.at("genes").members()) {
    reference.genes[id] = GeneStats{number_of(s.at("median")), number_of(s.at("mean")), number_of(s.at("sd")), true};
  }
  for (const auto& t : score.at("thresholds").elements()) {
    std::vector<double> control_scores;
    if (t.contains("control_scores")) {
      for (const auto& v : t.at("control_scores").elements()) control_scores.push_back(number_of(v));
    }
    Threshold stored = stored_threshold(number_of(t.at("value")), t.at("rule").string(), control_scores);
    reference.thresholds.push_back(
        {t.at("panel").string(), t.at("method").string(), std::move(stored), std::move(control_scores)});
  }
  return reference;
}

void check_score_reference_target(const std::string& path) { existing_reference(path); }

void save_score_reference(const std::string& path, const ScoreReference& reference, const std::string& created_by) {
  json root = existing_reference(path);
  if (!root.contains("format")) root["format"] = kFormat;
  if (!root.contains("version")) root["version"] = 1;
  root["score"] = to_json(reference, created_by);
  write_reference_file(path, std::move(root));
}

}  // namespace ifnsig::score
