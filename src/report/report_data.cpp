#include "ifnsig/report/report_data.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"

namespace ifnsig::report {

double QcRow::assigned_fraction() const {
  if (!status_known()) return std::numeric_limits<double>::quiet_NaN();
  const auto total = status.total();
  return total == 0 ? 0.0 : static_cast<double>(status[count::ReadStatus::kAssigned]) / static_cast<double>(total);
}

namespace {

using nlohmann::json;

constexpr const char* kFormat = "ifnsig-report-data";

// JSON has no NaN or infinity.
json number(double value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}
json numbers(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(number(v));
  return out;
}
double number_of(const JsonValue& value) {
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (value.json().is_string()) {
    const std::string text = value.string();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    value.fail("expected a number, null, \"inf\" or \"-inf\", found \"" + text + "\"");
  }
  return value.number();
}
std::vector<double> numbers_of(const JsonValue& value) {
  std::vector<double> out;
  for (const auto& element : value.elements()) out.push_back(number_of(element));
  return out;
}
int int_of(const JsonValue& value) { return static_cast<int>(value.integer()); }
// An index into a list of `size` (or -1 when `none_allowed`); the renderers index with it unchecked.
int index_of(const JsonValue& value, std::size_t size, bool none_allowed = false) {
  const auto i = value.integer();
  if (i < (none_allowed ? -1 : 0) || i >= static_cast<std::int64_t>(size)) {
    value.fail("index " + std::to_string(i) + " out of range (" + std::to_string(size) + " entries)");
  }
  return static_cast<int>(i);
}

json qc_json(const QcRow& row) {
  return {{"sample", row.sample},
          {"group", row.group},
          {"batch", row.batch},
          {"extra", row.extra},
          {"paired", row.paired},
          {"paired_source", row.paired_source},
          {"strandedness", row.strandedness},
          {"strand_source", row.strand_source},
          {"detected_strandedness", row.detected_strandedness},
          {"status", row.status.counts},
          {"targeted", row.targeted},
          {"counted", row.counted}};
}
QcRow qc_of(const JsonValue& v) {
  QcRow row;
  row.sample = v.at("sample").string();
  row.group = v.at("group").string();
  row.batch = v.at("batch").string();
  row.extra = v.at("extra").strings();
  row.paired = v.at("paired").boolean();
  row.paired_source = v.at("paired_source").string();
  row.strandedness = v.at("strandedness").string();
  row.strand_source = v.at("strand_source").string();
  row.detected_strandedness = v.at("detected_strandedness").string();
  const auto status = v.at("status").elements();
  if (status.size() != count::kReadStatusCount)
    v.at("status").fail("expected " + std::to_string(count::kReadStatusCount) + " counts");
  for (std::size_t k = 0; k < count::kReadStatusCount; ++k)
    row.status.counts[k] = static_cast<std::uint64_t>(status[k].integer());
  row.targeted = v.at("targeted").boolean();
  row.counted = v.at("counted").boolean();
  return row;
}

json panel_json(const PanelScores& panel) {
  json points = json::array();
  for (const auto& p : panel.points) points.push_back({{"sample", p.sample}, {"score", number(p.score)}, {"call", p.call}});
  json fold_change = json::array();
  for (const auto& sample : panel.fold_change) fold_change.push_back(numbers(sample));
  return {{"panel", panel.panel},
          {"method", panel.method},
          {"threshold", number(panel.threshold)},
          {"threshold_rule", panel.threshold_rule},
          {"n_genes_used", panel.n_genes_used},
          {"n_members", panel.n_members},
          {"missing", panel.missing},
          {"points", points},
          {"response", panel.response},
          {"control_sd", number(panel.control_sd)},
          {"genes", panel.genes},
          {"fold_change", fold_change},
          {"reference_scores", numbers(panel.reference_scores)}};
}
PanelScores panel_of(const JsonValue& v, std::size_t n_samples) {
  PanelScores panel;
  panel.panel = v.at("panel").string();
  panel.method = v.at("method").string();
  panel.threshold = number_of(v.at("threshold"));
  panel.threshold_rule = v.at("threshold_rule").string();
  panel.n_genes_used = int_of(v.at("n_genes_used"));
  panel.n_members = static_cast<std::size_t>(v.at("n_members").integer());
  panel.missing = v.at("missing").strings();
  for (const auto& p : v.at("points").elements()) {
    panel.points.push_back({index_of(p.at("sample"), n_samples), number_of(p.at("score")), p.at("call").string()});
  }
  panel.response = v.at("response").string();
  panel.control_sd = number_of(v.at("control_sd"));
  panel.genes = v.at("genes").strings();
  for (const auto& sample : v.at("fold_change").elements()) panel.fold_change.push_back(numbers_of(sample));
  panel.reference_scores = numbers_of(v.at("reference_scores"));
  return panel;
}

json follow_up_json(const FollowUp& f) {
  json trajectories = json::array();
  for (const auto& t : f.trajectories) {
    json points = json::array();
    for (const auto& p : t.points) {
      points.push_back({{"sample", p.sample}, {"x", number(p.x)}, {"score", number(p.score)}, {"call", p.call}});
    }
    trajectories.push_back({{"subject", t.subject}, {"panel", t.panel}, {"points", points}});
  }
  return {{"numeric_time", f.numeric_time},
          {"time_unit", f.time_unit},
          {"visits", f.visits},
          {"time", f.time},
          {"trajectories", trajectories},
          {"single_sample_subjects", f.single_sample_subjects}};
}
FollowUp follow_up_of(const JsonValue& v, std::size_t n_samples, std::size_t n_panels) {
  FollowUp f;
  f.numeric_time = v.at("numeric_time").boolean();
  f.time_unit = v.at("time_unit").string();
  f.visits = v.at("visits").strings();
  f.time = v.at("time").strings();
  for (const auto& t : v.at("trajectories").elements()) {
    Trajectory trajectory{t.at("subject").string(), static_cast<std::size_t>(index_of(t.at("panel"), n_panels)), {}};
    for (const auto& p : t.at("points").elements()) {
      trajectory.points.push_back(
          {index_of(p.at("sample"), n_samples), number_of(p.at("x")), number_of(p.at("score")), p.at("call").string()});
    }
    f.trajectories.push_back(std::move(trajectory));
  }
  f.single_sample_subjects = v.at("single_sample_subjects").strings();
  return f;
}

json report_json(const ReportData& data) {
  json provenance = json::array();
  for (const auto& [key, value] : data.provenance) provenance.push_back({key, value});
  json qc = json::array();
  for (const auto& row : data.qc) qc.push_back(qc_json(row));
  json panels = json::array();
  for (const auto& panel : data.panels) panels.push_back(panel_json(panel));
  json heatmap = json::array();
  for (const auto& row : data.heatmap) heatmap.push_back({{"panel", row.panel}, {"gene", row.gene}, {"z", numbers(row.z)}});
  const ResponseComparison& r = data.response;
  return {{"format", kFormat},
          {"report_data_version", kReportDataVersion},
          {"title", data.title},
          {"provenance", provenance},
          {"extra_columns", data.extra_columns},
          {"show_batch", data.show_batch},
          {"groups", data.groups},
          {"qc", qc},
          {"panels", panels},
          {"order", data.order},
          {"heatmap", heatmap},
          {"response",
           {{"type_i", r.type_i},
            {"type_ii", r.type_ii},
            {"call", r.call},
            {"excess_i", numbers(r.excess_i)},
            {"excess_ii", numbers(r.excess_ii)},
            {"dominance_ratio", number(r.dominance_ratio)}}},
          {"follow_up", follow_up_json(data.follow_up)},
          {"control_group", data.control_group},
          {"reference_samples", data.reference_samples},
          {"sample_pages", data.sample_pages},
          {"warnings", data.warnings}};
}

}  // namespace

void write_report_data(const ReportData& data, const std::filesystem::path& path) {
  AtomicFile file(path);
  file.stream() << json_text(report_json(data)) << '\n';
  file.commit();
}

ReportData read_report_data(const std::filesystem::path& path) {
  const std::string name = path.string();
  const json root = read_json_file(name);
  const JsonValue v(root, name);
  if (!root.is_object() || root.value("format", json()) != kFormat) {
    throw InputError(name, "", std::string("not an ifnsig report data file (top-level \"format\" is not \"") + kFormat +
                                   "\")");
  }
  if (const auto version = v.at("report_data_version").integer(); version != kReportDataVersion) {
    throw InputError(name, "", "report data version " + std::to_string(version) + "; this ifnsig reads version " +
                                   std::to_string(kReportDataVersion),
                     "rerun `ifnsig run` with the same arguments and -o: it reuses the counts and rewrites the file");
  }
  ReportData data;
  data.title = v.at("title").string();
  for (const auto& pair : v.at("provenance").elements()) {
    const auto items = pair.strings();
    if (items.size() != 2) pair.fail("expected [key, value]");
    data.provenance.emplace_back(items[0], items[1]);
  }
  data.extra_columns = v.at("extra_columns").strings();
  data.show_batch = v.at("show_batch").boolean();
  data.groups = v.at("groups").strings();
  for (const auto& row : v.at("qc").elements()) data.qc.push_back(qc_of(row));
  for (const auto& panel : v.at("panels").elements()) data.panels.push_back(panel_of(panel, data.qc.size()));
  for (const auto& i : v.at("order").elements()) data.order.push_back(index_of(i, data.qc.size()));
  for (const auto& row : v.at("heatmap").elements()) {
    data.heatmap.push_back({row.at("panel").string(), row.at("gene").string(), numbers_of(row.at("z"))});
  }
  const JsonValue r = v.at("response");
  data.response.type_i = index_of(r.at("type_i"), data.panels.size(), true);
  data.response.type_ii = index_of(r.at("type_ii"), data.panels.size(), true);
  data.response.call = r.at("call").strings();
  data.response.excess_i = numbers_of(r.at("excess_i"));
  data.response.excess_ii = numbers_of(r.at("excess_ii"));
  data.response.dominance_ratio = number_of(r.at("dominance_ratio"));
  data.follow_up = follow_up_of(v.at("follow_up"), data.qc.size(), data.panels.size());
  data.control_group = v.at("control_group").string();
  data.reference_samples = v.at("reference_samples").string();
  data.sample_pages = v.at("sample_pages").boolean();
  data.warnings = v.at("warnings").strings();
  const std::size_t n = data.qc.size();
  if (data.order.size() != n) v.at("order").fail("expected one entry per sample (" + std::to_string(n) + ")");
  for (const auto& panel : data.panels) {
    if (panel.points.size() != n || (!panel.fold_change.empty() && panel.fold_change.size() != n)) {
      v.at("panels").fail("panel " + panel.panel + ": expected one point and fold-change list per sample");
    }
  }
  for (const auto& row : data.heatmap) {
    if (row.z.size() != n) v.at("heatmap").fail("gene " + row.gene + ": expected one z-score per sample");
  }
  if (data.response.present() && (data.response.call.size() != n || data.response.excess_i.size() != n ||
                                  data.response.excess_ii.size() != n)) {
    r.fail("expected one call and excess per sample");
  }
  return data;
}

}  // namespace ifnsig::report
