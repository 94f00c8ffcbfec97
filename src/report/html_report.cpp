#include "ifnsig/report/html_report.hpp"

#include <algorithm>
#include <sstream>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/report/follow_up.hpp"
#include "ifnsig/report/report_data.hpp"
#include "svg_plots.hpp"

namespace ifnsig::report {
namespace {

using svg::escape;
using svg::number;

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0 auto;
       max-width: 1200px; padding: 1em 2em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.call-high { color: #b34700; font-weight: 600; } .call-low { color: #0072b2; } .call-NA { color: #888; }
.response-I { color: #0072b2; font-weight: 600; } .response-II { color: #b34700; font-weight: 600; }
.response-both { color: #a0467f; font-weight: 600; } .response-none, .response-NA { color: #666; }
.warnings li { color: #8a4b00; } .ok { color: #2d7a2d; }
.figure { overflow-x: auto; margin: 0.5em 0 1em 0; }
svg text { font-family: system-ui, Helvetica, Arial, sans-serif; font-size: 11px; fill: #333; }
svg .facet-title { font-size: 13px; font-weight: 600; } svg .axis { stroke: #555; } svg .grid { stroke: #eee; }
svg .axis-title, svg .legend-title { font-size: 11px; font-weight: 600; fill: #222; }
svg .threshold-line { stroke: #333; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .threshold-label { fill: #333; font-size: 10px; }
svg .point { stroke: #fff; stroke-width: 0.8; } svg .panel-separator { stroke: #333; stroke-width: 1; }
.legend-swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; vertical-align: middle; }
.meta { color: #666; font-size: 0.9em; }
)";

// Tables of more than kLargeTableRows samples are folded into a <details> element (open it to read them; no
// script needed): a browser then lays them out only when asked, which keeps a 1,000-sample report fast.
constexpr std::size_t kLargeTableRows = 200;

std::string open_large(const ReportData& data) {
  if (data.qc.size() <= kLargeTableRows) return {};
  return "<details class=\"large-table\"><summary>Show the table of " + std::to_string(data.qc.size()) +
         " samples</summary>";
}

std::string close_large(const ReportData& data) { return data.qc.size() <= kLargeTableRows ? "" : "</details>"; }

void provenance(std::ostringstream& out, const ReportData& data) {
  out << "<section id=\"provenance\"><h2>Run</h2><table>\n";
  for (const auto& [key, value] : data.provenance) {
    out << "<tr><th>" << escape(key) << "</th><td>" << escape(value) << "</td></tr>\n";
  }
  out << "</table></section>\n";
}

void warnings(std::ostringstream& out, const ReportData& data) {
  out << "<section id=\"warnings\"><h2>Warnings</h2>\n";
  if (data.warnings.empty()) {
    out << "<p class=\"ok\">No warnings.</p>\n";
  } else {
    out << "<ul class=\"warnings\">\n";
    for (const auto& w : data.warnings) out << "<li>" << escape(w) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</section>\n";
}

void qc_section(std::ostringstream& out, const ReportData& data) {
  const bool targeted = std::any_of(data.qc.begin(), data.qc.end(), [](const QcRow& row) { return row.targeted; });
  const bool given = std::any_of(data.qc.begin(), data.qc.end(), [](const QcRow& row) { return !row.counts_from.empty(); });
  out << "<section id=\"qc\"><h2>Read assignment</h2>\n<p class=\"meta\">"
      << (given ? "The counts were given (run --counts or --quant-dir), not counted from reads: read assignment "
                  "categories, paired-endness and strandedness are not known."
                : "Fraction of reads (pairs) per featureCounts category. Strandedness and paired-endness are taken "
                  "from the sheet or detected from the reads.")
      << (targeted ? " A sample counted for chosen genes only (run --targeted) has no categories: only the reads "
                     "of those genes were read."
                   : "")
      << "</p>\n"
      << "<div class=\"figure\">" << svg::qc_plot(data) << "</div>\n";
  out << open_large(data) << "<table id=\"qc-table\"><thead><tr><th>sample</th><th>reads (pairs) counted</th><th>assigned</th>"
         "<th>no features</th><th>ambiguous</th><th>multi-mapping</th><th>unmapped</th><th>layout</th>"
         "<th>strandedness</th><th>counts</th></tr></thead><tbody>\n";
  for (const auto& row : data.qc) {
    const double total = static_cast<double>(std::max<std::uint64_t>(1, row.status.total()));
    const auto pct = [&](count::ReadStatus s) {
      return !row.status_known() ? std::string("n/a") : number(100 * static_cast<double>(row.status[s]) / total) + "%";
    };
    if (!row.counts_from.empty()) {
      out << "<tr><td>" << escape(row.sample) << "</td><td>not counted</td><td class=\"num\">n/a</td><td class=\"num\">"
          << "n/a</td><td class=\"num\">n/a</td><td class=\"num\">n/a</td><td class=\"num\">n/a</td><td>not known"
          << "</td><td>not known</td><td>given: " << escape(row.counts_from) << "</td></tr>\n";
      continue;
    }
    out << "<tr><td>" << escape(row.sample) << "</td><td class=\"num\">"
        << (row.targeted ? std::string("chosen genes only") : std::to_string(row.status.total()))
        << "</td><td class=\"num\">" << pct(count::ReadStatus::kAssigned) << "</td><td class=\"num\">"
        << pct(count::ReadStatus::kNoFeatures) << "</td><td class=\"num\">" << pct(count::ReadStatus::kAmbiguity)
        << "</td><td class=\"num\">" << pct(count::ReadStatus::kMultiMapping) << "</td><td class=\"num\">"
        << pct(count::ReadStatus::kUnmapped) << "</td><td>" << (row.paired ? "paired" : "single") << " ("
        << escape(row.paired_source) << ")</td><td>" << escape(row.strandedness) << " (" << escape(row.strand_source);
    if (row.strand_source == "sheet" && !row.detected_strandedness.empty()) {
      out << "; reads: " << escape(row.detected_strandedness);
    }
    out << ")</td><td>" << (row.counted ? "counted" : "reused") << "</td></tr>\n";
  }
  out << "</tbody></table>" << close_large(data) << "</section>\n";
}

void scores_section(std::ostringstream& out, const ReportData& data) {
  out << "<section id=\"scores\"><h2>IFN scores by group</h2>\n<p class=\"meta\">Each point is a sample "
         "(<span class=\"legend-swatch\" style=\"background:#D55E00\"></span> high, "
         "<span class=\"legend-swatch\" style=\"background:#0072B2\"></span> low); boxes show quartiles, whiskers "
         "the furthest values within 1.5 IQR; the dashed line is the threshold. Groups of more than "
      << svg::kStripMaxPoints << " samples show the box with only their outliers.</p>\n<div class=\"figure\">"
      << svg::score_plot(data) << "</div>\n<table id=\"threshold-table\"><thead><tr><th>panel</th><th>method</th>"
      << "<th>genes used</th><th>threshold</th><th>rule</th><th>high</th></tr></thead><tbody>\n";
  for (const auto& panel : data.panels) {
    std::size_t high = 0;
    for (const auto& p : panel.points) high += p.call == "high" ? 1 : 0;
    out << "<tr><td>" << escape(panel.panel) << "</td><td>" << escape(panel.method) << "</td><td class=\"num\">"
        << panel.n_genes_used << " of " << panel.n_members << "</td><td class=\"num\">" << number(panel.threshold, 4)
        << "</td><td>" << escape(panel.threshold_rule) << "</td><td class=\"num\">" << high << " of "
        << panel.points.size() << "</td></tr>\n";
  }
  out << "</tbody></table></section>\n";
  out << "<section id=\"signature\"><h2>Panel genes</h2>\n<p class=\"meta\">z-score of each panel gene against the "
         "control group (or the reference): (x &minus; control mean) / control SD on normalized counts. Samples "
         "are ordered by their "
      << (data.panels.empty() ? std::string("sheet order")
                              : escape(data.panels.front().panel) + " score (" + escape(data.panels.front().method) + ")")
      << "; the top bar shows the group.</p>\n<div class=\"figure\">" << svg::heatmap(data) << "</div></section>\n";
}

std::string response_class(const std::string& call) {
  return "response-" + (call == "I+II" ? std::string("both") : call);
}

void response_section(std::ostringstream& out, const ReportData& data) {
  const ResponseComparison& r = data.response;
  if (!r.present()) return;
  const PanelScores& a = data.panels[static_cast<std::size_t>(r.type_i)];
  const PanelScores& b = data.panels[static_cast<std::size_t>(r.type_ii)];
  out << "<section id=\"ifn-types\"><h2>Type I vs type II interferon</h2>\n<p class=\"meta\">Each sample's "
      << escape(a.panel) << " score (type I: IFN-&alpha;/&beta;-induced genes that the IFN-&gamma; curations do not "
         "list) against its "
      << escape(b.panel)
      << " score (type II: IFN-&gamma; genes that no type I curation lists), each with its own threshold. Dominant "
         "response: the panel that is high; when both are, the one whose excess over its threshold, in SDs of the "
         "controls' scores, is at least "
      << number(r.dominance_ratio) << " times the other's, else <em>both</em>. The two panels are derived "
         "from curated lists and not validated on stimulated samples; they are research results and call for "
         "different treatments only after clinical review (docs/score.md).</p>\n<div class=\"figure\">"
      << svg::response_plot(data) << "</div>\n</section>\n";
}

void follow_up_section(std::ostringstream& out, const ReportData& data) {
  const FollowUp& f = data.follow_up;
  if (!f.present()) return;
  out << "<section id=\"followup\"><h2>Follow-up</h2>\n<p class=\"meta\">Each subject's samples in time order ("
      << (f.numeric_time ? "time" + (f.time_unit.empty() ? std::string() : " in " + escape(f.time_unit))
                         : "visits: " + escape(io::join(f.visits, ", ")))
      << "); the first is the baseline. The dashed line is the threshold, the grey band the range of the control "
         "samples' scores in this run. Filled points are high calls. <code>trajectories.tsv</code> holds every "
         "change from baseline.</p>\n";
  for (std::size_t p = 0; p < data.panels.size(); ++p) {
    const std::string plot = svg::trajectory_plot(data, p);
    if (plot.empty()) continue;
    const PanelScores& panel = data.panels[p];
    out << "<h3>" << escape(panel.panel) << " (" << escape(panel.method) << ")</h3>\n<div class=\"figure\">" << plot
        << "</div>\n<table class=\"followup-table\"><thead><tr><th>subject</th><th>time</th><th>sample</th><th>score</th>"
           "<th>fold change from baseline</th><th>call</th></tr></thead><tbody>\n";
    for (const auto& t : f.trajectories) {
      if (t.panel != p) continue;
      const TrajectoryPoint& base = t.points.front();
      for (const auto& point : t.points) {
        out << "<tr><td>" << escape(t.subject) << "</td><td>" << escape(f.time[static_cast<std::size_t>(point.sample)])
            << "</td><td>" << escape(data.qc[static_cast<std::size_t>(point.sample)].sample) << "</td><td class=\"num\">"
            << number(point.score, 4) << "</td><td class=\"num\">" << number(fold_change_from_baseline(t, point))
            << "</td><td class=\"call-" << escape(point.call) << "\">" << escape(point.call)
            << (point.call != base.call ? " (changed)" : "") << "</td></tr>\n";
      }
    }
    out << "</tbody></table>\n";
  }
  if (!f.single_sample_subjects.empty()) {
    out << "<p class=\"meta\" id=\"followup-single\">Subjects with one sample (not drawn): "
        << escape(io::join(f.single_sample_subjects, ", ")) << ".</p>\n";
  }
  out << "</section>\n";
}

void sample_table(std::ostringstream& out, const ReportData& data) {
  out << "<section id=\"samples\"><h2>Samples</h2>\n" << open_large(data) << "<table id=\"sample-table\"><thead><tr><th>sample</th>"
         "<th>group</th>" << (data.show_batch ? "<th>batch</th>" : "");
  for (const auto& column : data.extra_columns) out << "<th>" << escape(column) << "</th>";
  for (const auto& panel : data.panels) {
    out << "<th>" << escape(panel.panel) << " (" << escape(panel.method) << ")</th><th>call</th>";
  }
  if (data.response.present()) out << "<th>dominant response</th><th>type I excess (SD)</th><th>type II excess (SD)</th>";
  out << "<th>assigned</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    const QcRow& row = data.qc[i];
    out << "<tr data-sample=\"" << escape(row.sample) << '"';
    if (data.response.present()) out << " data-dominant=\"" << escape(data.response.call[i]) << '"';
    out << "><td>";
    if (data.sample_pages) {
      out << "<a href=\"samples/" << escape(row.sample) << ".html\">" << escape(row.sample) << "</a>";
    } else {
      out << escape(row.sample);
    }
    out << "</td><td>" << escape(row.group) << "</td>";
    if (data.show_batch) out << "<td>" << escape(row.batch) << "</td>";
    for (const auto& value : row.extra) out << "<td>" << escape(value) << "</td>";
    for (const auto& panel : data.panels) {
      const ScorePoint* point = nullptr;
      for (const auto& p : panel.points) point = p.sample == static_cast<int>(i) ? &p : point;
      if (point == nullptr) {
        out << "<td></td><td></td>";
        continue;
      }
      out << "<td class=\"num\">" << number(point->score, 4) << "</td><td class=\"call-" << escape(point->call)
          << "\">" << escape(point->call) << "</td>";
    }
    if (data.response.present()) {
      const std::string& call = data.response.call[i];
      out << "<td class=\"" << response_class(call) << "\">" << (call == "I+II" ? "both" : escape(call))
          << "</td><td class=\"num\">" << number(data.response.excess_i[i]) << "</td><td class=\"num\">"
          << number(data.response.excess_ii[i]) << "</td>";
    }
    out << "<td class=\"num\">" << (!row.status_known() ? std::string("n/a") : number(100 * row.assigned_fraction()) + "%")
        << "</td></tr>\n";
  }
  out << "</tbody></table>" << close_large(data) << "</section>\n";
}

}  // namespace

std::string render_report_html(const ReportData& data) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
      << escape(data.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>" << escape(data.title)
      << "</h1>\n<p class=\"meta\">" << data.qc.size() << " samples, " << data.panels.size()
      << " panel/method combinations. Calls: a score above the threshold is <span class=\"call-high\">high</span>."
      << "</p>\n";
  warnings(out, data);
  scores_section(out, data);
  response_section(out, data);
  follow_up_section(out, data);
  sample_table(out, data);
  qc_section(out, data);
  provenance(out, data);
  out << "</body>\n</html>\n";
  return out.str();
}

void write_report_html(const ReportData& data, const std::filesystem::path& path) {
  AtomicFile file(path);
  file.stream() << render_report_html(data);
  file.commit();
}

}  // namespace ifnsig::report
