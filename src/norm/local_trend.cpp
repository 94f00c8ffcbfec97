// DESeq2's localDispersionFit: the locfit package's default local regression, in 1-d, as locfit computes it.
#include "ifnsig/norm/local_trend.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "ifnsig/core/error.hpp"

namespace ifnsig::norm {
namespace {

constexpr double kMinDispersion = 1e-8;       // DESeq2's minDisp; the fit uses dispersions >= 10 x this
constexpr double kNearestFraction = 0.7;      // locfit alpha
constexpr double kCut = 0.8;                  // locfit's tree: split while length / bandwidth > cut
// locfit's vertex space for the tree in one dimension: (int)((5 / alpha / cut + 1) * 2).
constexpr std::size_t kMaxVertices = 19;

double tricube(double u) {
  if (u > 1) return 0;
  const double v = 1 - u * u * u;
  return v * v * v;
}

// Coefficients of the quadratic in (1, d, d^2/2), d = x - center: value, slope, curvature at the center.
struct QuadraticFit {
  double coef[3] = {0, 0, 0};
};

class LocalFitter {
 public:
  LocalFitter(std::span<const double> x, std::span<const double> y, std::span<const double> prior_weight)
      : x_(x), y_(y), prior_weight_(prior_weight), distance_(x.size()), kernel_(x.size()),
        neighbours_(static_cast<std::size_t>(static_cast<double>(x.size()) * kNearestFraction + 1e-12)) {}

  // The global fit with kernel weight 1 for every gene (locfit's parametric component).
  QuadraticFit fit_global(double center) {
    std::fill(kernel_.begin(), kernel_.end(), 1.0);
    return weighted_fit(center);
  }

  // The local fit at `center`; sets `bandwidth` to the distance of the k-th nearest log mean.
  QuadraticFit fit_local(double center, double& bandwidth) {
    for (std::size_t i = 0; i < x_.size(); ++i) distance_[i] = std::abs(x_[i] - center);
    bandwidth = 0;
    if (neighbours_ >= 1) {
      scratch_.assign(distance_.begin(), distance_.end());
      std::nth_element(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(neighbours_ - 1), scratch_.end());
      bandwidth = scratch_[neighbours_ - 1];
    }
    for (std::size_t i = 0; i < x_.size(); ++i) {
      kernel_[i] = bandwidth == 0 ? (distance_[i] == 0 ? 1.0 : 0.0) : tricube(distance_[i] / bandwidth);
    }
    return weighted_fit(center);
  }

