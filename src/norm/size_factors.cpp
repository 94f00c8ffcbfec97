#include "ifnsig/norm/size_factors.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "ifnsig/core/error.hpp"
#include "ifnsig/matrix/r_stats.hpp"
#include "ifnsig/matrix/row_reduce.hpp"

namespace ifnsig::norm {
namespace {

using Index = Eigen::Index;

template <typename Body>
void for_each_sample(Index n_samples, Body body) {
  tbb::parallel_for(Index{0}, n_samples, [&](Index j) { body(j); });
}

double geo_mean(const std::vector<double>& values) {
  std::vector<double> logs(values.size());
  std::transform(values.begin(), values.end(), logs.begin(), [](double v) { return std::log(v); });
  return std::exp(matrix::r_mean(logs));
}

// rowMeans(log(x)): -inf as soon as one count is zero.
std::vector<double> row_log_means(const Eigen::MatrixXd& counts) {
  const auto n = static_cast<long double>(counts.cols());
  return matrix::reduce_rows(
      counts, static_cast<long double>(0), [](long double& sum, double v, Index) { sum += std::log(v); },
      [n](long double sum) { return static_cast<double>(sum / n); });
}

// DESeq2's geoMeanNZ for poscounts, then log() as estimateSizeFactorsForMatrix applies it.
std::vector<double> row_log_pos_means(const Eigen::MatrixXd& counts) {
  struct PositiveLogSum {
    long double sum = 0;
    bool any = false;
  };
  const auto n = static_cast<double>(counts.cols());
  return matrix::reduce_rows(
      counts, PositiveLogSum{},
      [](PositiveLogSum& s, double v, Index) {
        if (v > 0) {
          s.sum += std::log(v);
          s.any = true;
        }
      },
      [n](const PositiveLogSum& s) { return std::log(s.any ? std::exp(static_cast<double>(s.sum) / n) : 0.0); });
}

std::vector<char> rows_not_all_zero(const Eigen::MatrixXd& counts) {
  return matrix::reduce_rows(
      counts, false, [](bool& any, double v, Index) { any = any || v > 0; },
      [](bool any) { return static_cast<char>(any); });
}

// quantile(type = 7) of one column over the used genes; the column is read in place when every gene is used.
double used_quantile(const double* column, const std::vector<char>& used, double p) {
  if (std::find(used.begin(), used.end(), 0) == used.end()) return matrix::r_quantile7({column, used.size()}, p);
  std::vector<double> values;
  values.reserve(used.size());
  for (std::size_t g = 0; g < used.size(); ++g) {
    if (used[g]) values.push_back(column[g]);
  }
  return matrix::r_quantile7(values, p);
}

double median_of_ratios(const FactorFit& fit, const double* column, std::size_t n_genes) {
  std::vector<double> ratios;
  for (std::size_t g = 0; g < n_genes; ++g) {
    if (!fit.control_genes.empty() && !fit.control_genes[g]) continue;
    if (std::isfinite(fit.log_geo_means[g]) && column[g] > 0) ratios.push_back(std::log(column[g]) - fit.log_geo_means[g]);
  }
  return std::exp(matrix::r_median(ratios));
}

double rle_factor(const FactorFit& fit, const double* column, std::size_t n_genes, double lib_size) {
  std::vector<double> ratios;
  for (std::size_t g = 0; g < n_genes; ++g) {
    const double gm = std::exp(fit.log_geo_means[g]);
    if (fit.used_genes[g] && gm > 0) ratios.push_back(column[g] / gm);
  }
  return matrix::r_median(ratios) / lib_size;
}

double raw_factor(const FactorFit& fit, const TmmReference* tmm_ref, const double* column, std::size_t n_genes,
                  double lib_size) {
  switch (fit.method) {
    case FactorMethod::kRatio:
    case FactorMethod::kPoscounts:
      return median_of_ratios(fit, column, n_genes);
    case FactorMethod::kTmm:
      return tmm_factor(column, *tmm_ref, lib_size);
    case FactorMethod::kTmmWsp:
      return tmmwsp_factor(column, fit.ref_counts.data(), n_genes, lib_size, fit.ref_lib_size);
    case FactorMethod::kUpperQuartile:
      return used_quantile(column, fit.used_genes, 0.75) / lib_size;
    case FactorMethod::kRle:
      return rle_factor(fit, column, n_genes, lib_size);
    case FactorMethod::kNone:
      break;
  }
  return 1.0;
}

// Every sample's factor before centering.
std::vector<double> raw_factors(const FactorFit& fit, const Eigen::MatrixXd& counts, const std::vector<double>& lib_size) {
  std::optional<TmmReference> tmm_ref;
  if (fit.method == FactorMethod::kTmm) tmm_ref.emplace(fit.ref_counts.data(), fit.ref_counts.size(), fit.ref_lib_size);
  std::vector<double> raw(lib_size.size());
  const auto n_genes = static_cast<std::size_t>(counts.rows());
  for_each_sample(counts.cols(), [&](Index j) {
    const auto s = static_cast<std::size_t>(j);
    raw[s] = raw_factor(fit, tmm_ref ? &*tmm_ref : nullptr, counts.col(j).data(), n_genes, lib_size[s]);
  });
  return raw;
}

std::vector<double> column_sums(const Eigen::MatrixXd& counts) {
  std::vector<double> sums(static_cast<std::size_t>(counts.cols()));
  for_each_sample(counts.cols(), [&](Index j) {
    long double sum = 0;
    for (Index g = 0; g < counts.rows(); ++g) sum += counts(g, j);
    sums[static_cast<std::size_t>(j)] = static_cast<double>(sum);
  });
  return sums;
}

// edgeR's fallback reference (and TMMwsp's): the first column with the largest sum of square roots.
std::size_t max_root_sum_column(const Eigen::MatrixXd& counts) {
  std::size_t best = 0;
  double best_sum = -1;
  for (Index j = 0; j < counts.cols(); ++j) {
    long double sum = 0;
    for (Index g = 0; g < counts.rows(); ++g) sum += std::sqrt(counts(g, j));
    if (static_cast<double>(sum) > best_sum) {
      best_sum = static_cast<double>(sum);
      best = static_cast<std::size_t>(j);
    }
  }
  return best;
}

// edgeR's refColumn rule for TMM: the sample whose library-scaled upper quartile is closest to the mean.
std::size_t tmm_reference_column(const Eigen::MatrixXd& counts, const std::vector<char>& used,
                                 const std::vector<double>& lib_size) {
  const auto n = static_cast<std::size_t>(counts.cols());
  std::vector<double> f75(n);
  for_each_sample(counts.cols(), [&](Index j) {
    const auto s = static_cast<std::size_t>(j);
    f75[s] = used_quantile(counts.col(j).data(), used, 0.75) / lib_size[s];
  });
  if (matrix::r_median(f75) < 1e-20) return max_root_sum_column(counts);  // all-zero rows add sqrt(0) = 0
  const double mean = matrix::r_mean(f75);
  std::size_t best = 0;
  for (std::size_t j = 1; j < n; ++j) {
    if (std::abs(f75[j] - mean) < std::abs(f75[best] - mean)) best = j;
  }
  return best;
}

void fit_geo_means(FactorFit& fit, const Eigen::MatrixXd& counts, const std::vector<std::string>& gene_ids) {
  fit.log_geo_means = fit.method == FactorMethod::kPoscounts ? row_log_pos_means(counts) : row_log_means(counts);
  bool any_finite = false;
  for (std::size_t g = 0; g < fit.log_geo_means.size(); ++g) {
    if (std::isfinite(fit.log_geo_means[g]) && (fit.control_genes.empty() || fit.control_genes[g])) any_finite = true;
  }
  if (!any_finite && fit.method != FactorMethod::kRle) {
    throw InputError("counts", "", "every gene" + std::string(fit.control_genes.empty() ? "" : " among the control genes") +
                     " has a zero count in at least one sample (" + std::to_string(gene_ids.size()) +
                     " genes), so the geometric means of method 'ratio' are all zero",
                     "use --method poscounts (DESeq2's type=\"poscounts\") or a TMM method");
  }
}

// Raw per-sample factors -> final factors, size factors and effective library sizes.
SampleFactors finish_factors(const FactorFit& fit, const std::vector<double>& raw, const std::vector<double>& lib_size,
                             const std::vector<std::string>& sample_ids) {
  SampleFactors out;
  out.lib_size = lib_size;
  const auto n = raw.size();
  out.factor.resize(n);
  out.size_factor.resize(n);
  out.eff_lib_size.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    out.factor[s] = raw[s] / fit.centering;
    if (!std::isfinite(out.factor[s]) || out.factor[s] <= 0) {
      throw InputError("sample " + quote_field(sample_ids.at(s)), "",
                       "its " + to_string(fit.method) + " factor is " + std::to_string(out.factor[s]) +
                           " (no gene is usable for the factor)",
                       fit.method == FactorMethod::kRatio ? "use --method poscounts" : "check this sample's counts");
    }
    if (is_deseq_method(fit.method)) {
      out.size_factor[s] = out.factor[s];
      out.eff_lib_size[s] = out.factor[s] * fit.lib_geo_mean;
    } else {
      out.eff_lib_size[s] = out.lib_size[s] * out.factor[s];
      out.size_factor[s] = fit.method == FactorMethod::kNone ? 1.0 : out.eff_lib_size[s] / fit.eff_lib_geo_mean;
    }
  }
  return out;
}

}  // namespace

