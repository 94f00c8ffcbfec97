#include "svg_plots.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::report::svg {
namespace {

constexpr std::array<const char*, 8> kGroupColours = {"#4c78a8", "#e45756", "#54a24b", "#f58518",
                                                      "#b279a2", "#72b7b2", "#9d755d", "#eeca3b"};
constexpr const char* kHighColour = "#c0392b";
constexpr const char* kLowColour = "#2e86c1";
constexpr const char* kUnknownColour = "#999999";
constexpr double kHeatmapClip = 4.0;  // z-scores beyond +-4 get the end colours

struct Scale {
  double lo, hi, px_lo, px_hi;
  double operator()(double v) const { return px_lo + (v - lo) / (hi - lo) * (px_hi - px_lo); }
};

std::vector<double> ticks(double lo, double hi) {
  const double raw = (hi - lo) / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (raw <= step) break;
  }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push_back(std::abs(t) < 1e-12 ? 0 : t);
  return out;
}

std::string call_colour(const std::string& call) {
  return call == "high" ? kHighColour : call == "low" ? kLowColour : kUnknownColour;
}

std::string z_colour(double z) {
  if (std::isnan(z)) return "#dddddd";
  const double t = std::clamp(z / kHeatmapClip, -1.0, 1.0);
  const int fade = static_cast<int>(std::lround(255 * (1 - std::abs(t))));
  char buffer[8];
  if (t >= 0) {
    std::snprintf(buffer, sizeof buffer, "#ff%02x%02x", fade, fade);
  } else {
    std::snprintf(buffer, sizeof buffer, "#%02x%02xff", fade, fade);
  }
  return buffer;
}

// Deterministic horizontal jitter in [-0.5, 0.5) so that points of one group do not overlap.
double jitter(int index) { return static_cast<double>((index * 7919 + 13) % 101) / 101.0 - 0.5; }

void score_facet(std::ostringstream& out, const ReportData& data, const PanelScores& panel, double x0) {
  constexpr double kWidth = 300, kHeight = 320, kLeft = 56, kRight = 14, kTop = 40, kBottom = 52;
  std::vector<double> values;
  for (const auto& p : panel.points) values.push_back(p.score);
  if (std::isfinite(panel.threshold)) values.push_back(panel.threshold);
  if (values.empty()) values.push_back(0.0);
  double lo = *std::min_element(values.begin(), values.end()), hi = *std::max_element(values.begin(), values.end());
  const double pad = hi > lo ? 0.06 * (hi - lo) : 1.0;
  lo -= pad;
  hi += pad;
  const Scale y{lo, hi, kHeight - kBottom, kTop};
  const double band = (kWidth - kLeft - kRight) / static_cast<double>(std::max<std::size_t>(1, data.groups.size()));
  out << "<g class=\"score-panel\" data-panel=\"" << escape(panel.panel) << "\" data-method=\"" << escape(panel.method)
      << "\" transform=\"translate(" << x0 << ",0)\">\n";
  out << "<text class=\"facet-title\" x=\"" << kWidth / 2 << "\" y=\"18\" text-anchor=\"middle\">" << escape(panel.panel)
      << " (" << escape(panel.method) << ")</text>\n";
  out << "<line class=\"axis\" x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\"" << kLeft << "\" y2=\""
      << kHeight - kBottom << "\"/>\n";
  for (double t : ticks(lo, hi)) {
    out << "<line class=\"grid\" x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << number(y(t), 5)
        << "\" y2=\"" << number(y(t), 5) << "\"/><text class=\"tick\" x=\"" << kLeft - 4 << "\" y=\""
        << number(y(t) + 4, 5) << "\" text-anchor=\"end\">" << number(t) << "</text>\n";
  }
  for (std::size_t g = 0; g < data.groups.size(); ++g) {
    const double cx = kLeft + band * (static_cast<double>(g) + 0.5);
    std::vector<double> group_scores;
    for (const auto& p : panel.points) {
      if (data.qc[static_cast<std::size_t>(p.sample)].group == data.groups[g]) group_scores.push_back(p.score);
    }
    out << "<text class=\"group-label\" x=\"" << cx << "\" y=\"" << kHeight - kBottom + 18
        << "\" text-anchor=\"middle\">" << escape(data.groups[g]) << " (n=" << group_scores.size() << ")</text>\n";
    if (group_scores.size() >= 2) {
      const double q1 = r_quantile7(group_scores, 0.25), q2 = r_quantile7(group_scores, 0.5),
                   q3 = r_quantile7(group_scores, 0.75);
      const double w = band * 0.5;
      out << "<g class=\"box\"><rect x=\"" << number(cx - w / 2, 5) << "\" y=\"" << number(y(q3), 5) << "\" width=\""
          << number(w, 5) << "\" height=\"" << number(std::max(0.5, y(q1) - y(q3)), 5) << "\" fill=\""
          << group_colour(data, data.groups[g]) << "\" fill-opacity=\"0.15\" stroke=\""
          << group_colour(data, data.groups[g]) << "\"/><line x1=\"" << number(cx - w / 2, 5) << "\" x2=\""
          << number(cx + w / 2, 5) << "\" y1=\"" << number(y(q2), 5) << "\" y2=\"" << number(y(q2), 5) << "\" stroke=\""
          << group_colour(data, data.groups[g]) << "\" stroke-width=\"2\"/></g>\n";
    }
    for (const auto& p : panel.points) {
      const QcRow& sample = data.qc[static_cast<std::size_t>(p.sample)];
      if (sample.group != data.groups[g]) continue;
      out << "<circle class=\"point call-" << escape(p.call) << "\" cx=\"" << number(cx + jitter(p.sample) * band * 0.4, 5)
          << "\" cy=\"" << number(y(p.score), 5) << "\" r=\"4\" fill=\"" << call_colour(p.call) << "\"><title>"
          << escape(sample.sample) << " (" << escape(sample.group) << "): " << number(p.score, 4) << ", "
          << escape(p.call) << "</title></circle>\n";
    }
  }
  if (std::isfinite(panel.threshold)) {
    out << "<line class=\"threshold-line\" x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\""
        << number(y(panel.threshold), 5) << "\" y2=\"" << number(y(panel.threshold), 5) << "\"><title>threshold "
        << number(panel.threshold, 4) << ": " << escape(panel.threshold_rule) << "</title></line>\n"
        << "<text class=\"threshold-label\" x=\"" << kWidth - kRight << "\" y=\"" << number(y(panel.threshold) - 4, 5)
        << "\" text-anchor=\"end\">threshold " << number(panel.threshold) << "</text>\n";
  }
  out << "</g>\n";
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double value, int precision) {
  if (std::isnan(value)) return "NA";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
  return buffer;
}

