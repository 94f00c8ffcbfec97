#include "ifnsig/norm/transforms.hpp"

#include <tbb/parallel_for.h>

#include <cmath>

#include "ifnsig/core/error.hpp"

namespace ifnsig::norm {
namespace {

template <typename Body>
void for_each_column(Eigen::Index n, Body body) {
  tbb::parallel_for(Eigen::Index{0}, n, [&](Eigen::Index j) { body(j, static_cast<std::size_t>(j)); });
}

}  // namespace

TransformKind parse_transform(std::string_view name) {
  if (name == "none") return TransformKind::kNone;
  if (name == "counts") return TransformKind::kCounts;
  if (name == "cpm") return TransformKind::kCpm;
  if (name == "logcpm") return TransformKind::kLogCpm;
  if (name == "tpm") return TransformKind::kTpm;
  if (name == "log2") return TransformKind::kLog2;
  if (name == "vst") return TransformKind::kVst;
  throw UsageError("unknown transform " + quote_field(name),
                   "choose one of none, counts, cpm, logcpm, tpm, log2, vst");
}

std::string to_string(TransformKind kind) {
  switch (kind) {
    case TransformKind::kNone: return "none";
    case TransformKind::kCounts: return "counts";
    case TransformKind::kCpm: return "cpm";
    case TransformKind::kLogCpm: return "logcpm";
    case TransformKind::kTpm: return "tpm";
    case TransformKind::kLog2: return "log2";
    case TransformKind::kVst: return "vst";
  }
  return "none";
}

Eigen::MatrixXd normalized_counts(Eigen::MatrixXd counts, const std::vector<double>& size_factors) {
  for_each_column(counts.cols(), [&](Eigen::Index j, std::size_t s) { counts.col(j) /= size_factors[s]; });
  return counts;
}

Eigen::MatrixXd cpm(Eigen::MatrixXd counts, const std::vector<double>& eff_lib_size) {
  for_each_column(counts.cols(), [&](Eigen::Index j, std::size_t s) {
    counts.col(j) = counts.col(j) / eff_lib_size[s] * 1e6;
  });
  return counts;
}

Eigen::MatrixXd log_cpm(Eigen::MatrixXd counts, const std::vector<double>& eff_lib_size, double prior_count,
                        double mean_lib) {
  const double ln_million = std::log(1e6), ln_two = std::log(2.0);
  for_each_column(counts.cols(), [&](Eigen::Index j, std::size_t s) {
    const double prior = prior_count * eff_lib_size[s] / mean_lib;
    const double log_lib = std::log(eff_lib_size[s] + 2 * prior);
    for (double& y : counts.col(j)) y = (std::log(y + prior) - log_lib + ln_million) / ln_two;
  });
  return counts;
}

Eigen::MatrixXd tpm(Eigen::MatrixXd counts, const std::vector<double>& lengths_bp) {
  for_each_column(counts.cols(), [&](Eigen::Index j, std::size_t) {
    long double total = 0;
    for (Eigen::Index g = 0; g < counts.rows(); ++g) {
      counts(g, j) /= lengths_bp[static_cast<std::size_t>(g)];
      total += counts(g, j);
    }
    const double sum = static_cast<double>(total);
    counts.col(j) = counts.col(j) * 1e6 / sum;
  });
  return counts;
}

void log2_in_place(Eigen::MatrixXd& values, double pseudocount) {
  for_each_column(values.cols(), [&](Eigen::Index j, std::size_t) {
    for (Eigen::Index g = 0; g < values.rows(); ++g) values(g, j) = std::log2(values(g, j) + pseudocount);
  });
}

}  // namespace ifnsig::norm
