// Owns: batch correction as sva::ComBat (sva 3.46): location/scale model with optional covariates,
//       parametric or non-parametric empirical Bayes, mean-only mode; the fitted estimates can be
//       re-applied to samples of known batches one at a time.
// Thread-safety: pure functions; TBB parallelism over genes, thread-count independent.
// Invariant: apply_combat(fit_combat(D, d), D, d) is ComBat's in-cohort output for D; genes constant
//            within a batch are left unadjusted, as ComBat does.
#pragma once
#include <Eigen/Dense>
#include <string>
#include <vector>

namespace ifnsig::norm {

struct CombatOptions {
  bool parametric = true;
  bool mean_only = false;
};

// Factor levels as R's factor() orders them (sorted), for the batch and each covariate.
struct CombatLevels {
  std::vector<std::string> batches;
  std::vector<std::string> covariate_names;
  std::vector<std::vector<std::string>> covariate_levels;
};

// The per-sample design: batch index and covariate indicator columns (treatment contrasts, no intercept).
struct CombatDesign {
  std::vector<std::size_t> batch;
  Eigen::MatrixXd covariates;  // samples x covariate columns
};

struct CombatFit {
  CombatLevels levels;
  bool mean_only = false;
  bool parametric = true;
  std::vector<char> adjusted;        // per gene; false = constant within a batch, left as is
  std::vector<double> grand_mean;    // per gene
  std::vector<double> var_pooled;    // per gene
  Eigen::MatrixXd covariate_coefs;   // genes x covariate columns
  Eigen::MatrixXd gamma_star;        // genes x batches
  Eigen::MatrixXd delta_star;        // genes x batches
};

// Levels from the cohort; `covariates` holds one value vector per covariate column of the sheet.
CombatLevels combat_levels(const std::vector<std::string>& batch, const std::vector<std::string>& covariate_names,
                           const std::vector<std::vector<std::string>>& covariates);
// Throws InputError naming the sample whose batch or covariate level is unknown to `levels`.
CombatDesign combat_design(const CombatLevels& levels, const std::vector<std::string>& sample_ids,
                           const std::vector<std::string>& batch, const std::vector<std::vector<std::string>>& covariates);

CombatFit fit_combat(const Eigen::MatrixXd& data, const CombatLevels& levels, const CombatDesign& design,
                     const CombatOptions& options);
// Adjusts `data` (genes x samples, log scale) in place.
void apply_combat(const CombatFit& fit, Eigen::MatrixXd& data, const CombatDesign& design);

}  // namespace ifnsig::norm