FactorMethod parse_factor_method(std::string_view name) {
  if (name == "ratio") return FactorMethod::kRatio;
  if (name == "poscounts") return FactorMethod::kPoscounts;
  if (name == "tmm") return FactorMethod::kTmm;
  if (name == "tmmwsp") return FactorMethod::kTmmWsp;
  if (name == "upperquartile") return FactorMethod::kUpperQuartile;
  if (name == "rle") return FactorMethod::kRle;
  if (name == "none") return FactorMethod::kNone;
  throw UsageError("unknown normalization method " + quote_field(name),
                   "choose one of ratio, poscounts, tmm, tmmwsp, upperquartile, rle, none");
}

std::string to_string(FactorMethod method) {
  switch (method) {
    case FactorMethod::kRatio: return "ratio";
    case FactorMethod::kPoscounts: return "poscounts";
    case FactorMethod::kTmm: return "tmm";
    case FactorMethod::kTmmWsp: return "tmmwsp";
    case FactorMethod::kUpperQuartile: return "upperquartile";
    case FactorMethod::kRle: return "rle";
    case FactorMethod::kNone: return "none";
  }
  return "none";
}

bool is_deseq_method(FactorMethod method) {
  return method == FactorMethod::kRatio || method == FactorMethod::kPoscounts;
}

