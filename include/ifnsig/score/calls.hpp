// Owns: IFN-high/IFN-low calls and the thresholds they use, with a readable rule saying how each
//       threshold was derived.
// Thread-safety: pure functions and value types.
// Invariant: a Threshold with a NaN value yields the call "NA"; otherwise "high" iff score > value.
#pragma once
#include <limits>
#include <span>
#include <string>

namespace ifnsig::score {

// The Rice 2013 cut-off: mean + 2 SD of 29 healthy controls' qPCR scores.
inline constexpr double kRicePublishedThreshold = 2.466;

struct Threshold {
  double value = std::numeric_limits<double>::quiet_NaN();
  std::string rule = "no controls and no reference threshold";
  // Mean and SD of the control samples' scores when there are at least 2 controls (whatever the rule): the
  // run's, or a frozen reference's stored control scores. The dominant-response rule standardizes by the SD.
  double control_mean = std::numeric_limits<double>::quiet_NaN();
  double control_sd = std::numeric_limits<double>::quiet_NaN();
};

// mean + n_sd * sd of the control samples' scores of the same panel and method; NaN with fewer than 2.
Threshold controls_threshold(std::span<const double> control_scores, double n_sd);
Threshold rice_published_threshold();
// A threshold read back from a frozen reference: its value and rule as saved, the controls' mean and SD from
// the control scores saved with it (NaN with fewer than 2, e.g. a reference written before they were kept).
Threshold stored_threshold(double value, std::string rule, std::span<const double> control_scores);

// "high", "low", or "NA" when the threshold is unknown.
std::string call(double score, const Threshold& threshold);

}  // namespace ifnsig::score
