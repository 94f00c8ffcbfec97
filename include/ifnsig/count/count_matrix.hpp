// Owns: a count's result handed to the next stage in memory: the gene x file count matrix (CountTable) that
//       normalize takes, with the values the count table holds.
// Thread-safety: a pure function.
// Invariant: each value equals what reading the count table written from the same result gives (fractional
//            counts rounded to two decimals as the table shows them).
#pragma once
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/count/counter.hpp"
#include "ifnsig/matrix/count_table.hpp"

namespace ifnsig::count {

// Gene-level counts (not -f): one row per gene in annotation order, one column per file (named by its path),
// lengths from the union of the gene's exons.
matrix::CountTable to_count_table(const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                                  bool fractional);

}  // namespace ifnsig::count
