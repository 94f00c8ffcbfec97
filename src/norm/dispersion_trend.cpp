// DESeq2's parametricDispersionFit, with R's glm.fit IRLS for the Gamma family and identity link.
#include <cmath>
#include <stdexcept>

#include "ifnsig/norm/dispersion.hpp"

namespace ifnsig::norm {
namespace {

constexpr double kGlmEpsilon = 1e-8;
constexpr int kGlmMaxIt = 25;
constexpr int kMaxRounds = 10;

struct GlmResult {
  Eigen::Vector2d coefs;
  bool converged = false;
};

double gamma_deviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  long double sum = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double ratio = y[i] == 0 ? 1.0 : y[i] / mu[i];
    sum += -2 * (std::log(ratio) - (y[i] - mu[i]) / mu[i]);
  }
  return static_cast<double>(sum);
}

bool valid_mu(const Eigen::VectorXd& mu) {
  for (const double v : mu) {
    if (!std::isfinite(v) || v <= 0) return false;
  }
  return true;
}

// glm(y ~ x, family = Gamma(link = "identity"), start = start); throws std::runtime_error where R stops.
GlmResult gamma_identity_glm(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::Vector2d start) {
  Eigen::Vector2d coefold = start;
  Eigen::VectorXd mu = x * start;
  if (!valid_mu(mu)) throw std::runtime_error("cannot find valid starting values");
  double devold = gamma_deviance(y, mu);
  GlmResult result;
  for (int iter = 1; iter <= kGlmMaxIt; ++iter) {
    // Identity link: z = y, working weights 1/mu.
    const Eigen::VectorXd w = mu.cwiseInverse().cwiseAbs();
    const Eigen::MatrixXd xw = x.array().colwise() * w.array();
    const Eigen::VectorXd zw = y.cwiseProduct(w);
    start = xw.householderQr().solve(zw);
    if (!start.allFinite()) throw std::runtime_error("non-finite coefficients");
    mu = x * start;
    double dev = gamma_deviance(y, mu);
    for (int ii = 1; !std::isfinite(dev); ++ii) {
      if (ii > kGlmMaxIt) throw std::runtime_error("inner loop 1; cannot correct step size");
      start = (start + coefold) / 2;
      mu = x * start;
      dev = gamma_deviance(y, mu);
    }
    if (!valid_mu(mu)) {
      for (int ii = 1; !valid_mu(mu); ++ii) {
        if (ii > kGlmMaxIt) throw std::runtime_error("inner loop 2; cannot correct step size");
        start = (start + coefold) / 2;
        mu = x * start;
      }
      dev = gamma_deviance(y, mu);
    }
    if (std::abs(dev - devold) / (std::abs(dev) + 0.1) < kGlmEpsilon) {
      result.converged = true;
      break;
    }
    devold = dev;
    coefold = start;
  }
  result.coefs = start;
  return result;
}

}  // namespace

TrendGenes trend_genes(const GeneDispersions& dispersions) {
  TrendGenes genes;
  for (std::size_t g = 0; g < dispersions.estimate.size(); ++g) {
    if (dispersions.estimate[g] > 100 * 1e-8) {
      genes.means.push_back(dispersions.base_mean[g]);
      genes.estimates.push_back(dispersions.estimate[g]);
    }
  }
  return genes;
}

std::optional<DispersionTrend> fit_parametric_trend(const TrendGenes& genes, std::string& why) {
  const std::vector<double>& means = genes.means;
  const std::vector<double>& disps = genes.estimates;
  Eigen::Vector2d coefs(0.1, 1.0);
  try {
    for (int round = 0;; ++round) {
      std::vector<std::size_t> good;
      for (std::size_t g = 0; g < means.size(); ++g) {
        const double residual = disps[g] / (coefs[0] + coefs[1] / means[g]);
        if (residual > 1e-4 && residual < 15) good.push_back(g);
      }
      Eigen::MatrixXd x(static_cast<Eigen::Index>(good.size()), 2);
      Eigen::VectorXd y(static_cast<Eigen::Index>(good.size()));
      for (std::size_t k = 0; k < good.size(); ++k) {
        x(static_cast<Eigen::Index>(k), 0) = 1.0;
        x(static_cast<Eigen::Index>(k), 1) = 1.0 / means[good[k]];
        y[static_cast<Eigen::Index>(k)] = disps[good[k]];
      }
      const Eigen::Vector2d old = coefs;
      const auto fit = gamma_identity_glm(x, y, coefs);
      coefs = fit.coefs;
      if (!(coefs[0] > 0 && coefs[1] > 0)) throw std::runtime_error("a trend coefficient is <= 0");
      const double change = std::pow(std::log(coefs[0] / old[0]), 2) + std::pow(std::log(coefs[1] / old[1]), 2);
      if (change < 1e-6 && fit.converged) break;
      if (round + 1 > kMaxRounds) throw std::runtime_error("dispersion fit did not converge");
    }
  } catch (const std::runtime_error& error) {
    why = error.what();
    return std::nullopt;
  }
  return DispersionTrend{coefs[0], coefs[1]};
}

}  // namespace ifnsig::norm
