#include "ifnsig/score/calls.hpp"

#include <cmath>
#include <utility>

#include "ifnsig/io/text.hpp"
#include "stats.hpp"

namespace ifnsig::score {

Threshold controls_threshold(std::span<const double> control_scores, double n_sd) {
  Threshold threshold;
  if (control_scores.size() < 2) {
    threshold.rule = "fewer than 2 control samples: no threshold";
    return threshold;
  }
  threshold.control_mean = mean(control_scores);
  threshold.control_sd = sd(control_scores);
  threshold.value = threshold.control_mean + n_sd * threshold.control_sd;
  threshold.rule = "controls mean+" + io::format_double(n_sd) + "sd (n=" + std::to_string(control_scores.size()) + ")";
  return threshold;
}

Threshold stored_threshold(double value, std::string rule, std::span<const double> control_scores) {
  Threshold threshold{value, std::move(rule)};
  if (control_scores.size() >= 2) {
    threshold.control_mean = mean(control_scores);
    threshold.control_sd = sd(control_scores);
  }
  return threshold;
}

Threshold rice_published_threshold() {
  return Threshold{kRicePublishedThreshold, "published Rice 2013 cut-off (qPCR, 29 controls)"};
}

std::string call(double score, const Threshold& threshold) {
  if (std::isnan(threshold.value) || std::isnan(score)) return "NA";
  return score > threshold.value ? "high" : "low";
}

}  // namespace ifnsig::score
