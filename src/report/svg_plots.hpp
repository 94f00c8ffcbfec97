// Owns: the report's inline SVG figures (score strip/box plot, panel-gene heatmap, QC bars) and the
//       escaping and number formatting they share with the HTML page.
// Thread-safety: pure functions.
// Invariant: output is well-formed SVG with stable ids/classes: #score-plot .threshold-line, #heatmap,
//            #qc-plot; nothing refers to external resources.
#pragma once
#include <string>
#include <string_view>

#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report::svg {

std::string escape(std::string_view text);
// "%.3g"-style for labels; "NA" for NaN.
std::string number(double value, int precision = 3);
// A colour for each group, controls first (stable across figures).
std::string group_colour(const ReportData& data, const std::string& group);

std::string score_plot(const ReportData& data);
std::string heatmap(const ReportData& data);
std::string qc_plot(const ReportData& data);

}  // namespace ifnsig::report::svg
