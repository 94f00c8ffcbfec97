// Owns: the report's inline SVG figures (score strip/box plot, type I x type II scatter, follow-up lines,
//       panel-gene heatmap, QC bars), their colour-blind-safe palette (Okabe-Ito; blue-white-red for z-scores), the axis units
//       of each method, and the escaping and number formatting they share with the HTML page.
// Thread-safety: pure functions.
// Invariant: output is well-formed SVG with stable ids/classes: #score-plot .threshold-line, #ifn-type-plot,
//            #followup-plot-<panel> .trajectory, #heatmap, #qc-plot; every figure has axis titles and a legend; nothing refers to external
//            resources. Figures thin out large cohorts (a box with outliers instead of every point, binned
//            heatmap columns) so that 1,000 samples stay legible and small.
#pragma once
#include <string>
#include <string_view>

#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report::svg {

// A group with more samples than this is drawn as a box with its outliers only.
inline constexpr std::size_t kStripMaxPoints = 150;
// The heatmap shows at most this many columns; larger cohorts are binned (consecutive samples in score order).
inline constexpr std::size_t kHeatmapMaxColumns = 200;
// Per-cell tooltips only up to this many cells (size).
inline constexpr std::size_t kHeatmapMaxTooltips = 6000;
// The QC bars get a labelled row per sample up to this many samples.
inline constexpr std::size_t kQcMaxLabelledRows = 200;

std::string escape(std::string_view text);
// "%.3g"-style for labels; "NA" for NaN.
std::string number(double value, int precision = 3);
// A colour for each group, controls first (stable across figures).
std::string group_colour(const ReportData& data, const std::string& group);
// The colour of a call ("high", "low", "NA") and of a dominant response ("I", "II", "I+II", "none", "NA").
std::string call_colour(const std::string& call);
std::string response_colour(const std::string& response);
// What a method's score measures, for axis titles ("median fold change vs controls", ...).
std::string method_unit(const std::string& method);

std::string score_plot(const ReportData& data);
std::string response_plot(const ReportData& data);  // empty unless data.response.present()
// Each subject's score over time for data.panels[panel] (empty without trajectories for it): one line per
// subject, the threshold and the control group's range.
std::string trajectory_plot(const ReportData& data, std::size_t panel);
std::string heatmap(const ReportData& data);
std::string qc_plot(const ReportData& data);

}  // namespace ifnsig::report::svg
