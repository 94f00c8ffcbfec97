// Owns: DESeq2's blind (design ~1) dispersion estimation: gene-wise Cox-Reid maximum likelihood with
//       the Armijo line search and the grid fallback (estimateDispersionsGeneEst), and the parametric
//       trend alpha(mu) = asympt_disp + extra_pois / mu (parametricDispersionFit, a Gamma-identity GLM).
// Thread-safety: pure functions; genes are fitted in parallel, each by one task (thread-count independent).
// Invariant: gene-wise estimates lie in [1e-8, max(10, n_samples)]; NaN marks genes with all-zero counts.
#pragma once
#include <Eigen/Dense>
#include <optional>
#include <string>
#include <vector>

namespace ifnsig::norm {

struct DispersionTrend {
  double asympt_disp = 0;
  double extra_pois = 0;
  double at(double mean) const { return asympt_disp + extra_pois / mean; }
};

struct GeneDispersions {
  std::vector<double> base_mean;  // rowMeans(counts / size factors)
  std::vector<double> estimate;   // dispGeneEst; NaN for all-zero genes
};

// `norm_factors` (genes x samples, DESeq2's normalizationFactors), when not null, replaces the size factors:
// counts are divided by their gene's factors, the means are the fitted mean times them, and the moments
// estimate's mean(1/s) becomes mean(1/colMeans(nf)), as DESeq2 computes them.
GeneDispersions estimate_gene_dispersions(const Eigen::MatrixXd& counts, const std::vector<double>& size_factors,
                                          const Eigen::MatrixXd* norm_factors = nullptr);

// The genes DESeq2's estimateDispersionsFit fits a trend on (either kind): gene-wise estimate > 100 x minDisp.
struct TrendGenes {
  std::vector<double> means;
  std::vector<double> estimates;
};
TrendGenes trend_genes(const GeneDispersions& dispersions);

// The parametric trend fitted on those genes (at least one). Empty when DESeq2's fit fails (a coefficient
// <= 0, a GLM error or no convergence within 10 rounds); `why` then says what happened.
std::optional<DispersionTrend> fit_parametric_trend(const TrendGenes& genes, std::string& why);

}  // namespace ifnsig::norm