 private:
  // locfit's Gaussian local likelihood: one Newton step from the weighted mean (lfinit, max_nr), the
  // information matrix and score summed gene by gene in input order.
  QuadraticFit weighted_fit(double center) const {
    double weight_sum = 0, weighted_y = 0;
    for (std::size_t i = 0; i < x_.size(); ++i) {
      if (kernel_[i] <= 0) continue;
      weighted_y += kernel_[i] * (prior_weight_[i] * y_[i]);
      weight_sum += kernel_[i] * prior_weight_[i];
    }
    if (weight_sum == 0) throw InputError("counts", "", "local dispersion fit: no genes with positive weight");
    const double start = weighted_y / weight_sum;
    double information[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    double score[3] = {0, 0, 0};
    for (std::size_t i = 0; i < x_.size(); ++i) {
      if (kernel_[i] <= 0) continue;
      const double d = x_[i] - center;
      const double basis[3] = {1.0, d, d * d / 2};
      const double residual = prior_weight_[i] * (y_[i] - start);
      const double weight = kernel_[i] * prior_weight_[i];
      for (int a = 0; a < 3; ++a) {
        score[a] += basis[a] * kernel_[i] * residual;
        for (int b = 0; b < 3; ++b) information[a][b] += weight * basis[a] * basis[b];
      }
    }
    solve_as_locfit(information, score);
    QuadraticFit fit;
    fit.coef[0] = start + score[0];
    fit.coef[1] = score[1];
    fit.coef[2] = score[2];
    return fit;
  }

  // locfit's jacob_solve with its default method (JAC_EIGD): scale to unit diagonal, Jacobi eigen-
  // decomposition that leaves off-diagonal elements with x_ij^2 <= 1e-15 |x_ii x_jj| unrotated (at most
  // 20 sweeps), divide by the eigenvalues above 1e-8 x the largest (others are left undivided), scale back.
  // These tolerances move the fit by about 1e-8 relative, so they are part of what DESeq2 computes.
  static void solve_as_locfit(double z[3][3], double v[3]) {
    constexpr int p = 3;
    double scale[p], rotation[p][p];
    for (int i = 0; i < p; ++i) scale[i] = z[i][i] <= 0 ? 0.0 : 1 / std::sqrt(z[i][i]);
    for (int i = 0; i < p; ++i) {
      for (int j = 0; j < p; ++j) z[i][j] *= scale[i] * scale[j];
    }
    for (int i = 0; i < p; ++i) {
      for (int j = 0; j < p; ++j) rotation[i][j] = i == j ? 1.0 : 0.0;
    }
    for (int sweep = 0; sweep < 20; ++sweep) {
      bool rotated = false;
      for (int i = 0; i < p; ++i) {
        for (int j = i + 1; j < p; ++j) {
          if (!(z[i][j] * z[i][j] > 1.0e-15 * std::abs(z[i][i] * z[j][j]))) continue;
          double c = (z[j][j] - z[i][i]) / 2;
          double s = -z[i][j];
          const double r = std::sqrt(c * c + s * s);
          c /= r;
          s = std::sqrt((1 - c) / 2) * (2 * (s > 0) - 1);
          c = std::sqrt((1 + c) / 2);
          for (int k = 0; k < p; ++k) {
            const double u = z[i][k], w = z[j][k];
            z[i][k] = u * c + w * s;
            z[j][k] = w * c - u * s;
          }
          for (int k = 0; k < p; ++k) {
            const double u = z[k][i], w = z[k][j];
            z[k][i] = u * c + w * s;
            z[k][j] = w * c - u * s;
          }
          z[i][j] = z[j][i] = 0.0;
          for (int k = 0; k < p; ++k) {
            const double u = rotation[k][i], w = rotation[k][j];
            rotation[k][i] = u * c + w * s;
            rotation[k][j] = w * c - u * s;
          }
          rotated = true;
        }
      }
      if (!rotated) break;
    }
    for (int i = 0; i < p; ++i) v[i] *= scale[i];
    double largest = z[0][0];
    for (int i = 1; i < p; ++i) largest = std::max(largest, z[i][i]);
    const double tolerance = 1.0e-8 * largest;
    double projected[p];
    for (int i = 0; i < p; ++i) {
      projected[i] = 0.0;
      for (int j = 0; j < p; ++j) projected[i] += rotation[j][i] * v[j];
    }
    for (int i = 0; i < p; ++i) {
      if (z[i][i] > tolerance) projected[i] /= z[i][i];
    }
    for (int i = 0; i < p; ++i) {
      v[i] = 0.0;
      for (int j = 0; j < p; ++j) v[i] += rotation[i][j] * projected[j];
    }
    for (int i = 0; i < p; ++i) v[i] *= scale[i];
  }

  std::span<const double> x_, y_, prior_weight_;
  std::vector<double> distance_, kernel_, scratch_;
  std::size_t neighbours_;
};

}  // namespace

double LocalDispersionTrend::parametric_component(double log_mean) const {
  const double d = log_mean - center_;
  return global_fit_[0] + global_fit_[1] * d + global_fit_[2] * (d * d / 2);
}

LocalDispersionTrend LocalDispersionTrend::fit(std::span<const double> means, std::span<const double> dispersions) {
  std::vector<double> x, y, w;
  for (std::size_t g = 0; g < means.size(); ++g) {
    if (!(dispersions[g] >= kMinDispersion * 10)) continue;
    x.push_back(std::log(means[g]));
    y.push_back(std::log(dispersions[g]));
    w.push_back(means[g]);
  }
  if (x.size() < 3) {
    throw InputError("counts", "", "the local dispersion fit needs at least 3 genes with dispersion >= 1e-7, got " +
                                       std::to_string(x.size()));
  }
  LocalDispersionTrend trend;
  double weight_sum = 0, weighted_x = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    weight_sum += w[i];
    weighted_x += x[i] * w[i];
  }
  trend.center_ = weighted_x / weight_sum;
  LocalFitter fitter(x, y, w);
  const QuadraticFit global = fitter.fit_global(trend.center_);
  std::copy(std::begin(global.coef), std::end(global.coef), std::begin(trend.global_fit_));

