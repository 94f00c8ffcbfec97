#include "svg_plots.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>

#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::report::svg {
namespace {

// Okabe & Ito's colour-blind-safe palette, blue first (controls).
constexpr std::array<const char*, 8> kGroupColours = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                      "#56B4E9", "#D55E00", "#F0E442", "#000000"};
constexpr const char* kHighColour = "#D55E00";  // vermillion
constexpr const char* kLowColour = "#0072B2";   // blue
constexpr const char* kUnknownColour = "#999999";
constexpr const char* kThresholdColour = "#333333";
constexpr double kHeatmapClip = 4.0;  // z-scores beyond +-4 get the end colours
constexpr int kHeatmapLevels = 8;     // colour steps per side of the z scale

struct Scale {
  double lo, hi, px_lo, px_hi;
  bool log = false;
  double operator()(double v) const {
    const double a = log ? std::log2(lo) : lo, b = log ? std::log2(hi) : hi, x = log ? std::log2(v) : v;
    return px_lo + (x - a) / (b - a) * (px_hi - px_lo);
  }
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

// Powers of two within [lo, hi] (log axes of fold changes); at least the two ends when there are fewer than 2.
std::vector<double> log2_ticks(double lo, double hi) {
  std::vector<double> out;
  const int a = static_cast<int>(std::ceil(std::log2(lo))), b = static_cast<int>(std::floor(std::log2(hi)));
  const int step = std::max(1, (b - a + 1) / 7 + 1);
  for (int e = a; e <= b; e += step) out.push_back(std::ldexp(1.0, e));
  if (out.size() < 2) out = {lo, hi};
  return out;
}

// Range of values plus 6% padding (a range of 1 around a single value); positive ends for a log axis.
std::pair<double, double> padded_range(std::vector<double> values, bool log) {
  if (values.empty()) values.push_back(log ? 1.0 : 0.0);
  double lo = *std::min_element(values.begin(), values.end()), hi = *std::max_element(values.begin(), values.end());
  if (log) {
    const double span = hi > lo ? std::log2(hi / lo) : 2.0;
    return {lo / std::exp2(0.06 * span), hi * std::exp2(0.06 * span)};
  }
  const double pad = hi > lo ? 0.06 * (hi - lo) : 1.0;
  return {lo - pad, hi + pad};
}

std::string hex_mix(const std::array<int, 3>& from, const std::array<int, 3>& to, double t) {
  char buffer[8];
  std::array<int, 3> c{};
  for (std::size_t k = 0; k < 3; ++k) c[k] = static_cast<int>(std::lround(from[k] + (to[k] - from[k]) * t));
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c[0], c[1], c[2]);
  return buffer;
}

// Diverging blue-white-red (ColorBrewer RdBu ends), in kHeatmapLevels steps per side so that neighbouring
// cells of one colour merge into one rectangle.
std::string z_colour(double z) {
  if (std::isnan(z)) return "#dddddd";
  const double t = std::round(std::clamp(z / kHeatmapClip, -1.0, 1.0) * kHeatmapLevels) / kHeatmapLevels;
  constexpr std::array<int, 3> kWhite{0xf7, 0xf7, 0xf7}, kRed{0xb2, 0x18, 0x2b}, kBlue{0x21, 0x66, 0xac};
  return t >= 0 ? hex_mix(kWhite, kRed, t) : hex_mix(kWhite, kBlue, -t);
}

// Deterministic horizontal jitter in [-0.5, 0.5) so that points of one group do not overlap.
double jitter(int index) { return static_cast<double>((index * 7919 + 13) % 101) / 101.0 - 0.5; }

bool all_positive(const PanelScores& panel) {
  return std::all_of(panel.points.begin(), panel.points.end(), [](const ScorePoint& p) { return p.score > 0; }) &&
         !(panel.threshold <= 0);
}

// Fold-change scores read best on a log axis.
bool log_axis(const PanelScores& panel) { return panel.method == "rice" && all_positive(panel); }

std::string axis_title(const PanelScores& panel) {
  return panel.panel + ": " + method_unit(panel.method) + (log_axis(panel) ? " (log scale)" : "");
}

void legend_item(std::ostringstream& out, double x, double y, const std::string& colour, const std::string& label,
                 const char* css_class) {
  out << "<g class=\"legend-item " << css_class << "\"><circle cx=\"" << number(x + 5, 5) << "\" cy=\""
      << number(y - 4, 5) << "\" r=\"4.5\" fill=\"" << colour << "\" stroke=\"#333\" stroke-width=\"0.5\"/><text x=\""
      << number(x + 14, 5) << "\" y=\"" << number(y, 5) << "\">" << escape(label) << "</text></g>\n";
}

