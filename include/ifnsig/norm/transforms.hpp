// Owns: the per-sample expression scales: normalized counts, CPM and logCPM (edgeR's cpm with a prior
//       count), TPM from gene lengths, and log2(x + pseudocount).
// Thread-safety: pure functions; TBB parallelism over samples.
// Invariant: each output column depends only on that sample's counts and factors plus frozen cohort
//            constants (the mean effective library size for the logCPM prior), never on other samples.
#pragma once
#include <Eigen/Dense>
#include <string>
#include <string_view>
#include <vector>

namespace ifnsig::norm {

enum class TransformKind { kNone, kCounts, kCpm, kLogCpm, kTpm, kLog2, kVst };

TransformKind parse_transform(std::string_view name);  // throws UsageError
std::string to_string(TransformKind kind);

// Each transform takes the counts by value and transforms them in place: pass std::move(counts) when the
// counts are no longer needed, and no second genes x samples matrix is allocated.
// counts / size factor per column.
Eigen::MatrixXd normalized_counts(Eigen::MatrixXd counts, const std::vector<double>& size_factors);
// 1e6 * y / L.
Eigen::MatrixXd cpm(Eigen::MatrixXd counts, const std::vector<double>& eff_lib_size);
// edgeR: p = prior * L / mean_lib; log2((y + p) / (L + 2 p) * 1e6). `mean_lib` is the cohort's mean L.
Eigen::MatrixXd log_cpm(Eigen::MatrixXd counts, const std::vector<double>& eff_lib_size, double prior_count,
                        double mean_lib);
// 1e6 * (y / length) / sum(y / length) per sample.
Eigen::MatrixXd tpm(Eigen::MatrixXd counts, const std::vector<double>& lengths_bp);
// log2(x + pseudocount), in place.
void log2_in_place(Eigen::MatrixXd& values, double pseudocount);

}  // namespace ifnsig::norm
