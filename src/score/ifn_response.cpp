#include "ifnsig/score/ifn_response.hpp"

#include <cmath>

namespace ifnsig::score {

double standardized_excess(const ResponseScore& s) {
  if (std::isnan(s.score) || std::isnan(s.threshold.value) || !(s.threshold.control_sd > 0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return (s.score - s.threshold.value) / s.threshold.control_sd;
}

DominantResponse dominant_response(const ResponseScore& type_i, const ResponseScore& type_ii) {
  DominantResponse out;
  out.excess_i = standardized_excess(type_i);
  out.excess_ii = standardized_excess(type_ii);
  const std::string call_i = call(type_i.score, type_i.threshold);
  const std::string call_ii = call(type_ii.score, type_ii.threshold);
  if (call_i == "NA" || call_ii == "NA") return out;
  const char* result = "I+II";  // both high, neither dominant
  if (call_i == "low" && call_ii == "low") {
    result = "none";
  } else if (call_ii == "low") {
    result = "I";
  } else if (call_i == "low") {
    result = "II";
  } else if (std::isnan(out.excess_i) || std::isnan(out.excess_ii)) {
    result = "I+II";  // both high; without the controls' spread the excesses cannot be compared
  } else if (out.excess_i >= kDominanceRatio * out.excess_ii) {
    result = "I";
  } else if (out.excess_ii >= kDominanceRatio * out.excess_i) {
    result = "II";
  }
  out.call = std::string(result);
  return out;
}

ResponsePanels find_response_panels(const std::vector<GeneSet>& panels) {
  ResponsePanels out;
  for (std::size_t k = 0; k < panels.size(); ++k) {
    if (panels[k].response == "type I" && out.type_i < 0) out.type_i = static_cast<int>(k);
    if (panels[k].response == "type II" && out.type_ii < 0) out.type_ii = static_cast<int>(k);
  }
  return out;
}

}  // namespace ifnsig::score
