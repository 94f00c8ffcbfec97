// Owns: one scoring run: matching panels to the matrix, the control statistics (from the control group or
//       a frozen reference), every method on every panel, thresholds and calls, and the output tables.
// Thread-safety: run_scores() uses TBB inside the caller's ThreadScope; results do not depend on -T.
// Invariant: every ScoreRow has a finite score and n_genes_used >= min_genes, or run_scores() threw.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/score/calls.hpp"
#include "ifnsig/score/control_methods.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/rank_methods.hpp"
#include "ifnsig/score/score_reference.hpp"

namespace ifnsig::score {

enum class Method { kRice, kZscoreControls, kZscoreControlsMean, kModule, kSingscore, kSingscoreUnknown, kSsgsea,
                    kGsva, kZscore, kPlage };

struct MethodInfo {
  Method method;
  const char* name;
  bool needs_controls;  // per-gene control statistics (or a reference) are required
  bool single_sample;   // a sample's score does not depend on the other samples of the run
  const char* summary;
};
const std::vector<MethodInfo>& method_table();
const MethodInfo& method_info(Method method);
Method parse_method(const std::string& name);  // UsageError listing the valid names

struct ScoreOptions {
  std::vector<Method> methods{Method::kRice};
  GsvaOptions gsva;
  bool ssgsea_normalize = false;
  double ssgsea_alpha = 0.25;
  int min_genes = 3;
  double threshold_sd = 2.0;
  bool rice_published_threshold = false;
  ModuleThresholds module;
};

struct ScoreRow {
  int sample = 0;  // column of the matrix
  std::string panel;
  std::string method;
  double score = 0.0;
  std::string call;
  Threshold threshold;
  int n_genes_used = 0;
  double dispersion = std::numeric_limits<double>::quiet_NaN();  // singscore only
};

struct ScoreRun {
  std::vector<MatchedSet> panels;
  std::vector<GeneStats> stats;  // per matrix row: control (or reference) statistics of the panel genes
  std::vector<ScoreRow> rows;    // ordered by panel, method, sample
  ScoreReference reference_out;  // what --save-reference writes (control statistics and thresholds)
};

// Matches each panel, warns about missing genes, throws InputError when fewer than min_genes are present.
std::vector<MatchedSet> match_panels(const std::vector<GeneSet>& panels, const GeneMatcher& matcher, int min_genes);

struct ScoreInput {
  const matrix::GeneMatrix* matrix = nullptr;
  std::string source;                       // the matrix's file, named in errors
  std::vector<MatchedSet> panels;
  std::vector<int> control_columns;         // may be empty
  std::string control_group;                // for messages and the saved reference, e.g. "group=control"
  const ScoreReference* reference = nullptr;  // when given, it replaces the control group's statistics
};

ScoreRun run_scores(const ScoreInput& input, const ScoreOptions& options);

// `sample panel method score call threshold n_genes_used threshold_rule dispersion`
void write_scores(std::ostream& out, const matrix::GeneMatrix& matrix, const ScoreRun& run);
// `sample panel gene gene_id value reference_median fold_change reference_mean reference_sd z_score`
void write_signature(std::ostream& out, const matrix::GeneMatrix& matrix, const ScoreRun& run);
// How each panel gene was found: `panel gene status alias gene_id`, status `symbol` (by its symbol or an id),
// `alias` (through the alias in the next column), or `missing` (alias and gene_id NA); panel order, the
// missing genes after the found ones.
void write_panel_genes(std::ostream& out, const matrix::GeneMatrix& matrix, const ScoreRun& run);

}  // namespace ifnsig::score
