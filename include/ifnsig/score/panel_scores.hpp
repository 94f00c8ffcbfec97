// Owns: scoring panels as every command does it: each panel with its published method (or the methods asked
//       for), merged into one ScoreRun, with what each panel matched.
// Thread-safety: score_panels() uses TBB on the Execution's cores; results do not depend on -T.
// Invariant: the merged run lists rows by panel, then method, then sample (matrix column order).
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "ifnsig/core/execution.hpp"
#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/scorer.hpp"

namespace ifnsig::score {

// The panels `ifnsig score` and `ifnsig run` score by default: Rice 2013, six ISGs, median fold change vs the
// controls.
inline constexpr const char* kDefaultPanels[] = {"rice6"};

struct ScoreSetup {
  std::string source;  // the normalized matrix's file, named in errors
  std::vector<GeneSet> panels;
  std::vector<Method> methods;  // empty: each panel's published method (rice when it names none)
  std::unordered_map<std::string, std::string> gene_map;  // gene_id -> gene_name
  const GeneAliasTable* aliases = nullptr;  // the shipped gene alias table (GeneMatcher); null: panel aliases only
  std::vector<int> control_columns;
  std::string control_group;                        // "group=control"
  const ScoreReference* reference = nullptr;  // replaces the control group when set
  ScoreOptions options;                      // methods are taken from above
};

struct PanelMatch {
  std::string panel;
  std::string response;  // the panel's GeneSet::response ("type I", "type II" or empty)
  std::vector<std::string> missing;  // panel symbols absent from the matrix
  std::vector<AliasMatch> aliased;   // panel symbols found under an alias, with the matrix name used
  std::size_t n_members = 0;
};

struct ScoredPanels {
  ScoreRun run;
  std::vector<PanelMatch> matches;
};

// Runs on execution.threads cores.
ScoredPanels score_panels(const matrix::GeneMatrix& matrix, const ScoreSetup& setup, const Execution& execution);

}  // namespace ifnsig::score
