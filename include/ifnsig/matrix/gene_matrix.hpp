// Owns: a genes x samples matrix of doubles with its row and column ids, and its plain TSV form
//       (header `gene_id` then sample ids; one gene per row), the format of normalize's and score's tables.
// Thread-safety: value type; concurrent reads are safe.
// Invariant: values.rows() == gene_ids.size(), values.cols() == sample_ids.size(); ids unique.
#pragma once
#include <Eigen/Dense>
#include <ostream>
#include <string>
#include <vector>

namespace ifnsig {

struct GeneMatrix {
  std::vector<std::string> gene_ids;
  std::vector<std::string> sample_ids;
  Eigen::MatrixXd values;  // column-major, genes x samples

  // Reads a plain TSV/CSV matrix (delimiter guessed from the header). The first column holds gene ids.
  // Errors name the file and line: non-numeric cells, ragged rows, duplicated gene or sample ids.
  static GeneMatrix read_plain(const std::string& path);
  // Writes `gene_id<TAB>sample...` with round-trippable numbers (format_double).
  void write_tsv(std::ostream& out) const;
};

}  // namespace ifnsig
