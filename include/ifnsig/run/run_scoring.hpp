// Owns: the calls table of `ifnsig run` (calls.tsv: the sample's group beside each call).
// Thread-safety: a pure writer.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/score/scorer.hpp"

namespace ifnsig::run {

// `sample group panel method score call threshold`, one row per sample, panel and method.
void write_calls(std::ostream& out, const matrix::GeneMatrix& matrix, const std::vector<std::string>& groups,
                 const score::ScoreRun& run);

}  // namespace ifnsig::run