FactorFit fit_factors(const Eigen::MatrixXd& counts, const FactorOptions& options,
                      const std::vector<std::string>& gene_ids, const std::vector<std::string>& sample_ids,
                      SampleFactors* in_cohort) {
  FactorFit fit;
  fit.method = options.method;
  const auto lib_size = column_sums(counts);
  const bool single = counts.cols() == 1 && !is_deseq_method(fit.method);
  if (single) fit.method = FactorMethod::kNone;
  if (is_deseq_method(fit.method)) {
    fit.control_genes = options.control_genes;
    fit_geo_means(fit, counts, gene_ids);
  } else if (fit.method == FactorMethod::kRle) {
    fit.used_genes = rows_not_all_zero(counts);
    fit_geo_means(fit, counts, gene_ids);
  } else if (fit.method == FactorMethod::kUpperQuartile) {
    fit.used_genes = rows_not_all_zero(counts);
  } else if (fit.method == FactorMethod::kTmm || fit.method == FactorMethod::kTmmWsp) {
    const auto used = rows_not_all_zero(counts);
    const std::size_t ref = fit.method == FactorMethod::kTmm ? tmm_reference_column(counts, used, lib_size)
                                                             : max_root_sum_column(counts);
    fit.ref_counts.assign(counts.col(static_cast<Index>(ref)).data(),
                          counts.col(static_cast<Index>(ref)).data() + counts.rows());
    fit.ref_lib_size = lib_size[ref];
    fit.ref_sample = sample_ids.at(ref);
  }
  const auto raw = raw_factors(fit, counts, lib_size);
  // DESeq2 re-centers only when geometric means come in (poscounts); edgeR always does.
  const bool centers = fit.method != FactorMethod::kRatio && fit.method != FactorMethod::kNone;
  fit.centering = centers ? geo_mean(raw) : 1.0;
  fit.lib_geo_mean = geo_mean(lib_size);
  const auto applied = finish_factors(fit, raw, lib_size, sample_ids);
  fit.eff_lib_geo_mean = geo_mean(applied.eff_lib_size);
  // edgeR's add_prior averages library sizes with a plain double sum; the same bits keep ComBat's
  // test for genes constant within a batch identical to R's on logCPM input.
  double sum = 0;
  for (const double l : applied.eff_lib_size) sum += l;
  fit.eff_lib_mean = sum / static_cast<double>(applied.eff_lib_size.size());
  if (in_cohort != nullptr) *in_cohort = finish_factors(fit, raw, lib_size, sample_ids);
  return fit;
}

