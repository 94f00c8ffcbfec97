#include "ifnsig/score/matrix_methods.hpp"

#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>

namespace ifnsig::score {
namespace {

struct Standardized {
  Eigen::MatrixXd z;         // kept genes x samples
  std::vector<int> new_row;  // matrix row -> row of z, or -1 when constant
};

Standardized standardize(const Eigen::MatrixXd& expression) {
  Standardized out;
  out.new_row.assign(static_cast<std::size_t>(expression.rows()), -1);
  std::vector<Eigen::Index> kept;
  for (Eigen::Index g = 0; g < expression.rows(); ++g) {
    if (expression.row(g).maxCoeff() != expression.row(g).minCoeff()) {
      out.new_row[static_cast<std::size_t>(g)] = static_cast<int>(kept.size());
      kept.push_back(g);
    }
  }
  out.z = expression(kept, Eigen::all);
  const auto n = static_cast<double>(expression.cols());
  for (Eigen::Index g = 0; g < out.z.rows(); ++g) {
    const double m = out.z.row(g).sum() / n;
    out.z.row(g).array() -= m;
    const double s = std::sqrt(out.z.row(g).squaredNorm() / (n - 1.0));
    out.z.row(g) /= s;
  }
  return out;
}

std::vector<Eigen::Index> kept_members(const std::vector<int>& set, const Standardized& standardized) {
  std::vector<Eigen::Index> rows;
  for (int row : set) {
    const int r = standardized.new_row[static_cast<std::size_t>(row)];
    if (r >= 0) rows.push_back(r);
  }
  return rows;
}

SetScores empty_scores(std::size_t n_sets, Eigen::Index n_samples) {
  SetScores result;
  result.scores = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n_sets), n_samples,
                                            std::numeric_limits<double>::quiet_NaN());
  result.n_used.assign(n_sets, 0);
  return result;
}

}  // namespace

SetScores lee_zscore(const Eigen::MatrixXd& expression, const SetRows& sets) {
  const Standardized standardized = standardize(expression);
  SetScores result = empty_scores(sets.size(), expression.cols());
  for (std::size_t s = 0; s < sets.size(); ++s) {
    const auto rows = kept_members(sets[s], standardized);
    result.n_used[s] = static_cast<int>(rows.size());
    if (rows.empty()) continue;
    const Eigen::RowVectorXd sum = standardized.z(rows, Eigen::all).colwise().sum();
    result.scores.row(static_cast<Eigen::Index>(s)) = sum / std::sqrt(static_cast<double>(rows.size()));
  }
  return result;
}

SetScores plage(const Eigen::MatrixXd& expression, const SetRows& sets) {
  const Standardized standardized = standardize(expression);
  SetScores result = empty_scores(sets.size(), expression.cols());
  tbb::parallel_for(std::size_t{0}, sets.size(), [&](std::size_t s) {
    const auto rows = kept_members(sets[s], standardized);
    result.n_used[s] = static_cast<int>(rows.size());
    if (rows.empty()) return;
    const Eigen::MatrixXd block = standardized.z(rows, Eigen::all);
    Eigen::BDCSVD<Eigen::MatrixXd> svd(block, Eigen::ComputeThinV);
    Eigen::VectorXd v = svd.matrixV().col(0);
    if (v.dot(block.colwise().mean().transpose()) < 0) v = -v;
    result.scores.row(static_cast<Eigen::Index>(s)) = v.transpose();
  });
  return result;
}

}  // namespace ifnsig::score
