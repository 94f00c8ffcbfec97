// Owns: fast writing of a GeneMatrix as TSV (`gene_id` then sample ids), numbers formatted in parallel
//       (each thread remembers the text of recent values: equal counts give equal transformed values).
// Thread-safety: one call per stream; formatting runs on TBB, output order fixed.
// Invariant: byte-identical to GeneMatrix::write_tsv (format_double) at any thread count.
#pragma once
#include <ostream>

#include "ifnsig/norm/gene_matrix.hpp"

namespace ifnsig {

void write_matrix_tsv(std::ostream& out, const GeneMatrix& matrix);

}  // namespace ifnsig
