#include "matrix_methods.hpp"

#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>

#include "stats.hpp"

namespace ifnsig::score {
namespace {

struct Standardized {
  Eigen::MatrixXd z;         // the sets' kept genes x samples
  std::vector<int> new_row;  // matrix row -> row of z, or -1 when GSVA drops the gene (or no set has it)
};

// The genes of the sets that GSVA keeps, centred and scaled by their SD across samples (R's scale()). GSVA
// standardizes every gene, but a gene's z-scores depend on its own row only, so only the sets' genes are
// copied: at cohort scale the whole matrix would be a second copy of the input.
Standardized standardize(const Eigen::MatrixXd& expression, const SetRows& sets) {
  const RowMoments moments = row_moments(expression);
  Standardized out;
  out.new_row.assign(static_cast<std::size_t>(expression.rows()), -1);
  std::vector<char> in_a_set(static_cast<std::size_t>(expression.rows()), 0);
  for (const auto& set : sets) {
    for (int row : set) in_a_set[static_cast<std::size_t>(row)] = 1;
  }
  std::vector<Eigen::Index> kept;
  for (Eigen::Index g = 0; g < expression.rows(); ++g) {
    if (in_a_set[static_cast<std::size_t>(g)] != 0 && gsva_keeps_gene(moments.sd[static_cast<std::size_t>(g)])) {
      out.new_row[static_cast<std::size_t>(g)] = static_cast<int>(kept.size());
      kept.push_back(g);
    }
  }
  Eigen::VectorXd means(static_cast<Eigen::Index>(kept.size()));
  Eigen::ArrayXd sds(static_cast<Eigen::Index>(kept.size()));
  for (std::size_t k = 0; k < kept.size(); ++k) {
    means[static_cast<Eigen::Index>(k)] = moments.mean[static_cast<std::size_t>(kept[k])];
    sds[static_cast<Eigen::Index>(k)] = moments.sd[static_cast<std::size_t>(kept[k])];
  }
  out.z = expression(kept, Eigen::all);
  out.z.colwise() -= means;
  out.z.array().colwise() /= sds;
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
  const Standardized standardized = standardize(expression, sets);
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
  const Standardized standardized = standardize(expression, sets);
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