void legend_threshold(std::ostringstream& out, double x, double y, const std::string& label) {
  out << "<g class=\"legend-item legend-threshold\"><line class=\"threshold-line\" x1=\"" << number(x, 5) << "\" x2=\""
      << number(x + 24, 5) << "\" y1=\"" << number(y - 4, 5) << "\" y2=\"" << number(y - 4, 5) << "\"/><text x=\""
      << number(x + 30, 5) << "\" y=\"" << number(y, 5) << "\">" << escape(label) << "</text></g>\n";
}

// A threshold line across the plot at `value`, labelled "<label> <value>" at its right end.
void horizontal_threshold(std::ostringstream& out, const Scale& y, double left, double right, double value,
                          const std::string& rule, const char* extra_class, const std::string& label) {
  out << "<line class=\"threshold-line" << extra_class << "\" x1=\"" << left << "\" x2=\"" << right << "\" y1=\""
      << number(y(value), 5) << "\" y2=\"" << number(y(value), 5) << "\"><title>" << label << ' ' << number(value, 4)
      << ": " << escape(rule) << "</title></line>\n<text class=\"threshold-label\" x=\"" << right - 4 << "\" y=\""
      << number(y(value) - 4, 5) << "\" text-anchor=\"end\">" << label << ' ' << number(value) << "</text>\n";
}

void y_axis(std::ostringstream& out, const Scale& y, double left, double right, const std::string& title, double top,
            double bottom) {
  out << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\"" << bottom
      << "\"/>\n";
  for (double t : y.log ? log2_ticks(y.lo, y.hi) : ticks(y.lo, y.hi)) {
    out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << number(y(t), 5)
        << "\" y2=\"" << number(y(t), 5) << "\"/><text class=\"tick\" x=\"" << left - 4 << "\" y=\""
        << number(y(t) + 4, 5) << "\" text-anchor=\"end\">" << number(t) << "</text>\n";
  }
  out << "<text class=\"axis-title\" transform=\"translate(" << number(left - 40, 5) << ','
      << number((top + bottom) / 2, 5) << ") rotate(-90)\" text-anchor=\"middle\">" << escape(title) << "</text>\n";
}

struct BoxStats {
  double q1, q2, q3, low, high;  // whiskers: the most extreme values within 1.5 IQR of the box
};

BoxStats box_stats(const std::vector<double>& values) {
  BoxStats b{matrix::r_quantile7(values, 0.25), matrix::r_quantile7(values, 0.5), matrix::r_quantile7(values, 0.75), 0,
             0};
  const double reach = 1.5 * (b.q3 - b.q1);
  b.low = b.q1;
  b.high = b.q3;
  for (double v : values) {
    if (v >= b.q1 - reach) b.low = std::min(b.low, v);
    if (v <= b.q3 + reach) b.high = std::max(b.high, v);
  }
  return b;
}

constexpr double kFacetWidth = 290, kFacetHeight = 340, kLegendHeight = 26;  // four facets fit the page

