// Owns: a genes x samples matrix of doubles with its row and column ids, and its plain TSV form
//       (header `gene_id` then sample ids; one gene per row), the format of normalize's and score's tables,
//       also read with nf-core's annotation columns (gene_name) after the gene id.
// Thread-safety: value type; concurrent reads are safe.
// Invariant: values.rows() == gene_ids.size(), values.cols() == sample_ids.size(); ids unique.
#pragma once
#include <Eigen/Dense>
#include <ostream>
#include <string>
#include <vector>

namespace ifnsig::matrix {

struct GeneMatrix {
  std::vector<std::string> gene_ids;
  std::vector<std::string> sample_ids;
  Eigen::MatrixXd values;  // column-major, genes x samples

  // Reads a plain TSV/CSV matrix (delimiter guessed from the header). The first column holds gene ids; text
  // annotation columns right after it that carry a known name (gene_name, gene_type, gene_biotype,
  // transcript_id(s), as nf-core/rnaseq's merged salmon and RSEM matrices have) are never samples: they are
  // skipped, and `gene_names`, when given, receives the gene_name column (empty without one).
  // Errors name the file and line: non-numeric cells, ragged rows, duplicated gene or sample ids.
  static GeneMatrix read_plain(const std::string& path, std::vector<std::string>* gene_names = nullptr);
  // Writes `gene_id<TAB>sample...` with round-trippable numbers (format_double).
  void write_tsv(std::ostream& out) const;
};

}  // namespace ifnsig::matrix
