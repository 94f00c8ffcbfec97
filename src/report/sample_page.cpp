#include "ifnsig/report/sample_page.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "ifnsig/core/atomic_file.hpp"
#include "svg_plots.hpp"

namespace ifnsig::report {
namespace {

using svg::escape;
using svg::number;

// Compact enough for one A4 or Letter page; the print rules drop the screen margins and keep sections whole.
constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0 auto;
       max-width: 820px; padding: 0.8em 1.5em; color: #222; font-size: 13px; }
h1 { font-size: 1.4em; margin: 0.2em 0; } h2 { font-size: 1.05em; border-bottom: 1px solid #ddd; margin: 0.9em 0 0.3em 0; }
table { border-collapse: collapse; font-size: 0.92em; margin: 0.3em 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: middle; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.call-high { color: #b34700; font-weight: 600; } .call-low { color: #0072b2; } .call-NA { color: #888; }
.research { border: 2px solid #b34700; padding: 0.4em 0.7em; margin: 0.5em 0; font-weight: 600; }
.meta { color: #555; } .ok { color: #2d7a2d; } .flags li { color: #8a4b00; }
.genes { display: flex; flex-wrap: wrap; gap: 0.2em 1em; } figure { margin: 0.2em 0; }
figcaption { font-size: 0.9em; font-weight: 600; }
svg text { font-family: system-ui, Helvetica, Arial, sans-serif; font-size: 9px; fill: #333; }
svg .threshold-line { stroke: #333; stroke-width: 1.2; stroke-dasharray: 4 3; }
@page { size: A4; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10px; }
  h2 { margin-top: 0.5em; } section { break-inside: avoid; } a { color: inherit; text-decoration: none; }
}
)";

// A 160 x 22 strip: the reference samples' scores as ticks, the threshold dashed, this sample as a dot.
std::string strip(const std::vector<double>& reference, double threshold, double score, const std::string& call) {
  constexpr double kWidth = 160, kHeight = 22, kPad = 6;
  std::vector<double> values = reference;
  values.push_back(score);
  if (std::isfinite(threshold)) values.push_back(threshold);
  double lo = *std::min_element(values.begin(), values.end()), hi = *std::max_element(values.begin(), values.end());
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const auto x = [&](double v) { return kPad + (v - lo) / (hi - lo) * (kWidth - 2 * kPad); };
  std::ostringstream out;
  out << "<svg class=\"strip\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << ' ' << kHeight << "\" role=\"img\" aria-label=\"score among the reference "
      << "samples\"><line x1=\"" << kPad << "\" x2=\"" << kWidth - kPad << "\" y1=\"11\" y2=\"11\" stroke=\"#ccc\"/>";
  for (double v : reference) {
    out << "<line x1=\"" << number(x(v), 5) << "\" x2=\"" << number(x(v), 5)
        << "\" y1=\"6\" y2=\"16\" stroke=\"#0072B2\" stroke-opacity=\"0.6\"/>";
  }
  if (std::isfinite(threshold)) {
    out << "<line class=\"threshold-line\" x1=\"" << number(x(threshold), 5) << "\" x2=\"" << number(x(threshold), 5)
        << "\" y1=\"1\" y2=\"21\"/>";
  }
  out << "<circle cx=\"" << number(x(score), 5) << "\" cy=\"11\" r=\"4.5\" fill=\"" << svg::call_colour(call)
      << "\" stroke=\"#222\"/></svg>";
  return out.str();
}

// Horizontal bars of log2 fold change, at most kSamplePageMaxBars (the largest either way), in panel order.
std::string fold_change_bars(const PanelScores& panel, const std::vector<double>& fold_change, std::size_t& shown) {
  std::vector<std::size_t> genes;
  for (std::size_t g = 0; g < panel.genes.size() && g < fold_change.size(); ++g) genes.push_back(g);
  const auto size = [&](std::size_t g) {
    const double fc = fold_change[g];
    return std::isfinite(fc) && fc > 0 ? std::abs(std::log2(fc)) : -1.0;
  };
  if (genes.size() > kSamplePageMaxBars) {
    std::stable_sort(genes.begin(), genes.end(), [&](std::size_t a, std::size_t b) { return size(a) > size(b); });
    genes.resize(kSamplePageMaxBars);
    std::sort(genes.begin(), genes.end());
  }
  shown = genes.size();
  double extent = 1;
  for (std::size_t g : genes) extent = std::max(extent, std::ceil(size(g)));
  constexpr double kLabel = 72, kBar = 170, kRow = 11, kTop = 4, kAxis = 22;
  const double height = kTop + kRow * static_cast<double>(genes.size()) + kAxis;
  const double zero = kLabel + kBar / 2;
  const auto x = [&](double l2) { return zero + l2 / extent * (kBar / 2); };
  std::ostringstream out;
  out << "<svg class=\"fold-change\" data-panel=\"" << escape(panel.panel) << "\" xmlns=\"http://www.w3.org/2000/svg\" "
      << "width=\"" << kLabel + kBar + 8 << "\" height=\"" << number(height, 5) << "\" viewBox=\"0 0 " << kLabel + kBar + 8
      << ' ' << number(height, 5) << "\" role=\"img\" aria-label=\"fold change of the panel genes\">";
  for (std::size_t k = 0; k < genes.size(); ++k) {
    const std::size_t g = genes[k];
    const double y = kTop + kRow * static_cast<double>(k);
    const double fc = fold_change[g];
    out << "<text x=\"" << kLabel - 3 << "\" y=\"" << number(y + 8, 5) << "\" text-anchor=\"end\">"
        << escape(panel.genes[g]) << "</text>";
    if (std::isfinite(fc) && fc > 0) {
      const double l2 = std::clamp(std::log2(fc), -extent, extent);
      out << "<rect class=\"bar\" x=\"" << number(std::min(zero, x(l2)), 5) << "\" y=\"" << number(y + 1, 5)
          << "\" width=\"" << number(std::max(0.5, std::abs(x(l2) - zero)), 5) << "\" height=\"" << kRow - 2
          << "\" fill=\"" << (l2 >= 0 ? "#D55E00" : "#0072B2") << "\"><title>" << escape(panel.genes[g])
          << ": fold change " << number(fc, 3) << "</title></rect>";
    } else {
      out << "<text x=\"" << number(zero + 3, 5) << "\" y=\"" << number(y + 8, 5) << "\">NA</text>";
    }
  }
  const double axis_y = kTop + kRow * static_cast<double>(genes.size()) + 2;
  out << "<line x1=\"" << number(zero, 5) << "\" x2=\"" << number(zero, 5) << "\" y1=\"" << kTop << "\" y2=\""
      << number(axis_y, 5) << "\" stroke=\"#555\"/>";
  for (double t : {-extent, 0.0, extent}) {
    out << "<text x=\"" << number(x(t), 5) << "\" y=\"" << number(axis_y + 9, 5) << "\" text-anchor=\"middle\">"
        << number(std::exp2(t), 3) << "</text>";
  }
  out << "<text x=\"" << number((kLabel + kBar + 8) / 2, 5) << "\" y=\"" << number(axis_y + 19, 5)
      << "\" text-anchor=\"middle\">fold change vs reference median (log)</text></svg>";
  return out.str();
}

const ScorePoint* point_of(const PanelScores& panel, std::size_t sample) {
  for (const auto& p : panel.points) {
    if (p.sample == static_cast<int>(sample)) return &p;
  }
  return nullptr;
}

}  // namespace

double reference_percentile(const PanelScores& panel, double score) {
  const auto& reference = panel.reference_scores;
  if (reference.empty()) return std::nan("");
  const auto below = std::count_if(reference.begin(), reference.end(), [&](double v) { return v <= score; });
  return 100.0 * static_cast<double>(below) / static_cast<double>(reference.size());
}

std::vector<std::string> sample_qc_flags(const QcRow& row) {
  std::vector<std::string> flags;
  if (row.assigned_fraction() < kLowAssignedFraction) {
    flags.push_back("only " + number(100 * row.assigned_fraction()) + "% of reads assigned to genes (below " +
                    number(100 * kLowAssignedFraction) + "%)");
  }
  if (row.strand_source == "sheet" && row.detected_strandedness != row.strandedness) {
    flags.push_back("the sheet says " + row.strandedness + ", the reads look " + row.detected_strandedness);
  }
  return flags;
}

std::string render_sample_page(const ReportData& data, std::size_t sample) {
  const QcRow& row = data.qc.at(sample);
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
      << escape(row.sample) << " - " << escape(data.title) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n<h1>Sample " << escape(row.sample) << "</h1>\n";
  out << "<p id=\"research-use\" class=\"research\">Research result, not a diagnostic test. Interferon scores are not "
         "recommended for diagnosis (EULAR 2022 points to consider); read them with the clinical picture.</p>\n";
  out << "<section id=\"sample-meta\"><table><tr><th>group</th><td>" << escape(row.group) << "</td>";
  if (data.show_batch) out << "<th>batch</th><td>" << escape(row.batch) << "</td>";
  for (std::size_t k = 0; k < data.extra_columns.size() && k < row.extra.size(); ++k) {
    out << "<th>" << escape(data.extra_columns[k]) << "</th><td>" << escape(row.extra[k]) << "</td>";
  }
  out << "</tr></table></section>\n";

  out << "<section id=\"sample-scores\"><h2>Scores</h2>\n<table><thead><tr><th>panel (method)</th><th>score</th>"
         "<th>threshold</th><th>call</th><th>percentile among reference samples</th><th>reference scores, threshold "
         "(dashed), this sample (dot)</th></tr></thead><tbody>\n";
  for (const auto& panel : data.panels) {
    const ScorePoint* p = point_of(panel, sample);
    if (p == nullptr) continue;
    const auto& reference = panel.reference_scores;
    out << "<tr><td>" << escape(panel.panel) << " (" << escape(panel.method) << ")</td><td class=\"num\">"
        << number(p->score, 4) << "</td><td class=\"num\" title=\"" << escape(panel.threshold_rule) << "\">"
        << number(panel.threshold, 4) << "</td><td class=\"call-" << escape(p->call) << "\">" << escape(p->call)
        << "</td><td class=\"num\">";
    if (reference.empty()) {
      out << "no reference scores";
    } else {
      out << number(reference_percentile(panel, p->score), 3) << " (n=" << reference.size() << ")";
    }
    out << "</td><td>" << strip(reference, panel.threshold, p->score, p->call) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  if (data.response.present() && sample < data.response.call.size()) {
    const std::string& call = data.response.call[sample];
    out << "<p id=\"sample-response\">Dominant interferon response: <strong>"
        << (call == "I" ? "type I" : call == "II" ? "type II" : call == "I+II" ? "both, neither dominant" : escape(call))
        << "</strong> (" << escape(data.panels[static_cast<std::size_t>(data.response.type_i)].panel) << " excess "
        << number(data.response.excess_i[sample]) << " SD, "
        << escape(data.panels[static_cast<std::size_t>(data.response.type_ii)].panel) << " excess "
        << number(data.response.excess_ii[sample]) << " SD over their thresholds; rule in docs/score.md).</p>\n";
  }
  out << "<p class=\"meta\">Reference: " << escape(data.reference_samples)
      << ". A call is high when the score is above the threshold.</p></section>\n";

  out << "<section id=\"sample-genes\"><h2>Panel genes against the reference</h2>\n<div class=\"genes\">\n";
  std::vector<std::string> seen;
  for (const auto& panel : data.panels) {
    if (panel.genes.empty() || sample >= panel.fold_change.size()) continue;
    if (std::find(seen.begin(), seen.end(), panel.panel) != seen.end()) continue;  // one chart per panel
    seen.push_back(panel.panel);
    std::size_t shown = 0;
    const std::string bars = fold_change_bars(panel, panel.fold_change[sample], shown);
    out << "<figure><figcaption>" << escape(panel.panel)
        << (shown < panel.genes.size() ? " (the " + std::to_string(shown) + " largest changes of " +
                                             std::to_string(panel.genes.size()) + " genes)"
                                       : std::string())
        << "</figcaption>" << bars << "</figure>\n";
  }
  out << "</div></section>\n";

  out << "<section id=\"sample-qc\"><h2>Quality control</h2>\n";
  const auto flags = sample_qc_flags(row);
  if (flags.empty()) {
    out << "<p class=\"ok\">No QC flag applies.</p>\n";
  } else {
    out << "<ul class=\"flags\">\n";
    for (const auto& flag : flags) out << "<li>" << escape(flag) << "</li>\n";
    out << "</ul>\n";
  }
  if (!row.counts_from.empty()) {
    out << "<p class=\"meta\">Not counted: the counts were read from " << escape(row.counts_from)
        << "; read assignment categories, paired-endness and strandedness are not known.</p></section>\n";
  } else {
    out << "<p class=\"meta\">"
        << (row.targeted ? std::string("Counted for chosen genes only (the reads of other genes were not read)")
                         : std::to_string(row.status.total()) + " reads (pairs) counted, " +
                               number(100 * row.assigned_fraction()) + "% assigned")
        << "; " << (row.paired ? "paired" : "single") << "-end (" << escape(row.paired_source) << "), "
        << escape(row.strandedness) << " (" << escape(row.strand_source) << ").</p></section>\n";
  }

  out << "<section id=\"sample-provenance\"><h2>Reference and software</h2>\n<table>\n";
  for (const auto& [key, value] : data.provenance) {
    if (key == "command" || key == "sample sheet") continue;  // long; in the cohort report
    out << "<tr><th>" << escape(key) << "</th><td>" << escape(value) << "</td></tr>\n";
  }
  out << "</table>\n<p class=\"meta\">Cohort report: <a href=\"../report.html\">report.html</a>.</p></section>\n";
  out << "</body>\n</html>\n";
  return out.str();
}

std::filesystem::path write_sample_page(const ReportData& data, std::size_t sample, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  AtomicFile file(dir / (data.qc.at(sample).sample + ".html"));
  file.stream() << render_sample_page(data, sample);
  file.commit();
  return file.path();
}

}  // namespace ifnsig::report