std::string group_colour(const ReportData& data, const std::string& group) {
  const auto it = std::find(data.groups.begin(), data.groups.end(), group);
  const auto index = static_cast<std::size_t>(it - data.groups.begin());
  return kGroupColours[index % kGroupColours.size()];
}

std::string score_plot(const ReportData& data) {
  constexpr double kFacetWidth = 300, kHeight = 320;
  std::ostringstream out;
  const double width = kFacetWidth * static_cast<double>(std::max<std::size_t>(1, data.panels.size()));
  out << "<svg id=\"score-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << ' ' << kHeight
      << "\" width=\"" << width << "\" height=\"" << kHeight << "\" role=\"img\" aria-label=\"IFN scores by group\">\n";
  for (std::size_t p = 0; p < data.panels.size(); ++p) {
    score_facet(out, data, data.panels[p], kFacetWidth * static_cast<double>(p));
  }
  out << "</svg>\n";
  return out.str();
}

std::string heatmap(const ReportData& data) {
  constexpr double kLabel = 170, kTop = 30, kCellH = 14, kLegend = 90;
  const std::size_t n = data.order.size();
  const double cell_w = std::clamp(720.0 / static_cast<double>(std::max<std::size_t>(1, n)), 4.0, 22.0);
  const bool sample_labels = n <= 80;
  const double grid_h = kCellH * static_cast<double>(data.heatmap.size());
  const double width = kLabel + cell_w * static_cast<double>(n) + kLegend;
  const double height = kTop + grid_h + (sample_labels ? 90 : 20);
  std::ostringstream out;
  out << "<svg id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << number(width, 6) << ' '
      << number(height, 6) << "\" width=\"" << number(width, 6) << "\" height=\"" << number(height, 6)
      << "\" role=\"img\" aria-label=\"panel gene z-scores\">\n<defs><linearGradient id=\"zscale\" x1=\"0\" y1=\"1\" "
         "x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"#0000ff\"/><stop offset=\"0.5\" stop-color=\"#ffffff\"/>"
         "<stop offset=\"1\" stop-color=\"#ff0000\"/></linearGradient></defs>\n";
  for (std::size_t c = 0; c < n; ++c) {
    const QcRow& sample = data.qc[static_cast<std::size_t>(data.order[c])];
    const double x = kLabel + cell_w * static_cast<double>(c);
    out << "<rect class=\"group-bar\" x=\"" << number(x, 6) << "\" y=\"10\" width=\"" << number(cell_w, 6)
        << "\" height=\"14\" fill=\"" << group_colour(data, sample.group) << "\"><title>" << escape(sample.sample)
        << ": " << escape(sample.group) << "</title></rect>\n";
    if (sample_labels) {
      out << "<text class=\"sample-label\" transform=\"translate(" << number(x + cell_w / 2 + 3, 6) << ','
          << number(kTop + grid_h + 6, 6) << ") rotate(90)\">" << escape(sample.sample) << "</text>\n";
    }
  }
  std::string previous_panel;
  for (std::size_t r = 0; r < data.heatmap.size(); ++r) {
    const HeatmapRow& row = data.heatmap[r];
    const double y = kTop + kCellH * static_cast<double>(r);
    if (row.panel != previous_panel && r > 0) {
      out << "<line class=\"panel-separator\" x1=\"0\" x2=\"" << number(kLabel + cell_w * static_cast<double>(n), 6)
          << "\" y1=\"" << y << "\" y2=\"" << y << "\"/>\n";
    }
    previous_panel = row.panel;
    out << "<g class=\"heatmap-row\" data-gene=\"" << escape(row.gene) << "\"><text class=\"gene-label\" x=\""
        << kLabel - 6 << "\" y=\"" << y + kCellH - 3 << "\" text-anchor=\"end\">" << escape(row.panel) << ": "
        << escape(row.gene) << "</text>\n";
    for (std::size_t c = 0; c < n; ++c) {
      out << "<rect x=\"" << number(kLabel + cell_w * static_cast<double>(c), 6) << "\" y=\"" << y << "\" width=\""
          << number(cell_w, 6) << "\" height=\"" << kCellH << "\" fill=\"" << z_colour(row.z[c]) << "\"><title>"
          << escape(row.gene) << ", " << escape(data.qc[static_cast<std::size_t>(data.order[c])].sample)
          << ": z=" << number(row.z[c]) << "</title></rect>\n";
    }
    out << "</g>\n";
  }
  const double lx = kLabel + cell_w * static_cast<double>(n) + 24;
  out << "<rect class=\"legend\" x=\"" << number(lx, 6) << "\" y=\"" << kTop << "\" width=\"14\" height=\"100\" "
      << "fill=\"url(#zscale)\" stroke=\"#888\"/>\n";
  for (const auto& [label, offset] : {std::pair{"+4", 0.0}, {"0", 50.0}, {"-4", 100.0}}) {
    out << "<text class=\"tick\" x=\"" << number(lx + 18, 6) << "\" y=\"" << kTop + offset + 4 << "\">" << label
        << "</text>\n";
  }
  out << "<text class=\"tick\" x=\"" << number(lx, 6) << "\" y=\"" << kTop - 8 << "\">z</text>\n</svg>\n";
  return out.str();
}

