// report_data.json (report/report_data.hpp): a model written and read back is equal field for field and renders
// the same bytes; NaN and infinities survive; a file of another version or with an index out of range is refused.
#include "ifnsig/report/report_data.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "ifnsig/core/error.hpp"
#include "ifnsig/report/follow_up.hpp"
#include "ifnsig/report/html_report.hpp"
#include "ifnsig/report/sample_page.hpp"

namespace ifnsig::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Two panels (type I and type II), three samples of two subjects, numbers that need all 17 digits.
ReportData model() {
  ReportData data;
  data.provenance = {{"ifnsig", "0.1.0 (test)"}, {"started", "2026-01-01 00:00:00 UTC"}};
  data.extra_columns = {"age"};
  data.show_batch = true;
  data.groups = {"control", "patient"};
  data.control_group = "control";
  data.reference_samples = "the samples of group control";
  data.sample_pages = true;
  data.warnings = {"sample P2: only 40.0% of reads assigned to genes (below 50.0%)"};
  for (int i = 0; i < 3; ++i) {
    QcRow row;
    row.sample = "S" + std::to_string(i);
    row.group = i == 0 ? "control" : "patient";
    row.batch = "b1";
    row.extra = {std::to_string(40 + i)};
    row.paired = true;
    row.paired_source = "detected";
    row.strandedness = "reverse";
    row.strand_source = "sheet";
    row.detected_strandedness = "reverse";
    row.status.counts[0] = 1000 + static_cast<std::uint64_t>(i);
    row.status.counts[13] = 5000000000ULL;  // over 2^32
    row.counted = i != 1;
    data.qc.push_back(row);
  }
  data.order = {0, 2, 1};
  for (const char* response : {"type I", "type II"}) {
    PanelScores panel;
    panel.panel = std::string("p_") + response;
    panel.method = "rice";
    panel.threshold = 0.1 + 0.2;
    panel.threshold_rule = "controls mean+2sd (n=1)";
    panel.n_genes_used = 2;
    panel.n_members = 3;
    panel.missing = {"GONE"};
    panel.response = response;
    panel.control_sd = kNaN;
    panel.genes = {"A", "B"};
    for (int i = 0; i < 3; ++i) {
      panel.points.push_back({i, 1.0 / 3.0 + i, i == 0 ? "low" : "high"});
      panel.fold_change.push_back({std::exp(i * 0.7), i == 1 ? kNaN : 1e-300});
    }
    panel.reference_scores = {1.0 / 3.0, 5e-324};
    data.panels.push_back(panel);
  }
  data.heatmap.push_back({"p_type I", "A", {-kInf, 0.1, kInf}});
  data.response.type_i = 0;
  data.response.type_ii = 1;
  data.response.call = {"none", "I", "I+II"};
  data.response.excess_i = {kNaN, 1.5, 2.25};
  data.response.excess_ii = {kNaN, -0.5, 2.0};
  data.response.dominance_ratio = 2;
  data.follow_up = build_follow_up(data, {"", "subj", "subj"}, {"", "0", "28"}, "days", {});
  return data;
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::path(::testing::TempDir()) / name;
}

void expect_same_numbers(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isnan(a[k])) {
      EXPECT_TRUE(std::isnan(b[k])) << k;
    } else {
      EXPECT_EQ(a[k], b[k]) << k;  // exactly: shortest round-trip text
    }
  }
}

TEST(ReportData, ReadBackEqualAndRendersTheSameBytes) {
  const ReportData data = model();
  ASSERT_FALSE(data.follow_up.trajectories.empty());
  const auto path = temp_file("report_data_roundtrip.json");
  write_report_data(data, path);
  const ReportData back = read_report_data(path);
  EXPECT_EQ(back.provenance, data.provenance);
  EXPECT_EQ(back.qc.size(), 3u);
  EXPECT_EQ(back.qc[2].status.counts, data.qc[2].status.counts);
  EXPECT_EQ(back.qc[1].counted, false);
  EXPECT_EQ(back.order, data.order);
  ASSERT_EQ(back.panels.size(), 2u);
  EXPECT_EQ(back.panels[0].threshold, 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(back.panels[0].control_sd));
  expect_same_numbers(back.panels[1].fold_change[1], data.panels[1].fold_change[1]);
  expect_same_numbers(back.panels[1].fold_change[2], data.panels[1].fold_change[2]);
  expect_same_numbers(back.panels[0].reference_scores, data.panels[0].reference_scores);
  expect_same_numbers(back.heatmap[0].z, data.heatmap[0].z);
  expect_same_numbers(back.response.excess_i, data.response.excess_i);
  EXPECT_EQ(back.response.call, data.response.call);
  EXPECT_EQ(back.follow_up.trajectories.size(), data.follow_up.trajectories.size());
  EXPECT_EQ(back.follow_up.time_unit, "days");
  EXPECT_EQ(back.reference_samples, data.reference_samples);
  EXPECT_EQ(back.warnings, data.warnings);
  EXPECT_EQ(render_report_html(back), render_report_html(data));
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(render_sample_page(back, i), render_sample_page(data, i)) << i;
  std::ostringstream a, b;
  write_trajectories(a, data);
  write_trajectories(b, back);
  EXPECT_EQ(a.str(), b.str());
  std::filesystem::remove(path);
}

// Writes `data`'s file with `from` replaced by `to` and returns the error reading it gives.
std::string error_after_edit(const std::string& from, const std::string& to) {
  const auto path = temp_file("report_data_edited.json");
  write_report_data(model(), path);
  std::string text;
  {
    std::ifstream in(path);
    std::getline(in, text);
  }
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(path) << text << '\n';
  try {
    read_report_data(path);
  } catch (const InputError& error) {
    std::filesystem::remove(path);
    return error.what();
  }
  std::filesystem::remove(path);
  return "no error";
}

TEST(ReportData, AnotherVersionOrAnIndexOutOfRangeIsRefused) {
  const std::string version = error_after_edit("\"report_data_version\":1", "\"report_data_version\":7");
  EXPECT_NE(version.find("report data version 7; this ifnsig reads version 1"), std::string::npos) << version;
  const std::string index = error_after_edit("\"order\":[0,2,1]", "\"order\":[0,3,1]");
  EXPECT_NE(index.find("key '/order/1': index 3 out of range (3 entries)"), std::string::npos) << index;
  const std::string format = error_after_edit("\"format\":\"ifnsig-report-data\"", "\"format\":\"other\"");
  EXPECT_NE(format.find("not an ifnsig report data file"), std::string::npos) << format;
}

}  // namespace
}  // namespace ifnsig::report
