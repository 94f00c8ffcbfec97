#include "ifnsig/report/html_report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "ifnsig/report/multiqc.hpp"

namespace ifnsig::report {
namespace {

// A cohort of n samples (a third controls) with two panels of six genes each.
ReportData cohort(int n) {
  ReportData data;
  data.provenance = {{"ifnsig", "test"}, {"command", "ifnsig run --samples <a&b>.tsv"}};
  data.groups = {"control", "patient"};
  for (int i = 0; i < n; ++i) {
    QcRow row;
    row.sample = "S" + std::to_string(i);
    row.group = i % 3 == 0 ? "control" : "patient";
    row.strandedness = "reverse";
    row.strand_source = "detected";
    row.status.counts[static_cast<std::size_t>(ReadStatus::kAssigned)] = 900;
    row.status.counts[static_cast<std::size_t>(ReadStatus::kNoFeatures)] = 100;
    data.qc.push_back(row);
    data.order.push_back(i);
  }
  for (const char* name : {"rice6", "feng5"}) {
    PanelScores panel{name, "rice", 2.5, "controls mean+2sd", 6, 6, {}, {}};
    for (int i = 0; i < n; ++i) {
      const double score = 1 + (i % 3 == 0 ? 0.1 : 5.0) * std::sin(i) * std::sin(i);
      panel.points.push_back({i, score, score > 2.5 ? "high" : "low"});
    }
    data.panels.push_back(panel);
    for (int g = 0; g < 6; ++g) {
      HeatmapRow row{name, "GENE" + std::to_string(g), {}};
      for (int i = 0; i < n; ++i) row.z.push_back(g == 0 && i == 0 ? std::nan("") : std::cos(i + g) * 5);
      data.heatmap.push_back(row);
    }
  }
  data.warnings.push_back("sample S1: only 40% <assigned>");
  return data;
}

TEST(HtmlReport, HasTheStableElementsAndNoScriptOrNetwork) {
  const std::string html = render_report_html(cohort(12));
  for (const char* needle : {"id=\"score-plot\"", "class=\"threshold-line\"", "id=\"heatmap\"", "id=\"sample-table\"",
                             "id=\"qc-plot\"", "id=\"qc-table\"", "id=\"provenance\"", "id=\"warnings\""}) {
    EXPECT_NE(html.find(needle), std::string::npos) << needle;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://", html.find("<body")), html.find("http://www.w3.org/2000/svg", html.find("<body")));
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("&lt;a&amp;b&gt;.tsv"), std::string::npos);  // escaped provenance
  EXPECT_NE(html.find("40% &lt;assigned&gt;"), std::string::npos);
  for (const char* bad : {"\"nan", ">nan", "\"-nan", "\"inf", ">inf"}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
}

TEST(HtmlReport, OneHundredSamplesStayUnderTwoMegabytes) {
  const std::string html = render_report_html(cohort(100));
  EXPECT_LT(html.size(), 2u * 1024 * 1024);
  std::size_t rows = 0;
  for (auto p = html.find("<tr data-sample="); p != std::string::npos; p = html.find("<tr data-sample=", p + 1)) ++rows;
  EXPECT_EQ(rows, 100u);
}

TEST(Multiqc, CustomContentTableWithOneRowPerSample) {
  std::ostringstream out;
  write_multiqc_table(out, cohort(4));
  const std::string text = out.str();
  EXPECT_EQ(text.find("# id: 'ifnsig_scores'"), 0u);
  EXPECT_NE(text.find("# plot_type: 'table'"), std::string::npos);
  EXPECT_NE(text.find("Sample\tgroup\trice6_rice\trice6_rice_call\tfeng5_rice\tfeng5_rice_call\tassigned_percent\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nS3\tcontrol\t"), std::string::npos);
  EXPECT_NE(text.find("\t90\n"), std::string::npos);
}

}  // namespace
}  // namespace ifnsig::report