void score_facet(std::ostringstream& out, const ReportData& data, const PanelScores& panel, double x0) {
  constexpr double kLeft = 66, kRight = 14, kTop = 40 + kLegendHeight, kBottom = 56;
  const double height = kFacetHeight + kLegendHeight;
  std::vector<double> values;
  for (const auto& p : panel.points) values.push_back(p.score);
  if (std::isfinite(panel.threshold)) values.push_back(panel.threshold);
  const bool log = log_axis(panel);
  const auto [lo, hi] = padded_range(values, log);
  const Scale y{lo, hi, height - kBottom, kTop, log};
  const double band = (kFacetWidth - kLeft - kRight) / static_cast<double>(std::max<std::size_t>(1, data.groups.size()));
  std::size_t hidden = 0;
  std::ostringstream body;
  for (std::size_t g = 0; g < data.groups.size(); ++g) {
    const double cx = kLeft + band * (static_cast<double>(g) + 0.5);
    std::vector<double> group_scores;
    for (const auto& p : panel.points) {
      if (data.qc[static_cast<std::size_t>(p.sample)].group == data.groups[g]) group_scores.push_back(p.score);
    }
    const bool thinned = group_scores.size() > kStripMaxPoints;
    std::size_t high = 0;
    for (const auto& p : panel.points) {
      high += data.qc[static_cast<std::size_t>(p.sample)].group == data.groups[g] && p.call == "high" ? 1 : 0;
    }
    body << "<text class=\"group-label\" x=\"" << number(cx, 5) << "\" y=\"" << height - kBottom + 16
         << "\" text-anchor=\"middle\">" << escape(data.groups[g]) << "</text><text class=\"tick\" x=\"" << number(cx, 5)
         << "\" y=\"" << height - kBottom + 29 << "\" text-anchor=\"middle\">n=" << group_scores.size() << ", high "
         << high << "</text>\n";
    BoxStats box{};
    if (group_scores.size() >= 2) {
      box = box_stats(group_scores);
      const double w = band * 0.5;
      const std::string colour = group_colour(data, data.groups[g]);
      body << "<g class=\"box\"><line x1=\"" << number(cx, 5) << "\" x2=\"" << number(cx, 5) << "\" y1=\""
           << number(y(box.low), 5) << "\" y2=\"" << number(y(box.high), 5) << "\" stroke=\"" << colour
           << "\"/><rect x=\"" << number(cx - w / 2, 5) << "\" y=\"" << number(y(box.q3), 5) << "\" width=\""
           << number(w, 5) << "\" height=\"" << number(std::max(0.5, y(box.q1) - y(box.q3)), 5) << "\" fill=\""
           << colour << "\" fill-opacity=\"0.15\" stroke=\"" << colour << "\"/><line x1=\"" << number(cx - w / 2, 5)
           << "\" x2=\"" << number(cx + w / 2, 5) << "\" y1=\"" << number(y(box.q2), 5) << "\" y2=\""
           << number(y(box.q2), 5) << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/><title>"
           << escape(data.groups[g]) << ": median " << number(box.q2, 4) << ", quartiles " << number(box.q1, 4)
           << "-" << number(box.q3, 4) << "</title></g>\n";
    }
    for (const auto& p : panel.points) {
      const QcRow& sample = data.qc[static_cast<std::size_t>(p.sample)];
      if (sample.group != data.groups[g]) continue;
      // A thinned group shows the box and only its outliers (its label counts the high calls).
      if (thinned && p.score >= box.low && p.score <= box.high) {
        ++hidden;
        continue;
      }
      body << "<circle class=\"point call-" << escape(p.call) << "\" cx=\""
           << number(cx + jitter(p.sample) * band * (thinned ? 0.2 : 0.4), 5) << "\" cy=\"" << number(y(p.score), 5)
           << "\" r=\"" << (thinned ? "2.5" : "4") << "\" fill=\"" << call_colour(p.call) << "\"><title>"
           << escape(sample.sample) << " (" << escape(sample.group) << "): " << number(p.score, 4) << ", "
           << escape(p.call) << "</title></circle>\n";
    }
  }
  out << "<g class=\"score-panel\" data-panel=\"" << escape(panel.panel) << "\" data-method=\"" << escape(panel.method)
      << "\" data-points-hidden=\"" << hidden << "\" transform=\"translate(" << x0 << ",0)\">\n";
  out << "<text class=\"facet-title\" x=\"" << kFacetWidth / 2 << "\" y=\"" << 18 + kLegendHeight
      << "\" text-anchor=\"middle\">" << escape(panel.panel) << " (" << escape(panel.method) << ")</text>\n";
  y_axis(out, y, kLeft, kFacetWidth - kRight, axis_title(panel), kTop, height - kBottom);
  out << body.str();
  out << "<text class=\"axis-title\" x=\"" << number((kLeft + kFacetWidth - kRight) / 2, 5) << "\" y=\""
      << height - 8 << "\" text-anchor=\"middle\">group"
      << (hidden > 0 ? " (box and outliers)" : "") << "</text>\n";
  if (std::isfinite(panel.threshold)) {
    out << "<line class=\"threshold-line\" x1=\"" << kLeft << "\" x2=\"" << kFacetWidth - kRight << "\" y1=\""
        << number(y(panel.threshold), 5) << "\" y2=\"" << number(y(panel.threshold), 5) << "\"><title>threshold "
        << number(panel.threshold, 4) << ": " << escape(panel.threshold_rule) << "</title></line>\n"
        << "<text class=\"threshold-label\" x=\"" << kFacetWidth - kRight << "\" y=\""
        << number(y(panel.threshold) - 4, 5) << "\" text-anchor=\"end\">threshold " << number(panel.threshold)
        << "</text>\n";
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

std::string call_colour(const std::string& call) {
  return call == "high" ? kHighColour : call == "low" ? kLowColour : kUnknownColour;
}

std::string response_colour(const std::string& response) {
  if (response == "I") return "#0072B2";      // blue
  if (response == "II") return "#D55E00";     // vermillion
  if (response == "I+II") return "#CC79A7";   // reddish purple
  if (response == "none") return "#BBBBBB";
  return "#FFFFFF";
}

std::string method_unit(const std::string& method) {
  if (method == "rice") return "median fold change vs controls";
  if (method == "zscore-controls") return "sum of z-scores vs controls (SD)";
  if (method == "zscore-controls-mean") return "mean z-score vs controls (SD)";
  if (method == "module") return "% genes up - % down vs controls";
  if (method == "singscore" || method == "singscore-unknown") return "singscore (scaled mean rank)";
  if (method == "ssgsea") return "ssGSEA enrichment score";
  if (method == "gsva") return "GSVA enrichment score";
  if (method == "zscore") return "combined z-score across the run";
  if (method == "plage") return "PLAGE score (first singular vector)";
  return method + " score";
}

std::string score_plot(const ReportData& data) {
  const double height = kFacetHeight + kLegendHeight;
  std::ostringstream out;
  const double width = std::max(560.0, kFacetWidth * static_cast<double>(std::max<std::size_t>(1, data.panels.size())));
  out << "<svg id=\"score-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << ' ' << height
      << "\" width=\"" << width << "\" height=\"" << height << "\" role=\"img\" aria-label=\"IFN scores by group\">\n";
  out << "<g class=\"legend\">";
  legend_item(out, 66, 16, kHighColour, "high (above threshold)", "legend-high");
  legend_item(out, 226, 16, kLowColour, "low", "legend-low");
  legend_item(out, 280, 16, kUnknownColour, "no call", "legend-na");
  legend_threshold(out, 360, 16, "threshold");
  out << "</g>\n";
  for (std::size_t p = 0; p < data.panels.size(); ++p) {
    score_facet(out, data, data.panels[p], kFacetWidth * static_cast<double>(p));
  }
  out << "</svg>\n";
  return out.str();
}

std::string response_plot(const ReportData& data) {
  const ResponseComparison& r = data.response;
  if (!r.present()) return {};
  const PanelScores& a = data.panels[static_cast<std::size_t>(r.type_i)];
  const PanelScores& b = data.panels[static_cast<std::size_t>(r.type_ii)];
  constexpr double kSize = 420, kLeft = 70, kTop = 20, kBottom = 56, kLegend = 190;
  const double plot_right = kLeft + kSize, plot_bottom = kTop + kSize;
  const double width = plot_right + kLegend, height = plot_bottom + kBottom;
  std::vector<double> xs, ys;
  for (const auto& p : a.points) xs.push_back(p.score);
  for (const auto& p : b.points) ys.push_back(p.score);
  if (std::isfinite(a.threshold)) xs.push_back(a.threshold);
  if (std::isfinite(b.threshold)) ys.push_back(b.threshold);
  const bool log_x = log_axis(a), log_y = log_axis(b);
  const auto [x_lo, x_hi] = padded_range(xs, log_x);
  const auto [y_lo, y_hi] = padded_range(ys, log_y);
  const Scale x{x_lo, x_hi, kLeft, plot_right, log_x};
  const Scale y{y_lo, y_hi, plot_bottom, kTop, log_y};
  std::ostringstream out;
  out << "<svg id=\"ifn-type-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << ' ' << height
      << "\" width=\"" << width << "\" height=\"" << height
      << "\" role=\"img\" aria-label=\"type I IFN score against type II IFN score\">\n";
  y_axis(out, y, kLeft, plot_right, axis_title(b) + " - type II", kTop, plot_bottom);
  out << "<line class=\"axis\" x1=\"" << kLeft << "\" x2=\"" << plot_right << "\" y1=\"" << plot_bottom << "\" y2=\""
      << plot_bottom << "\"/>\n";
  for (double t : log_x ? log2_ticks(x.lo, x.hi) : ticks(x.lo, x.hi)) {
    out << "<line class=\"grid\" x1=\"" << number(x(t), 5) << "\" x2=\"" << number(x(t), 5) << "\" y1=\"" << kTop
        << "\" y2=\"" << plot_bottom << "\"/><text class=\"tick\" x=\"" << number(x(t), 5) << "\" y=\""
        << plot_bottom + 14 << "\" text-anchor=\"middle\">" << number(t) << "</text>\n";
  }
  out << "<text class=\"axis-title\" x=\"" << number((kLeft + plot_right) / 2, 5) << "\" y=\"" << height - 14
      << "\" text-anchor=\"middle\">" << escape(axis_title(a)) << " - type I</text>\n";
  const std::size_t n = std::min({r.call.size(), a.points.size(), b.points.size()});
  const bool large = n > 300;
  for (std::size_t i = 0; i < n; ++i) {
    const QcRow& sample = data.qc[i];
    out << "<circle class=\"response-point response-" << (r.call[i] == "I+II" ? "both" : escape(r.call[i]))
        << "\" cx=\"" << number(x(a.points[i].score), 5) << "\" cy=\"" << number(y(b.points[i].score), 5) << "\" r=\""
        << (large ? "2.5" : "4") << "\" fill=\"" << response_colour(r.call[i])
        << "\" stroke=\"#333\" stroke-width=\"0.5\"" << (large ? " fill-opacity=\"0.75\"" : "") << "><title>"
        << escape(sample.sample) << " (" << escape(sample.group) << "): type I " << number(a.points[i].score, 4)
        << ", type II " << number(b.points[i].score, 4) << "; dominant: " << escape(r.call[i]) << "</title></circle>\n";
  }
  if (std::isfinite(a.threshold)) {
    out << "<line class=\"threshold-line threshold-type-i\" x1=\"" << number(x(a.threshold), 5) << "\" x2=\""
        << number(x(a.threshold), 5) << "\" y1=\"" << kTop << "\" y2=\"" << plot_bottom << "\"><title>type I threshold "
        << number(a.threshold, 4) << ": " << escape(a.threshold_rule) << "</title></line>\n<text class=\"threshold-label\" "
        << "transform=\"translate(" << number(x(a.threshold) + 12, 5) << ',' << kTop + 4
        << ") rotate(90)\">type I threshold " << number(a.threshold) << "</text>\n";
  }
  if (std::isfinite(b.threshold)) {
    horizontal_threshold(out, y, kLeft, plot_right, b.threshold, b.threshold_rule, " threshold-type-ii", "type II threshold");
  }
  const double lx = plot_right + 16;
  out << "<g class=\"legend\"><text class=\"legend-title\" x=\"" << lx << "\" y=\"" << kTop + 10
      << "\">dominant response</text>\n";
  double ly = kTop + 30;
  for (const auto& [call, label] : {std::pair{"I", "type I"}, {"II", "type II"}, {"I+II", "both, neither dominant"},
                                    {"none", "neither high"}, {"NA", "no threshold"}}) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) count += r.call[i] == call ? 1 : 0;
    legend_item(out, lx, ly, response_colour(call), std::string(label) + " (" + std::to_string(count) + ")", "legend-response");
    ly += 18;
  }
  legend_threshold(out, lx, ly + 4, "thresholds");
  out << "</g>\n</svg>\n";
  return out.str();
}

