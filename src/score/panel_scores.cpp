#include "ifnsig/score/panel_scores.hpp"

#include <iterator>

namespace ifnsig::score {
namespace {

std::vector<Method> methods_for(const GeneSet& panel, const std::vector<Method>& asked) {
  if (!asked.empty()) return asked;
  return {parse_method(panel.method.empty() ? "rice" : panel.method)};
}

void merge_into(ScoreRun& total, ScoreRun&& part) {
  if (total.stats.empty()) total.stats = part.stats;
  for (std::size_t row = 0; row < part.stats.size(); ++row) {
    if (part.stats[row].known) total.stats[row] = part.stats[row];
  }
  total.panels.insert(total.panels.end(), part.panels.begin(), part.panels.end());
  std::move(part.rows.begin(), part.rows.end(), std::back_inserter(total.rows));
  auto& ref = total.reference_out;
  ref.control_group = part.reference_out.control_group;
  ref.control_samples = part.reference_out.control_samples;
  ref.input_scale = part.reference_out.input_scale;
  ref.genes.insert(part.reference_out.genes.begin(), part.reference_out.genes.end());
  ref.thresholds.insert(ref.thresholds.end(), part.reference_out.thresholds.begin(),
                        part.reference_out.thresholds.end());
}

ScoredPanels score_in_arena(const matrix::GeneMatrix& matrix, const ScoreSetup& setup) {
  const GeneMatcher matcher(matrix.gene_ids, setup.gene_map, setup.aliases);
  ScoredPanels result;
  for (std::size_t first = 0; first < setup.panels.size();) {
    const std::vector<Method> methods = methods_for(setup.panels[first], setup.methods);
    std::size_t end = first + 1;
    while (end < setup.panels.size() && methods_for(setup.panels[end], setup.methods) == methods) ++end;
    ScoreInput input;
    input.matrix = &matrix;
    input.source = setup.source;
    input.panels = match_panels({setup.panels.begin() + static_cast<std::ptrdiff_t>(first),
                                 setup.panels.begin() + static_cast<std::ptrdiff_t>(end)},
                                matcher, setup.options.min_genes);
    input.control_columns = setup.control_columns;
    input.control_group = setup.control_group;
    input.reference = setup.reference;
    for (std::size_t k = first; k < end; ++k) {
      const MatchedSet& matched = input.panels[k - first];
      result.matches.push_back(
          {setup.panels[k].name, setup.panels[k].response, matched.missing, matched.aliased, matched.n_members});
    }
    ScoreOptions options = setup.options;
    options.methods = methods;
    merge_into(result.run, run_scores(input, options));
    first = end;
  }
  return result;
}

}  // namespace

// Consecutive panels with the same methods are scored in one run, as one gene-set collection: methods that
// depend on every set of the run (ssGSEA's normalization by the range of all scores) see them together, as
// GSVA sees a GMT file.
ScoredPanels score_panels(const matrix::GeneMatrix& matrix, const ScoreSetup& setup, const Execution& execution) {
  return execution.run([&] { return score_in_arena(matrix, setup); });
}

}  // namespace ifnsig::score
