// Owns: the cohort counts assembled from the per-sample counts under OUTDIR/samples/, in memory and as
//       counts.tsv (featureCounts layout, one column per sample id, in sheet order) and counts.tsv.summary.
// Thread-safety: free functions.
// Invariant: the outputs depend only on the per-sample tables and the sample order (no paths, no times),
//            so `ifnsig run` and the Snakemake gather step write identical bytes.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "ifnsig/matrix/count_table.hpp"

namespace ifnsig::run {

// The cohort's count table from the per-sample tables (one column each, in the order given; annotation Chr,
// Start, End, Strand, Length as counted). Throws InputError naming the file when the per-sample tables do not
// list the same genes in the same order (the first such table in the order given). The tables after the first
// are read in parallel on the caller's ThreadScope.
matrix::CountTable merge_sample_counts(const std::vector<std::filesystem::path>& sample_tables,
                               const std::vector<std::string>& sample_ids);
// counts.tsv: the featureCounts layout.
void write_merged_counts(const matrix::CountTable& counts, const std::filesystem::path& out);
void write_merged_summary(const std::vector<std::filesystem::path>& sample_summaries,
                          const std::vector<std::string>& sample_ids, const std::filesystem::path& out);

}  // namespace ifnsig::run
