// The one-page sample report (report/sample_page.hpp) on a hand-made cohort: percentiles among the control
// samples, the research-use statement, fold-change bars, QC flags, print rules, no scripts.
#include "ifnsig/report/sample_page.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "ifnsig/report/html_report.hpp"

namespace ifnsig::report {
namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

// Four controls scoring 1, 2, 3, 4 and two patients scoring 2.5 and 9 on one panel of 30 genes.
ReportData cohort() {
  ReportData data;
  data.provenance = {{"ifnsig", "0.1.0 (test)"}, {"command", "ifnsig run --long"}, {"normalization", "DESeq2"}};
  data.groups = {"control", "patient"};
  data.control_group = "control";
  data.reference_samples = "the samples of group control";
  data.extra_columns = {"age"};
  const double scores[] = {1, 2, 3, 4, 2.5, 9};
  PanelScores panel{"rice6", "rice", 4.5, "controls mean+2sd (n=4)", 30, 30, {}, {}, "", std::nan(""), {}, {}, {}};
  for (int i = 0; i < 6; ++i) {
    QcRow row;
    row.sample = i < 4 ? "C" + std::to_string(i) : "P" + std::to_string(i);
    row.group = i < 4 ? "control" : "patient";
    row.extra = {std::to_string(30 + i)};
    row.strandedness = "reverse";
    row.strand_source = i == 5 ? "sheet" : "detected";
    row.detected_strandedness = i == 5 ? "unstranded" : "reverse";
    row.status.counts[static_cast<std::size_t>(count::ReadStatus::kAssigned)] = i == 5 ? 400 : 900;
    row.status.counts[static_cast<std::size_t>(count::ReadStatus::kNoFeatures)] = 600;
    data.qc.push_back(row);
    data.order.push_back(i);
    panel.points.push_back({i, scores[i], scores[i] > 4.5 ? "high" : "low"});
  }
  panel.reference_scores = {1, 2, 3, 4};
  for (int g = 0; g < 30; ++g) panel.genes.push_back("G" + std::to_string(g));
  for (int i = 0; i < 6; ++i) {
    std::vector<double> fc;
    for (int g = 0; g < 30; ++g) fc.push_back(g == 0 ? std::nan("") : std::exp2((g % 7) - 3.0 + (i == 5 ? 3 : 0)));
    panel.fold_change.push_back(fc);
  }
  data.panels.push_back(panel);
  return data;
}

TEST(SamplePage, PercentileAmongTheReferenceSamples) {
  const ReportData data = cohort();
  EXPECT_DOUBLE_EQ(reference_percentile(data.panels[0], 2.5), 50.0);  // 1 and 2 of 1, 2, 3, 4
  EXPECT_DOUBLE_EQ(reference_percentile(data.panels[0], 9), 100.0);
  EXPECT_DOUBLE_EQ(reference_percentile(data.panels[0], 0.5), 0.0);
  PanelScores no_reference = data.panels[0];
  no_reference.reference_scores.clear();
  EXPECT_TRUE(std::isnan(reference_percentile(no_reference, 2.5)));
}

TEST(SamplePage, OnePrintablePageWithoutScripts) {
  const ReportData data = cohort();
  const std::string html = render_sample_page(data, 5);
  for (const char* needle : {"<h1>Sample P5</h1>", "id=\"research-use\"", "not a diagnostic test", "id=\"sample-meta\"",
                             "<th>age</th><td>35</td>", "id=\"sample-scores\"", "100 (n=4)", "class=\"call-high\"",
                             "id=\"sample-genes\"", "the 16 largest changes of 30 genes", "id=\"sample-qc\"",
                             "only 40% of reads assigned", "the sheet says reverse, the reads look unstranded",
                             "id=\"sample-provenance\"", "DESeq2", "@page { size: A4", "@media print",
                             "href=\"../report.html\""}) {
    EXPECT_NE(html.find(needle), std::string::npos) << needle;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("ifnsig run --long"), std::string::npos);  // the command stays in the cohort report
  EXPECT_EQ(count(html, "<rect class=\"bar\""), 16u);
  const std::string control = render_sample_page(data, 1);
  EXPECT_NE(control.find("No QC flag applies."), std::string::npos);
  EXPECT_NE(control.find("50 (n=4)"), std::string::npos);
}

TEST(SamplePage, WrittenPerSampleAndLinkedFromTheCohortReport) {
  ReportData data = cohort();
  EXPECT_EQ(render_report_html(data).find("href=\"samples/"), std::string::npos);  // no pages, no links
  data.sample_pages = true;
  EXPECT_NE(render_report_html(data).find("<a href=\"samples/P5.html\">P5</a>"), std::string::npos);
  const auto dir = std::filesystem::path(::testing::TempDir()) / "ifnsig_sample_pages";
  std::filesystem::remove_all(dir);
  for (std::size_t i = 0; i < data.qc.size(); ++i) write_sample_page(data, i, dir);
  for (const char* id : {"C0", "C3", "P4", "P5"}) EXPECT_TRUE(std::filesystem::exists(dir / (std::string(id) + ".html")));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ifnsig::report
