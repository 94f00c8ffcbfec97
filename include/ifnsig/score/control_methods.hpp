// Owns: the control-referenced scores (Rice median fold change, z-scores against control mean/SD,
//       BloodGen3-style module %up - %down) and the per-gene statistics of the control group they use.
// Thread-safety: pure functions.
// Invariant: a method only sees genes whose control statistic it needs is usable (filter_for() drops
//            the rest and says which), so no score is an unexplained NaN.
#pragma once
#include <Eigen/Dense>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "ifnsig/score/rank_methods.hpp"

namespace ifnsig::score {

struct GeneStats {
  double median = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
  bool known = false;
};

// Statistics over the control columns for each row in `rows`; other rows stay unknown.
std::vector<GeneStats> control_gene_stats(const Eigen::MatrixXd& expression, std::span<const int> control_columns,
                                          std::span<const int> rows);

enum class ControlNeed { kMedian, kMeanSd, kMean };

struct FilteredSet {
  std::vector<int> rows;
  std::vector<int> dropped;  // rows without a usable statistic (unknown, median <= 0, sd == 0)
};
FilteredSet filter_for(const std::vector<int>& rows, const std::vector<GeneStats>& stats, ControlNeed need);

// Per sample, the median over the set's genes of expression / control median (linear scale).
SetScores rice_scores(const Eigen::MatrixXd& expression, const SetRows& sets, const std::vector<GeneStats>& stats);

// Per sample, the sum (or mean) over the set's genes of (x - control mean) / control sd.
SetScores control_zscores(const Eigen::MatrixXd& expression, const SetRows& sets, const std::vector<GeneStats>& stats,
                          bool mean_instead_of_sum);

struct ModuleThresholds {
  double fold_change = 1.5;  // |gtools-style fold change| a gene must exceed
  double difference = 10.0;  // |x - control mean| a gene must exceed, in expression units
};
// Per sample, 100 * (n_up - n_down) / n_genes against the control means (BloodGen3 Individualcomparison).
SetScores module_scores(const Eigen::MatrixXd& expression, const SetRows& sets, const std::vector<GeneStats>& stats,
                        const ModuleThresholds& thresholds);

// gtools::foldchange(x, reference): x / reference when >= 1, else -reference / x.
double signed_fold_change(double x, double reference);

}  // namespace ifnsig::score
