// Owns: per-sample scaling factors: DESeq2 median-of-ratios (ratio, poscounts) and edgeR
//       normalization factors (TMM, TMMwsp, upperquartile, RLE), fitted on a cohort and re-applicable
//       one sample at a time through the frozen FactorFit.
// Thread-safety: pure functions; TBB parallelism over samples, results independent of thread count.
// Invariant: apply_factors(fit_factors(C), C) returns exactly the in-cohort factors of C.
#pragma once
#include <Eigen/Dense>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ifnsig::norm {

enum class FactorMethod { kRatio, kPoscounts, kTmm, kTmmWsp, kUpperQuartile, kRle, kNone };

FactorMethod parse_factor_method(std::string_view name);  // throws UsageError
std::string to_string(FactorMethod method);
// DESeq2 methods give size factors; the others give edgeR normalization factors.
bool is_deseq_method(FactorMethod method);

// Everything a later sample needs to get the factor it would get inside the fitted cohort.
struct FactorFit {
  FactorMethod method = FactorMethod::kNone;
  std::vector<double> log_geo_means;  // ratio/poscounts/RLE: log geometric mean per gene (-inf = unused)
  std::vector<char> control_genes;    // ratio/poscounts: genes the median runs over (empty = all)
  std::vector<double> ref_counts;     // TMM/TMMwsp: the reference column
  double ref_lib_size = 0;
  std::string ref_sample;
  std::vector<char> used_genes;  // upperquartile/RLE: genes not zero in every cohort sample
  double centering = 1;          // raw per-sample factors are divided by this
  double lib_geo_mean = 1;       // geometric mean of cohort library sizes (DESeq2 CPM scale)
  double eff_lib_geo_mean = 1;   // geometric mean of effective library sizes (edgeR size-factor scale)
  double eff_lib_mean = 1;       // mean effective library size (logCPM prior count scale)
};

struct SampleFactors {
  std::vector<double> lib_size;      // column sums
  std::vector<double> factor;        // DESeq2 size factor or edgeR norm factor (1 for none)
  std::vector<double> size_factor;   // divides counts for "normalized counts" and VST
  std::vector<double> eff_lib_size;  // the CPM denominator
  // DESeq2's normalizationFactors (genes x samples) when average transcript lengths offset the counts
  // (fit_length_factors); they then divide the counts instead of size_factor. Empty otherwise.
  Eigen::MatrixXd norm_factors;
};

struct FactorOptions {
  FactorMethod method = FactorMethod::kRatio;
  std::vector<char> control_genes;  // empty = all genes
};

// `gene_ids` and `sample_ids` only serve error messages. `in_cohort`, when given, receives the cohort's
// factors (equal to apply_factors(fit, counts), without computing them twice).
FactorFit fit_factors(const Eigen::MatrixXd& counts, const FactorOptions& options,
                      const std::vector<std::string>& gene_ids, const std::vector<std::string>& sample_ids,
                      SampleFactors* in_cohort = nullptr);
// DESeq2's estimateSizeFactors on a DESeqDataSetFromTximport object with an avgTxLength assay (tximport's
// countsFromAbundance = "no"): nm = lengths / their per-gene geometric mean; size factors of counts / nm
// (estimateSizeFactorsForMatrix; for poscounts with the geometric means of the counts themselves, then
// centered); normalization factors nf = nm x size factor, divided by their per-gene geometric mean. Ratio and
// poscounts only. The result's `factor` and `size_factor` hold the size factors of counts / nm.
SampleFactors fit_length_factors(const Eigen::MatrixXd& counts, const Eigen::MatrixXd& lengths,
                                 const FactorOptions& options, const std::vector<std::string>& gene_ids,
                                 const std::vector<std::string>& sample_ids);
SampleFactors apply_factors(const FactorFit& fit, const Eigen::MatrixXd& counts,
                            const std::vector<std::string>& sample_ids);

// The reference column's per-gene terms of edgeR's TMM, computed once for all samples.
struct TmmReference {
  TmmReference(const double* ref, std::size_t n, double lib_ref);
  std::vector<double> share;      // ref / lib_ref
  std::vector<double> log_share;  // log2(ref / lib_ref)
  std::vector<double> variance;   // (lib_ref - ref) / lib_ref / ref, the reference's part of the M-value variance
};

// edgeR's .calcFactorTMM / .calcFactorTMMwsp for one pair of columns (defaults of calcNormFactors).
double tmm_factor(const double* obs, const TmmReference& ref, double lib_obs);
double tmmwsp_factor(const double* obs, const double* ref, std::size_t n, double lib_obs, double lib_ref);

}  // namespace ifnsig::norm
