#include "ifnsig/score/control_methods.hpp"

#include <cmath>

#include "stats.hpp"

namespace ifnsig::score {
namespace {

SetScores allocate(const SetRows& sets, Eigen::Index n_samples) {
  SetScores result;
  result.scores.resize(static_cast<Eigen::Index>(sets.size()), n_samples);
  for (const auto& set : sets) result.n_used.push_back(static_cast<int>(set.size()));
  return result;
}

const GeneStats& stats_of(const std::vector<GeneStats>& stats, int row) { return stats[static_cast<std::size_t>(row)]; }

}  // namespace

std::vector<GeneStats> control_gene_stats(const Eigen::MatrixXd& expression, std::span<const int> control_columns,
                                          std::span<const int> rows) {
  std::vector<GeneStats> stats(static_cast<std::size_t>(expression.rows()));
  std::vector<double> values;
  for (int row : rows) {
    values.clear();
    for (int column : control_columns) values.push_back(expression(row, column));
    auto& s = stats[static_cast<std::size_t>(row)];
    s.median = median(values);
    s.mean = mean(values);
    s.sd = sd(values);
    s.known = !values.empty();
  }
  return stats;
}

FilteredSet filter_for(const std::vector<int>& rows, const std::vector<GeneStats>& stats, ControlNeed need) {
  FilteredSet out;
  for (int row : rows) {
    const auto& s = stats_of(stats, row);
    bool usable = s.known;
    if (need == ControlNeed::kMedian) usable = usable && s.median > 0;
    if (need == ControlNeed::kMeanSd) usable = usable && std::isfinite(s.sd) && s.sd > 0;
    if (need == ControlNeed::kMean) usable = usable && std::isfinite(s.mean);
    (usable ? out.rows : out.dropped).push_back(row);
  }
  return out;
}

SetScores rice_scores(const Eigen::MatrixXd& expression, const SetRows& sets, const std::vector<GeneStats>& stats) {
  SetScores result = allocate(sets, expression.cols());
  std::vector<double> fold_changes;
  for (std::size_t s = 0; s < sets.size(); ++s) {
    for (Eigen::Index j = 0; j < expression.cols(); ++j) {
      fold_changes.clear();
      for (int row : sets[s]) fold_changes.push_back(expression(row, j) / stats_of(stats, row).median);
      result.scores(static_cast<Eigen::Index>(s), j) = median(fold_changes);
    }
  }
  return result;
}

SetScores control_zscores(const Eigen::MatrixXd& expression, const SetRows& sets, const std::vector<GeneStats>& stats,
                          bool mean_instead_of_sum) {
  SetScores result = allocate(sets, expression.cols());
  for (std::size_t s = 0; s < sets.size(); ++s) {
    for (Eigen::Index j = 0; j < expression.cols(); ++j) {
      double sum = 0.0;
      for (int row : sets[s]) {
        const auto& g = stats_of(stats, row);
        sum += (expression(row, j) - g.mean) / g.sd;
      }
      if (mean_instead_of_sum) sum /= static_cast<double>(sets[s].size());
      result.scores(static_cast<Eigen::Index>(s), j) = sum;
    }
  }
  return result;
}

double signed_fold_change(double x, double reference) {
  const double ratio = x / reference;
  return ratio >= 1.0 ? ratio : -1.0 / ratio;
}

SetScores module_scores(const Eigen::MatrixXd& expression, const SetRows& sets, const std::vector<GeneStats>& stats,
                        const ModuleThresholds& thresholds) {
  SetScores result = allocate(sets, expression.cols());
  for (std::size_t s = 0; s < sets.size(); ++s) {
    for (Eigen::Index j = 0; j < expression.cols(); ++j) {
      int balance = 0;
      for (int row : sets[s]) {
        const double x = expression(row, j);
        const double reference = stats_of(stats, row).mean;
        const double difference = x - reference;
        // 0/0 (gene silent in sample and controls) is neither up nor down.
        const double fold = (x == 0.0 && reference == 0.0) ? 1.0 : signed_fold_change(x, reference);
        if (fold > thresholds.fold_change && difference > thresholds.difference) ++balance;
        if (fold < -thresholds.fold_change && difference < -thresholds.difference) --balance;
      }
      result.scores(static_cast<Eigen::Index>(s), j) = 100.0 * balance / static_cast<double>(sets[s].size());
    }
  }
  return result;
}

}  // namespace ifnsig::score
