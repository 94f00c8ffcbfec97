// Owns: the cohort count files assembled from the per-sample counts under OUTDIR/samples/:
//       counts.tsv (featureCounts layout, one column per sample id, in sheet order) and counts.tsv.summary.
// Thread-safety: pure functions over files.
// Invariant: the outputs depend only on the per-sample tables and the sample order (no paths, no times),
//            so `ifnsig run` and the Snakemake gather step write identical bytes.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ifnsig::run {

// Throws InputError when the per-sample tables do not list the same genes in the same order.
void write_merged_counts(const std::vector<std::filesystem::path>& sample_tables,
                         const std::vector<std::string>& sample_ids, const std::filesystem::path& out);
void write_merged_summary(const std::vector<std::filesystem::path>& sample_summaries,
                          const std::vector<std::string>& sample_ids, const std::filesystem::path& out);

}  // namespace ifnsig::run