SampleFactors fit_length_factors(const Eigen::MatrixXd& counts, const Eigen::MatrixXd& lengths,
                                 const FactorOptions& options, const std::vector<std::string>& gene_ids,
                                 const std::vector<std::string>& sample_ids) {
  if (!is_deseq_method(options.method)) throw std::logic_error("length factors are DESeq2's");
  // nm <- avgTxLength / exp(rowMeans(log(avgTxLength)))
  const auto log_length_means = row_log_means(lengths);
  Eigen::MatrixXd nm(lengths.rows(), lengths.cols());
  for (Index j = 0; j < lengths.cols(); ++j) {
    for (Index g = 0; g < lengths.rows(); ++g) nm(g, j) = lengths(g, j) / std::exp(log_length_means[static_cast<std::size_t>(g)]);
  }
  const Eigen::MatrixXd scaled = counts.array() / nm.array();
  FactorFit fit;
  fit.method = options.method;
  fit.control_genes = options.control_genes;
  // poscounts: estimateSizeFactors computes geoMeans from counts(object), then hands them in.
  fit_geo_means(fit, options.method == FactorMethod::kPoscounts ? counts : scaled, gene_ids);
  const auto lib_size = column_sums(counts);
  auto raw = raw_factors(fit, scaled, lib_size);
  fit.centering = options.method == FactorMethod::kPoscounts ? geo_mean(raw) : 1.0;
  fit.lib_geo_mean = geo_mean(lib_size);
  SampleFactors out = finish_factors(fit, raw, lib_size, sample_ids);
  // nf <- t(t(nm) * sf); nf / exp(rowMeans(log(nf)))
  Eigen::MatrixXd nf(nm.rows(), nm.cols());
  for (Index j = 0; j < nm.cols(); ++j) nf.col(j) = nm.col(j) * out.factor[static_cast<std::size_t>(j)];
  const auto log_nf_means = row_log_means(nf);
  for (Index j = 0; j < nf.cols(); ++j) {
    for (Index g = 0; g < nf.rows(); ++g) nf(g, j) /= std::exp(log_nf_means[static_cast<std::size_t>(g)]);
  }
  out.norm_factors = std::move(nf);
  return out;
}

SampleFactors apply_factors(const FactorFit& fit, const Eigen::MatrixXd& counts,
                            const std::vector<std::string>& sample_ids) {
  const auto lib_size = column_sums(counts);
  return finish_factors(fit, raw_factors(fit, counts, lib_size), lib_size, sample_ids);
}

}  // namespace ifnsig::norm