std::string trajectory_plot(const ReportData& data, std::size_t panel_index) {
  const PanelScores& panel = data.panels[panel_index];
  const FollowUp& f = data.follow_up;
  std::vector<const Trajectory*> lines;
  for (const auto& t : f.trajectories) {
    if (t.panel == panel_index) lines.push_back(&t);
  }
  if (lines.empty()) return {};
  constexpr double kLeft = 70, kTop = 20, kPlotW = 460, kPlotH = 300, kBottom = 56, kLegend = 200;
  const double plot_right = kLeft + kPlotW, plot_bottom = kTop + kPlotH;
  const double width = plot_right + kLegend, height = plot_bottom + kBottom;
  // The reference range: the control group's scores in this run (none when scored against a frozen reference).
  std::vector<double> controls;
  for (const auto& p : panel.points) {
    if (!data.control_group.empty() && data.qc[static_cast<std::size_t>(p.sample)].group == data.control_group) {
      controls.push_back(p.score);
    }
  }
  std::vector<double> xs, ys = controls;
  for (const auto* t : lines) {
    for (const auto& p : t->points) {
      xs.push_back(p.x);
      ys.push_back(p.score);
    }
  }
  if (std::isfinite(panel.threshold)) ys.push_back(panel.threshold);
  const bool log_y = log_axis(panel) && std::all_of(ys.begin(), ys.end(), [](double v) { return v > 0; });
  const auto [y_lo, y_hi] = padded_range(ys, log_y);
  const Scale y{y_lo, y_hi, plot_bottom, kTop, log_y};
  double x_lo = -0.5, x_hi = static_cast<double>(f.visits.size()) - 0.5;
  if (f.numeric_time) std::tie(x_lo, x_hi) = padded_range(xs, false);
  const Scale x{x_lo, x_hi, kLeft, plot_right};
  std::ostringstream out;
  out << "<svg id=\"followup-plot-" << panel_index << "\" class=\"followup-plot\" xmlns=\"http://www.w3.org/2000/svg\" "
      << "viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width << "\" height=\"" << height
      << "\" role=\"img\" aria-label=\"" << escape(panel.panel) << " score of each subject over time\">\n";
  if (!controls.empty()) {
    const auto [lo, hi] = std::minmax_element(controls.begin(), controls.end());
    out << "<rect class=\"reference-range\" x=\"" << kLeft << "\" width=\"" << kPlotW << "\" y=\""
        << number(y(*hi), 5) << "\" height=\"" << number(std::max(1.0, y(*lo) - y(*hi)), 5)
        << "\" fill=\"#dddddd\" fill-opacity=\"0.6\"><title>reference range: the " << escape(data.control_group)
        << " samples' scores, " << number(*lo, 4) << " to " << number(*hi, 4) << "</title></rect>\n";
  }
  y_axis(out, y, kLeft, plot_right, axis_title(panel), kTop, plot_bottom);
  out << "<line class=\"axis\" x1=\"" << kLeft << "\" x2=\"" << plot_right << "\" y1=\"" << plot_bottom << "\" y2=\""
      << plot_bottom << "\"/>\n";
  std::vector<std::pair<double, std::string>> x_ticks;
  if (f.numeric_time) {
    for (double t : ticks(x.lo, x.hi)) x_ticks.emplace_back(t, number(t));
  } else {
    for (std::size_t v = 0; v < f.visits.size(); ++v) x_ticks.emplace_back(static_cast<double>(v), f.visits[v]);
  }
  for (const auto& [t, label] : x_ticks) {
    out << "<text class=\"tick\" x=\"" << number(x(t), 5) << "\" y=\"" << plot_bottom + 14
        << "\" text-anchor=\"middle\">" << escape(label) << "</text>\n";
  }
  out << "<text class=\"axis-title\" x=\"" << number((kLeft + plot_right) / 2, 5) << "\" y=\"" << height - 14
      << "\" text-anchor=\"middle\">"
      << (f.numeric_time ? "time" + (f.time_unit.empty() ? std::string() : " (" + escape(f.time_unit) + ")") : "visit")
      << "</text>\n";
  if (std::isfinite(panel.threshold)) {
    horizontal_threshold(out, y, kLeft, plot_right, panel.threshold, panel.threshold_rule, "", "threshold");
  }
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const std::string colour = kGroupColours[k % kGroupColours.size()];
    out << "<g class=\"trajectory\" data-subject=\"" << escape(lines[k]->subject) << "\"><polyline fill=\"none\" stroke=\""
        << colour << "\" stroke-width=\"1.8\" points=\"";
    for (const auto& p : lines[k]->points) out << number(x(p.x), 6) << ',' << number(y(p.score), 6) << ' ';
    out << "\"/>";
    for (const auto& p : lines[k]->points) {  // high calls filled, others open
      out << "<circle cx=\"" << number(x(p.x), 6) << "\" cy=\"" << number(y(p.score), 6) << "\" r=\"4\" fill=\""
          << (p.call == "high" ? colour : "#ffffff") << "\" stroke=\"" << colour << "\" stroke-width=\"1.5\"><title>"
          << escape(lines[k]->subject) << ", " << escape(data.qc[static_cast<std::size_t>(p.sample)].sample) << " ("
          << escape(f.time[static_cast<std::size_t>(p.sample)]) << "): " << number(p.score, 4) << ", " << escape(p.call)
          << "</title></circle>";
    }
    out << "</g>\n";
  }
  const double lx = plot_right + 16;
  out << "<g class=\"legend\"><text class=\"legend-title\" x=\"" << lx << "\" y=\"" << kTop + 10 << "\">subject</text>\n";
  double ly = kTop + 30;
  constexpr std::size_t kNamedSubjects = 10;
  for (std::size_t k = 0; k < std::min(lines.size(), kNamedSubjects); ++k) {
    legend_item(out, lx, ly, kGroupColours[k % kGroupColours.size()], lines[k]->subject, "legend-subject");
    ly += 18;
  }
  if (lines.size() > kNamedSubjects) {
    out << "<text x=\"" << lx << "\" y=\"" << ly << "\">and " << lines.size() - kNamedSubjects << " more</text>\n";
    ly += 18;
  }
  out << "<text x=\"" << lx << "\" y=\"" << ly + 4 << "\">filled: high, open: low</text>\n";
  legend_threshold(out, lx, ly + 24, "threshold");
  if (!controls.empty()) {
    out << "<rect x=\"" << lx << "\" y=\"" << ly + 36 << "\" width=\"24\" height=\"10\" fill=\"#dddddd\"/><text x=\""
        << lx + 30 << "\" y=\"" << ly + 45 << "\">reference range</text>\n";
  }
  out << "</g>\n</svg>\n";
  return out.str();
}

