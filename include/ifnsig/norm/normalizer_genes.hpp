// Owns: the normalizer genes of a frozen reference: a few hundred stable genes over which a sample counted
//       for chosen genes only (count --genes) gets its DESeq2 size factor, the median of ratios to the
//       reference's geometric means, as NanoString and qPCR IFN scores normalize panel genes by housekeeping
//       genes. The rule (docs/normalize.md, "Normalizer genes"): candidates are the genes with a reference
//       geometric mean, not excluded (the IFN panels' genes), counted at least kMinNormalizerCount times in
//       every reference sample; a candidate's tracking error is the standard deviation over the reference
//       samples of log(count) - log(geometric mean) - log(size factor), how far its ratio strays from the
//       whole-transcriptome size factor; the n candidates with the smallest error are kept. A sample's size
//       factor over them is the reference's fit with them as its control genes (apply_factors), divided by
//       `scale`, which makes it agree with the whole one on average over the reference samples (a median over
//       well-counted genes lies apart from one taken mostly over genes of few counts, by the same amount in
//       every sample of a cohort).
// Thread-safety: pure functions.
// Invariant: the genes are ascending indices; ties in the error go to the gene listed first.
#pragma once
#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <vector>

#include "ifnsig/norm/size_factors.hpp"

namespace ifnsig::norm {

inline constexpr double kMinNormalizerCount = 20;
inline constexpr std::size_t kDefaultNormalizerGenes = 200;

struct NormalizerGenes {
  std::vector<std::string> genes;  // ids, in the reference's gene order
  // The geometric mean, over the reference samples, of their size factor over the normalizers divided by their
  // whole one.
  double scale = 1;
  // Over the reference samples: the largest |size factor over the normalizers / scale / whole one - 1|.
  double max_size_factor_error = 0;
};

// counts: genes x reference samples, as fitted; fit and factors: what fit_factors made of them; excluded: a
// mask over the genes (empty: none). Empty unless the fit is DESeq2's ratio method.
NormalizerGenes select_normalizer_genes(const Eigen::MatrixXd& counts, const std::vector<std::string>& gene_ids,
                                        const std::vector<std::string>& sample_ids, const FactorFit& fit,
                                        const SampleFactors& factors, const std::vector<char>& excluded,
                                        std::size_t n);

}  // namespace ifnsig::norm
