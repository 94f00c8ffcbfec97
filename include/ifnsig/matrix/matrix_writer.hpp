// Owns: fast writing of a GeneMatrix as TSV (`gene_id` then sample ids): a TBB pipeline formats chunks of
//       rows in parallel while the previous chunks are written, in order.
// Thread-safety: one call per stream; output order fixed.
// Invariant: byte-identical to GeneMatrix::write_tsv (format_double) at any thread count.
#pragma once
#include <ostream>

#include "ifnsig/matrix/gene_matrix.hpp"

namespace ifnsig::matrix {

void write_matrix_tsv(std::ostream& out, const GeneMatrix& matrix);

}  // namespace ifnsig::matrix
