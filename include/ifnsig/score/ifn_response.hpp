// Owns: the dominant-response rule: which of a type I and a type II IFN panel (GeneSet::response) a sample's
//       scores point to, from each panel's score against its own threshold and control spread.
// Thread-safety: pure functions.
// Invariant: the rule reads only the two scores, the two thresholds and the controls' score SDs, so a
//            sample's call does not depend on the order or number of other samples beyond the controls.
#pragma once
#include <limits>
#include <string>
#include <vector>

#include "ifnsig/score/calls.hpp"
#include "ifnsig/score/gene_set.hpp"

namespace ifnsig::score {

// When both panels are high, one response dominates only if its standardized excess is at least this many
// times the other's; otherwise the call is "I+II".
inline constexpr double kDominanceRatio = 2.0;

struct ResponseScore {
  double score = std::numeric_limits<double>::quiet_NaN();
  Threshold threshold;
};

struct DominantResponse {
  // "I", "II", "I+II" (both high, neither dominant), "none" (both low) or "NA" (a threshold unknown).
  std::string call = "NA";
  // (score - threshold) / SD of the controls' scores: how far above (or below) its own threshold a panel is,
  // in control SDs; NaN without the control SD (a run scored against a reference).
  double excess_i = std::numeric_limits<double>::quiet_NaN();
  double excess_ii = std::numeric_limits<double>::quiet_NaN();
};

// The standardized excess of one panel; NaN when the threshold or a positive control SD is unknown.
double standardized_excess(const ResponseScore& score);
DominantResponse dominant_response(const ResponseScore& type_i, const ResponseScore& type_ii);

// The first panel (in the given order) with response "type I" and the first with "type II"; -1 when absent.
struct ResponsePanels {
  int type_i = -1;
  int type_ii = -1;
  bool complete() const { return type_i >= 0 && type_ii >= 0; }
};
ResponsePanels find_response_panels(const std::vector<GeneSet>& panels);

}  // namespace ifnsig::score