std::string qc_plot(const ReportData& data) {
  constexpr double kLabel = 140, kBar = 520, kRowH = 16, kTop = 26;
  const std::array<std::pair<ReadStatus, const char*>, 5> kShown = {
      {{ReadStatus::kAssigned, "#54a24b"}, {ReadStatus::kNoFeatures, "#f58518"}, {ReadStatus::kAmbiguity, "#eeca3b"},
       {ReadStatus::kMultiMapping, "#b279a2"}, {ReadStatus::kUnmapped, "#9d755d"}}};
  const char* kNames[] = {"Assigned", "NoFeatures", "Ambiguity", "MultiMapping", "Unmapped", "other"};
  const double height = kTop + kRowH * static_cast<double>(data.qc.size()) + 8;
  std::ostringstream out;
  out << "<svg id=\"qc-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << kLabel + kBar + 20 << ' '
      << number(height, 6) << "\" width=\"" << kLabel + kBar + 20 << "\" height=\"" << number(height, 6)
      << "\" role=\"img\" aria-label=\"read assignment per sample\">\n";
  for (std::size_t k = 0; k < 6; ++k) {
    out << "<rect x=\"" << kLabel + 98.0 * static_cast<double>(k) << "\" y=\"4\" width=\"10\" height=\"10\" fill=\""
        << (k < 5 ? kShown[k].second : "#cccccc") << "\"/><text class=\"tick\" x=\""
        << kLabel + 98.0 * static_cast<double>(k) + 13 << "\" y=\"13\">" << kNames[k] << "</text>\n";
  }
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    const QcRow& row = data.qc[i];
    const double y = kTop + kRowH * static_cast<double>(i);
    const double total = static_cast<double>(std::max<std::uint64_t>(1, row.status.total()));
    out << "<g class=\"qc-row\"><text class=\"tick\" x=\"" << kLabel - 6 << "\" y=\"" << y + 11
        << "\" text-anchor=\"end\">" << escape(row.sample) << "</text>\n";
    double x = kLabel, shown = 0;
    for (std::size_t k = 0; k <= kShown.size(); ++k) {
      const double count = k < kShown.size() ? static_cast<double>(row.status[kShown[k].first]) : total - shown;
      shown += count;
      const double w = kBar * count / total;
      out << "<rect x=\"" << number(x, 6) << "\" y=\"" << y << "\" width=\"" << number(w, 6) << "\" height=\""
          << kRowH - 3 << "\" fill=\"" << (k < kShown.size() ? kShown[k].second : "#cccccc") << "\"><title>"
          << escape(row.sample) << ' ' << kNames[k] << ": " << number(100 * count / total) << "%</title></rect>\n";
      x += w;
    }
    out << "</g>\n";
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace ifnsig::report::svg