std::string heatmap(const ReportData& data) {
  constexpr double kLabel = 170, kTop = 30, kCellH = 14, kLegend = 190;
  const std::size_t n = data.order.size();
  // Columns: every sample, or bins of consecutive samples in score order for large cohorts.
  const std::size_t per_column = std::max<std::size_t>(1, (n + kHeatmapMaxColumns - 1) / kHeatmapMaxColumns);
  const std::size_t columns = (n + per_column - 1) / per_column;
  const double cell_w = std::clamp(720.0 / static_cast<double>(std::max<std::size_t>(1, columns)), 3.6, 22.0);
  const bool sample_labels = per_column == 1 && n <= 80;
  const bool tooltips = columns * data.heatmap.size() <= kHeatmapMaxTooltips;
  const double grid_w = cell_w * static_cast<double>(columns);
  const double grid_h = kCellH * static_cast<double>(data.heatmap.size());
  const double width = kLabel + grid_w + kLegend;
  const double height = kTop + grid_h + (sample_labels ? 90 : 20) + 24;
  const auto first = [&](std::size_t c) { return c * per_column; };
  const auto last = [&](std::size_t c) { return std::min(n, (c + 1) * per_column); };
  std::ostringstream out;
  out << "<svg id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << number(width, 6) << ' '
      << number(height, 6) << "\" width=\"" << number(width, 6) << "\" height=\"" << number(height, 6)
      << "\" data-samples-per-column=\"" << per_column
      << "\" role=\"img\" aria-label=\"panel gene z-scores\">\n<defs><linearGradient id=\"zscale\" x1=\"0\" y1=\"1\" "
         "x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"#2166ac\"/><stop offset=\"0.5\" stop-color=\"#f7f7f7\"/>"
         "<stop offset=\"1\" stop-color=\"#b2182b\"/></linearGradient></defs>\n";
  for (std::size_t c = 0; c < columns; ++c) {
    const double x = kLabel + cell_w * static_cast<double>(c);
    const QcRow& sample = data.qc[static_cast<std::size_t>(data.order[first(c)])];
    std::string group = sample.group;
    for (std::size_t k = first(c); k < last(c); ++k) {
      if (data.qc[static_cast<std::size_t>(data.order[k])].group != group) group.clear();
    }
    out << "<rect class=\"group-bar\" x=\"" << number(x, 6) << "\" y=\"10\" width=\"" << number(cell_w, 6)
        << "\" height=\"14\" fill=\"" << (group.empty() ? "#999999" : group_colour(data, group)) << "\"><title>";
    if (per_column == 1) {
      out << escape(sample.sample) << ": " << escape(sample.group);
    } else {
      out << "samples " << first(c) + 1 << "-" << last(c) << " in score order: "
          << (group.empty() ? std::string("mixed groups") : escape(group));
    }
    out << "</title></rect>\n";
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
      out << "<line class=\"panel-separator\" x1=\"0\" x2=\"" << number(kLabel + grid_w, 6) << "\" y1=\"" << y
          << "\" y2=\"" << y << "\"/>\n";
    }
    previous_panel = row.panel;
    out << "<g class=\"heatmap-row\" data-gene=\"" << escape(row.gene) << "\"><text class=\"gene-label\" x=\""
        << kLabel - 6 << "\" y=\"" << y + kCellH - 3 << "\" text-anchor=\"end\">" << escape(row.panel) << ": "
        << escape(row.gene) << "</text>\n";
    std::vector<double> z(columns);
    for (std::size_t c = 0; c < columns; ++c) {
      double sum = 0;
      std::size_t known = 0;
      for (std::size_t k = first(c); k < last(c); ++k) {
        if (!std::isnan(row.z[k])) {
          sum += row.z[k];
          ++known;
        }
      }
      z[c] = known == 0 ? std::nan("") : sum / static_cast<double>(known);
    }
    for (std::size_t c = 0; c < columns;) {
      std::size_t end = c + 1;
      const std::string colour = z_colour(z[c]);
      if (!tooltips) {
        while (end < columns && z_colour(z[end]) == colour) ++end;  // one rectangle per run of one colour
      }
      out << "<rect x=\"" << number(kLabel + cell_w * static_cast<double>(c), 6) << "\" y=\"" << y << "\" width=\""
          << number(cell_w * static_cast<double>(end - c), 6) << "\" height=\"" << kCellH << "\" fill=\"" << colour
          << '"';
      if (tooltips) {
        out << "><title>" << escape(row.gene) << ", "
            << (per_column == 1 ? escape(data.qc[static_cast<std::size_t>(data.order[c])].sample)
                                : "samples " + std::to_string(first(c) + 1) + "-" + std::to_string(last(c)))
            << ": z=" << number(z[c]) << "</title></rect>\n";
      } else {
        out << "/>";
      }
      c = end;
    }
    out << "</g>\n";
  }
  out << "<text class=\"axis-title\" x=\"" << number(kLabel + grid_w / 2, 6) << "\" y=\""
      << number(height - 6, 6) << "\" text-anchor=\"middle\">samples, ordered by "
      << (data.panels.empty() ? std::string("sheet order")
                              : escape(data.panels.front().panel) + " score (low to high)")
      << (per_column > 1 ? "; each column is the mean of " + std::to_string(per_column) + " samples" : std::string())
      << "</text>\n";
  const double lx = kLabel + grid_w + 24;
  out << "<g class=\"legend\"><text class=\"legend-title\" x=\"" << number(lx, 6) << "\" y=\"" << kTop - 8
      << "\">z vs controls (SD)</text><rect x=\"" << number(lx, 6) << "\" y=\"" << kTop
      << "\" width=\"14\" height=\"100\" fill=\"url(#zscale)\" stroke=\"#888\"/>\n";
  for (const auto& [label, offset] : {std::pair{"+4 or more", 0.0}, {"0", 50.0}, {"-4 or less", 100.0}}) {
    out << "<text class=\"tick\" x=\"" << number(lx + 18, 6) << "\" y=\"" << kTop + offset + 4 << "\">" << label
        << "</text>\n";
  }
  out << "<rect x=\"" << number(lx, 6) << "\" y=\"" << kTop + 112 << "\" width=\"14\" height=\"10\" fill=\"#dddddd\"/>"
      << "<text class=\"tick\" x=\"" << number(lx + 18, 6) << "\" y=\"" << kTop + 121 << "\">no control SD</text>\n";
  double gy = kTop + 142;
  out << "<text class=\"legend-title\" x=\"" << number(lx, 6) << "\" y=\"" << gy << "\">group (top bar)</text>\n";
  for (const auto& group : data.groups) {
    gy += 16;
    out << "<rect x=\"" << number(lx, 6) << "\" y=\"" << gy - 10 << "\" width=\"14\" height=\"10\" fill=\""
        << group_colour(data, group) << "\"/><text class=\"tick\" x=\"" << number(lx + 18, 6) << "\" y=\"" << gy
        << "\">" << escape(group) << "</text>\n";
  }
  out << "</g>\n</svg>\n";
  return out.str();
}

