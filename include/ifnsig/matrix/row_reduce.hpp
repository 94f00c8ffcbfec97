// Owns: per-gene reductions over the samples of a column-major genes x samples matrix. Genes are taken in
//       blocks and each sample's values of a block are read together: striding along one gene's row would
//       touch one memory page per sample.
// Thread-safety: runs in parallel over blocks of genes (TBB).
// Invariant: each gene's values are visited in sample order, so results equal a plain loop over the row bit
//            for bit, at any thread count.
#pragma once
#include <Eigen/Dense>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <type_traits>
#include <vector>

namespace ifnsig::matrix {

// For every row g: state = init; step(state, value, column) over the row's columns in order; out[g] =
// finish(state).
template <typename State, typename Step, typename Finish>
auto reduce_rows(const Eigen::MatrixXd& m, const State& init, Step step, Finish finish) {
  constexpr Eigen::Index kRowsPerBlock = 64;
  std::vector<std::invoke_result_t<Finish, const State&>> out(static_cast<std::size_t>(m.rows()));
  tbb::parallel_for(Eigen::Index{0}, (m.rows() + kRowsPerBlock - 1) / kRowsPerBlock, [&](Eigen::Index block) {
    const Eigen::Index first = block * kRowsPerBlock, last = std::min(m.rows(), first + kRowsPerBlock);
    std::array<State, kRowsPerBlock> states;
    states.fill(init);
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      const double* column = m.col(j).data();
      for (Eigen::Index g = first; g < last; ++g) step(states[static_cast<std::size_t>(g - first)], column[g], j);
    }
    for (Eigen::Index g = first; g < last; ++g) {
      out[static_cast<std::size_t>(g)] = finish(states[static_cast<std::size_t>(g - first)]);
    }
  });
  return out;
}

}  // namespace ifnsig::matrix
