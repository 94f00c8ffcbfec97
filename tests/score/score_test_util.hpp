// Owns: helpers shared by the score unit tests (reading reference tables, building small matrices).
// Thread-safety: test code, single-threaded.
// Invariant: reference tables are read as set x sample maps keyed by their header names.
#pragma once
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/score/rank_methods.hpp"

namespace ifnsig::score::test {

inline const std::string kVectors = std::string(IFNSIG_SHARED_DATA) + "/gsva_vectors/";

// A "set<TAB>sample..." table as {(set, sample) -> value}.
inline std::map<std::pair<std::string, std::string>, double> read_set_table(const std::string& path) {
  const matrix::GeneMatrix table = matrix::GeneMatrix::read_plain(path);
  std::map<std::pair<std::string, std::string>, double> values;
  for (std::size_t s = 0; s < table.gene_ids.size(); ++s) {
    for (std::size_t j = 0; j < table.sample_ids.size(); ++j) {
      values[{table.gene_ids[s], table.sample_ids[j]}] =
          table.values(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j));
    }
  }
  return values;
}

inline matrix::GeneMatrix small_matrix(std::vector<std::string> genes, std::vector<std::string> samples,
                               std::initializer_list<std::initializer_list<double>> rows) {
  matrix::GeneMatrix m;
  m.gene_ids = std::move(genes);
  m.sample_ids = std::move(samples);
  m.values.resize(static_cast<Eigen::Index>(m.gene_ids.size()), static_cast<Eigen::Index>(m.sample_ids.size()));
  Eigen::Index g = 0;
  for (const auto& row : rows) {
    Eigen::Index j = 0;
    for (double v : row) m.values(g, j++) = v;
    ++g;
  }
  return m;
}

}  // namespace ifnsig::score::test
