// Owns: the "score" object of a frozen-reference JSON (control statistics per gene, and per panel and method
//       the threshold and the control samples' scores), so that a new sample is scored exactly as inside the
//       reference cohort and placed in the controls' score distribution (the sample pages' percentiles).
// Thread-safety: value type; load/save touch only the given file.
// Invariant: save() rewrites only the top-level "score" key (and the checksum) and preserves every other key
//            of the file (normalize owns "format", "version" and its own objects); the file is read and
//            written through core/reference_file.hpp (checksum verified, then renewed; the write is atomic).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "ifnsig/score/calls.hpp"
#include "ifnsig/score/control_methods.hpp"

namespace ifnsig::score {

inline constexpr int kScoreReferenceVersion = 1;

struct ReferenceThreshold {
  std::string panel;
  std::string method;
  Threshold threshold;
  // The control samples' scores, in control_samples order ("control_scores"; empty in references written
  // before they were kept, which are read as before).
  std::vector<double> control_scores;
};

struct ScoreReference {
  std::string control_group;                  // e.g. "group=control"
  std::vector<std::string> control_samples;
  std::string input_scale;                    // free text, e.g. "linear (normalized counts)"
  std::map<std::string, GeneStats> genes;     // by matrix gene_id
  std::vector<ReferenceThreshold> thresholds;

  const Threshold* find_threshold(const std::string& panel, const std::string& method) const;
  // Statistics for each matrix row whose gene_id is in the reference; others unknown.
  std::vector<GeneStats> stats_for(const std::vector<std::string>& gene_ids) const;
};

// Reads the "score" object; InputError if the file's checksum does not match, it is not an ifnsig reference
// or has no "score" object.
ScoreReference load_score_reference(const std::string& path);
// Creates the file (with "format" and "version") or updates only its "score" object; an existing file whose
// checksum does not match is refused (saving would seal the edit with a new checksum).
void save_score_reference(const std::string& path, const ScoreReference& reference, const std::string& created_by);
// The checks of save_score_reference on an existing file, for a command to make before it writes anything.
void check_score_reference_target(const std::string& path);

}  // namespace ifnsig::score
