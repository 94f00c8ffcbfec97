// Owns: DESeq2's local dispersion trend (localDispersionFit): locfit(log dispersion ~ log mean, weights = mean)
//       with the locfit package's defaults reproduced — local quadratic least squares, nearest-neighbour
//       bandwidth covering 70% of the genes, tricube weights, the global weighted quadratic subtracted as
//       locfit's parametric component, the adaptive tree of fitting vertices (cell split while its length
//       exceeds 0.8 x the smaller vertex bandwidth, at most 19 vertices) and cubic Hermite interpolation
//       between neighbouring vertices (linear extrapolation from the end vertex outside the data range).
// Thread-safety: value type; const member functions may be called concurrently.
// Invariant: vertices are sorted by position; the first and last are the range of the fitted log means.
#pragma once
#include <cmath>
#include <span>
#include <vector>

namespace ifnsig::norm {

class LocalDispersionTrend {
 public:
  // Fits on genes with dispersion >= 1e-7 (DESeq2's minDisp * 10); `means` and `dispersions` are DESeq2's
  // baseMean and dispGeneEst of the genes used for the trend. Throws InputError where locfit stops.
  static LocalDispersionTrend fit(std::span<const double> means, std::span<const double> dispersions);

  // exp(predict(fit, log(mean))).
  double at(double mean) const { return std::exp(log_dispersion_at(std::log(mean))); }
  double log_dispersion_at(double log_mean) const;

  struct Vertex {
    double position;   // log mean
    double bandwidth;
    double residual;   // local fit minus the parametric component, at the vertex
    double slope;      // its derivative
  };
  const std::vector<Vertex>& vertices() const { return vertices_; }

 private:
  double parametric_component(double log_mean) const;

  std::vector<Vertex> vertices_;
  double center_ = 0;                        // weighted mean of the log means
  double global_fit_[3] = {0, 0, 0};         // quadratic in (x - center), basis 1, d, d^2/2
};

}  // namespace ifnsig::norm
