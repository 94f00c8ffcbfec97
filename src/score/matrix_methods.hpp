// Owns: the cohort-standardized gene-set scores of GSVA 1.46: z-score (Lee 2008) and PLAGE (Tomfohr 2005).
// Thread-safety: pure functions (TBB parallel_for over sets inside the caller's ThreadScope).
// Invariant: the genes GSVA drops (SD across samples below 1e-10) are dropped first; scores are sets x samples.
#pragma once
#include <Eigen/Dense>

#include "ifnsig/score/rank_methods.hpp"

namespace ifnsig::score {

// Sum over the set of genes standardized across samples (mean, sd n-1), divided by sqrt(set size).
SetScores lee_zscore(const Eigen::MatrixXd& expression, const SetRows& sets);

// First right singular vector of the set's standardized genes. Its sign is arbitrary in GSVA (LAPACK);
// ifnsig orients it so that it correlates positively with the set's mean standardized expression.
SetScores plage(const Eigen::MatrixXd& expression, const SetRows& sets);

}  // namespace ifnsig::score