std::string qc_plot(const ReportData& data) {
  const bool labelled = data.qc.size() <= kQcMaxLabelledRows;
  const double kLabel = 140, kBar = 520, kTop = 26, row_h = labelled ? 16 : 3, kAxis = 40;
  const std::array<std::pair<count::ReadStatus, const char*>, 5> kShown = {
      {{count::ReadStatus::kAssigned, "#009E73"},
       {count::ReadStatus::kNoFeatures, "#E69F00"},
       {count::ReadStatus::kAmbiguity, "#F0E442"},
       {count::ReadStatus::kMultiMapping, "#CC79A7"},
       {count::ReadStatus::kUnmapped, "#56B4E9"}}};
  const char* kNames[] = {"Assigned", "NoFeatures", "Ambiguity", "MultiMapping", "Unmapped", "other"};
  const double bars_bottom = kTop + row_h * static_cast<double>(data.qc.size());
  const double height = bars_bottom + kAxis;
  std::ostringstream out;
  out << "<svg id=\"qc-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << kLabel + kBar + 20 << ' '
      << number(height, 6) << "\" width=\"" << kLabel + kBar + 20 << "\" height=\"" << number(height, 6)
      << "\" role=\"img\" aria-label=\"read assignment per sample\">\n<g class=\"legend\">";
  for (std::size_t k = 0; k < 6; ++k) {
    out << "<rect x=\"" << kLabel + 90.0 * static_cast<double>(k) << "\" y=\"4\" width=\"10\" height=\"10\" fill=\""
        << (k < 5 ? kShown[k].second : "#cccccc") << "\"/><text class=\"tick\" x=\""
        << kLabel + 90.0 * static_cast<double>(k) + 13 << "\" y=\"13\">" << kNames[k] << "</text>\n";
  }
  out << "</g>\n";
  for (std::size_t i = 0; i < data.qc.size(); ++i) {
    const QcRow& row = data.qc[i];
    const double y = kTop + row_h * static_cast<double>(i);
    const double total = static_cast<double>(std::max<std::uint64_t>(1, row.status.total()));
    out << "<g class=\"qc-row\">";
    if (labelled) {
      out << "<text class=\"tick\" x=\"" << kLabel - 6 << "\" y=\"" << y + 11 << "\" text-anchor=\"end\">"
          << escape(row.sample) << "</text>\n";
    }
    if (!row.status_known()) {  // its categories are not known
      if (labelled) {
        out << "<text class=\"tick\" x=\"" << kLabel + 4 << "\" y=\"" << y + 11 << "\">"
            << (row.targeted ? "chosen genes only" : "counts given: not known") << "</text>";
      }
      out << "</g>\n";
      continue;
    }
    double x = kLabel, shown = 0;
    for (std::size_t k = 0; k <= kShown.size(); ++k) {
      const double count = k < kShown.size() ? static_cast<double>(row.status[kShown[k].first]) : total - shown;
      shown += count;
      const double w = kBar * count / total;
      out << "<rect x=\"" << number(x, 6) << "\" y=\"" << y << "\" width=\"" << number(w, 6) << "\" height=\""
          << (labelled ? row_h - 3 : row_h) << "\" fill=\"" << (k < kShown.size() ? kShown[k].second : "#cccccc") << '"';
      if (labelled) {
        out << "><title>" << escape(row.sample) << ' ' << kNames[k] << ": " << number(100 * count / total)
            << "%</title></rect>\n";
      } else {
        out << "/>";
      }
      x += w;
    }
    out << "</g>\n";
  }
  out << "<line class=\"axis\" x1=\"" << kLabel << "\" x2=\"" << kLabel + kBar << "\" y1=\"" << number(bars_bottom + 2, 6)
      << "\" y2=\"" << number(bars_bottom + 2, 6) << "\"/>\n";
  for (int t = 0; t <= 100; t += 25) {
    out << "<text class=\"tick\" x=\"" << kLabel + kBar * t / 100.0 << "\" y=\"" << number(bars_bottom + 15, 6)
        << "\" text-anchor=\"middle\">" << t << "</text>\n";
  }
  out << "<text class=\"axis-title\" x=\"" << kLabel + kBar / 2 << "\" y=\"" << number(bars_bottom + 32, 6)
      << "\" text-anchor=\"middle\">share of reads (pairs) per featureCounts category, %"
      << (labelled ? "" : "; one 3-pixel row per sample in sheet order (numbers in the table)") << "</text>\n";
  out << "<text class=\"axis-title\" transform=\"translate(14," << number((kTop + bars_bottom) / 2, 6)
      << ") rotate(-90)\" text-anchor=\"middle\">samples</text>\n";
  out << "</svg>\n";
  return out.str();
}

}  // namespace ifnsig::report::svg