  auto& vertices = trend.vertices_;
  const auto add_vertex = [&](double position) {
    if (vertices.size() == kMaxVertices) {
      throw InputError("counts", "", "the local dispersion fit needs more than " + std::to_string(kMaxVertices) +
                                         " vertices (locfit: \"newsplit: out of vertex space\")",
                       "use the parametric trend or another transform");
    }
    Vertex vertex{position, 0, 0, 0};
    const QuadraticFit local = fitter.fit_local(position, vertex.bandwidth);
    const double d = position - trend.center_;
    vertex.residual = local.coef[0] - trend.parametric_component(position);
    vertex.slope = local.coef[1] - (global.coef[1] + global.coef[2] * d);
    vertices.push_back(vertex);
    return vertices.size() - 1;
  };
  const double lowest = *std::min_element(x.begin(), x.end());
  const double highest = *std::max_element(x.begin(), x.end());
  const std::size_t first = add_vertex(lowest), last = add_vertex(highest);
  // locfit's atree_grow: a cell is split at its midpoint while its length exceeds cut x the smaller positive
  // bandwidth of its two vertices (or, with no positive bandwidth, while it is longer than 0.4 x the range).
  const std::function<void(std::size_t, std::size_t)> grow = [&](std::size_t left, std::size_t right) {
    const double lo = vertices[left].position, hi = vertices[right].position;
    double smallest = 0;
    for (const std::size_t v : {left, right}) {
      const double h = vertices[v].bandwidth;
      if (h > 0 && (smallest == 0 || h < smallest)) smallest = h;
    }
    const double score = smallest == 0 ? 2 * (hi - lo) / (highest - lowest) : (hi - lo) / smallest;
    if (!(kCut < score)) return;
    const std::size_t middle = add_vertex((lo + hi) / 2);
    grow(left, middle);
    grow(middle, right);
  };
  grow(first, last);
  std::sort(vertices.begin(), vertices.end(), [](const Vertex& a, const Vertex& b) { return a.position < b.position; });
  return trend;
}

double LocalDispersionTrend::log_dispersion_at(double log_mean) const {
  // The terminal cell holding the point (the first or last cell outside the data range).
  const auto upper = std::upper_bound(vertices_.begin() + 1, vertices_.end() - 1, log_mean,
                                      [](double value, const Vertex& v) { return value < v.position; });
  const Vertex& a = *(upper - 1);
  const Vertex& b = *upper;
  const double length = b.position - a.position;
  if (length == 0) return a.residual + parametric_component(log_mean);  // all genes at one mean
  const double h = (log_mean - a.position) / length;
  double phi[4];
  if (h < 0) {
    phi[0] = 1, phi[1] = 0, phi[2] = h, phi[3] = 0;
  } else if (h > 1) {
    phi[0] = 0, phi[1] = 1, phi[2] = 0, phi[3] = h - 1;
  } else {
    phi[1] = h * h * (3 - 2 * h);
    phi[0] = 1 - phi[1];
    phi[2] = h * (1 - h) * (1 - h);
    phi[3] = h * h * (h - 1);
  }
  phi[2] *= length;
  phi[3] *= length;
  const double local = phi[0] * a.residual + phi[1] * b.residual + phi[2] * a.slope + phi[3] * b.slope;
  return local + parametric_component(log_mean);
}

}  // namespace ifnsig::norm
