// Owns: the rank-based gene-set scores as defined by GSVA 1.46 (gsva, ssgsea) and singscore.
// Thread-safety: pure functions; they run TBB parallel_for over genes or samples inside the caller's
//                ThreadScope, and each sample's result is computed by one task (identical at any -T).
// Invariant: scores has one row per set and one column per sample; n_used[s] counts the genes of set s
//            that entered the score (gsva drops the genes GSVA drops: SD across samples below 1e-10).
#pragma once
#include <Eigen/Dense>
#include <vector>

namespace ifnsig::score {

using SetRows = std::vector<std::vector<int>>;  // matrix rows of each set's genes

struct SetScores {
  Eigen::MatrixXd scores;      // sets x samples
  Eigen::MatrixXd dispersion;  // sets x samples (singscore only, else empty)
  std::vector<int> n_used;
};

enum class Kcdf { kGaussian, kPoisson, kNone };

struct GsvaOptions {
  Kcdf kcdf = Kcdf::kGaussian;
  bool mx_diff = true;
  bool abs_ranking = false;
  double tau = 1.0;
};

// GSVA (Hanzelmann 2013): per-gene kernel CDF across samples, per-sample rank walk; cohort-dependent.
SetScores gsva(const Eigen::MatrixXd& expression, const SetRows& sets, const GsvaOptions& options);

// ssGSEA (Barbie 2009) as in GSVA: weights rank^alpha; with `normalize` divided by the range of all scores.
SetScores ssgsea(const Eigen::MatrixXd& expression, const SetRows& sets, double alpha, bool normalize);

// singscore (Foroutan 2018), up-set only, ranks with ties "min" over all genes. Known direction: centred
// score in [-0.5, 0.5]; unknown direction: ranks folded around the median, not centred. Dispersion: MAD.
SetScores singscore(const Eigen::MatrixXd& expression, const SetRows& sets, bool known_direction);

}  // namespace ifnsig::score
