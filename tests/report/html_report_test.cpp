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
    row.status.counts[static_cast<std::size_t>(count::ReadStatus::kAssigned)] = 900;
    row.status.counts[static_cast<std::size_t>(count::ReadStatus::kNoFeatures)] = 100;
    data.qc.push_back(row);
    data.order.push_back(i);
  }
  for (const char* name : {"rice6", "feng5"}) {
    PanelScores panel{name, "rice", 2.5, "controls mean+2sd", 6, 6, {}, {}, "", std::nan(""), {}, {}, {}};
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

// Two more panels, type I and type II, with hand-set calls: sample i is I, II, I+II or none by i % 4.
ReportData with_types(int n) {
  ReportData data = cohort(n);
  const char* kCalls[] = {"I", "II", "I+II", "none"};
  for (const char* response : {"type I", "type II"}) {
    PanelScores panel{response[5] == 'I' && response[6] == 'I' ? "ifn2_specific" : "ifn1_specific", "rice", 2.0,
                      "controls mean+2sd", 7, 7, {}, {}, "", std::nan(""), {}, {}, {}};
    panel.response = response;
    panel.control_sd = 0.5;
    data.panels.push_back(panel);
  }
  data.response.type_i = 2;
  data.response.type_ii = 3;
  data.response.dominance_ratio = 2;
  for (int i = 0; i < n; ++i) {
    const std::string call = kCalls[i % 4];
    const bool i_high = call == "I" || call == "I+II", ii_high = call == "II" || call == "I+II";
    data.panels[2].points.push_back({i, i_high ? 4.0 + i % 3 : 1.0, i_high ? "high" : "low"});
    data.panels[3].points.push_back({i, ii_high ? 3.5 : 0.8 + 0.01 * i, ii_high ? "high" : "low"});
    data.response.call.push_back(call);
    data.response.excess_i.push_back((data.panels[2].points.back().score - 2.0) / 0.5);
    data.response.excess_ii.push_back((data.panels[3].points.back().score - 2.0) / 0.5);
  }
  return data;
}

TEST(HtmlReport, TypeIVersusTypeIIPlotAndDominantResponseColumn) {
  const std::string html = render_report_html(with_types(8));
  for (const char* needle : {"id=\"ifn-type-plot\"", "class=\"threshold-line threshold-type-i\"",
                             "class=\"threshold-line threshold-type-ii\"", "type I threshold 2", "type II threshold 2",
                             "<th>dominant response</th>", "data-dominant=\"I+II\"", "dominant response</text>",
                             "median fold change vs controls (log scale) - type I"}) {
    EXPECT_NE(html.find(needle), std::string::npos) << needle;
  }
  std::size_t points = 0;
  for (auto p = html.find("class=\"response-point"); p != std::string::npos; p = html.find("class=\"response-point", p + 1)) {
    ++points;
  }
  EXPECT_EQ(points, 8u);
  EXPECT_EQ(render_report_html(cohort(8)).find("ifn-type-plot"), std::string::npos);  // no pair, no plot
  std::ostringstream mqc;
  write_multiqc_table(mqc, with_types(4));
  EXPECT_NE(mqc.str().find("\tifn_dominant_response\tassigned_percent\n"), std::string::npos);
  EXPECT_NE(mqc.str().find("\tI+II\t90\n"), std::string::npos);
}

// Every figure carries axis titles and a legend; the threshold is labelled.
TEST(HtmlReport, FiguresHaveAxisTitlesLegendsAndLabelledThresholds) {
  const std::string html = render_report_html(with_types(12));
  for (const char* figure : {"<svg id=\"score-plot\"", "<svg id=\"ifn-type-plot\"", "<svg id=\"heatmap\"",
                             "<svg id=\"qc-plot\""}) {
    const auto start = html.find(figure);
    ASSERT_NE(start, std::string::npos) << figure;
    const std::string svg = html.substr(start, html.find("</svg>", start) - start);
    EXPECT_NE(svg.find("class=\"axis-title\""), std::string::npos) << figure;
    EXPECT_NE(svg.find("class=\"legend"), std::string::npos) << figure;
  }
  EXPECT_NE(html.find("class=\"threshold-label\""), std::string::npos);
  // Okabe-Ito colours only for calls: no red/green pair.
  EXPECT_EQ(html.find("#c0392b"), std::string::npos);
}

// 1,000 samples: strip plots thin to boxes with outliers, heatmap columns are binned, the page stays small.
TEST(HtmlReport, OneThousandSamplesStayUnderFiveMegabytesAndThinOut) {
  ReportData data = with_types(1000);
  for (int extra = 0; extra < 2; ++extra) {  // two 100-gene panels: 400 heatmap rows in all
    for (int g = 0; g < 100; ++g) {
      HeatmapRow row{extra == 0 ? "hallmark_ifna" : "hallmark_ifng", std::string("G").append(std::to_string(g)), {}};
      for (int i = 0; i < 1000; ++i) row.z.push_back(std::sin(i * 0.01 + g));
      data.heatmap.push_back(row);
    }
  }
  const std::string html = render_report_html(data);
  EXPECT_LT(html.size(), 5u * 1024 * 1024);
  EXPECT_NE(html.find("data-samples-per-column=\"5\""), std::string::npos);
  std::size_t circles = 0;
  for (auto p = html.find("<circle class=\"point"); p != std::string::npos; p = html.find("<circle class=\"point", p + 1)) {
    ++circles;
  }
  EXPECT_LT(circles, 4u * 1000u);  // thinned: fewer than one point per sample and panel
  EXPECT_NE(html.find("data-points-hidden=\""), std::string::npos);
  EXPECT_NE(html.find("<details class=\"large-table\"><summary>Show the table of 1000 samples</summary><table id=\"sample-table\""),
            std::string::npos);
  EXPECT_EQ(render_report_html(with_types(200)).find("<details"), std::string::npos);
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
