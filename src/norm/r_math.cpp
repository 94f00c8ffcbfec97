// R 4.2's nmath lgammafn() and digamma() (dpsifn with n = 0, m = 1), for positive arguments. The series, their
// coefficients (W. Fullerton's SLATEC routines dgamma/d9lgmc/dcsevl and D. E. Amos' dpsifn, as R has them) and
// the order of every operation follow R's C code, so that the results are R's bits: DESeq2's dispersion fit is
// sensitive to them (see r_math.hpp). Only the branches reachable for x > 0 are kept.
#include "r_math.hpp"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ifnsig::norm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// chebyshev_eval(): the n-term Chebyshev series a at x.
double chebyshev_eval(double x, const double* a, int n) {
  if (x < -1.1 || x > 1.1) return kNaN;
  const double twox = x * 2;
  double b2 = 0, b1 = 0, b0 = 0;
  for (int i = 1; i <= n; ++i) {
    b2 = b1;
    b1 = b0;
    b0 = twox * b1 - b2 + a[n - i];
  }
  return (b0 - b2) * 0.5;
}

// gammafn() for 0 < x <= 10: gamma(1 + y), 0 <= y < 1, from its Chebyshev series (the first ngam = 22 of
// gamcs' 42 terms), then the recurrence up or down to x.
double gamma_upto_10(double x) {
  static constexpr double kGamcs[22] = {
      +.8571195590989331421920062399942e-2, +.4415381324841006757191315771652e-2,
      +.5685043681599363378632664588789e-1, -.4219835396418560501012500186624e-2,
      +.1326808181212460220584006796352e-2, -.1893024529798880432523947023886e-3,
      +.3606925327441245256578082217225e-4, -.6056761904460864218485548290365e-5,
      +.1055829546302283344731823509093e-5, -.1811967365542384048291855891166e-6,
      +.3117724964715322277790254593169e-7, -.5354219639019687140874081024347e-8,
      +.9193275519859588946887786825940e-9, -.1577941280288339761767423273953e-9,
      +.2707980622934954543266540433089e-10, -.4646818653825730144081661058933e-11,
      +.7973350192007419656460767175359e-12, -.1368078209830916025799499172309e-12,
      +.2347319486563800657233471771688e-13, -.4027432614949066932766570534699e-14,
      +.6910051747372100912138336975257e-15, -.1185584500221992907052387126192e-15};
  constexpr double kXsml = 2.2474362225598545e-308;
  int n = static_cast<int>(x);
  const double y = x - n;  // n = floor(x), y in [0, 1)
  --n;
  double value = chebyshev_eval(y * 2 - 1, kGamcs, 22) + .9375;
  if (n == 0) return value;  // 1 <= x < 2
  if (n < 0) {               // 0 < x < 1
    if (y < kXsml) return kInf;
    n = -n;
    for (int i = 0; i < n; ++i) value /= (x + i);
    return value;
  }
  for (int i = 1; i <= n; ++i) value *= (y + i);  // 2 <= x <= 10
  return value;
}

// lgammacor(): lgamma(x) - ((x - 0.5) log x - x + log sqrt(2 pi)) for x >= 10, from the first nalgm = 5 terms
// of algmcs.
double lgammacor(double x) {
  static constexpr double kAlgmcs[5] = {+.1666389480451863247205729650822e+0, -.1384948176067563840732986059135e-4,
                                        +.9810825646924729426157171547487e-8, -.1809129475572494194263306266719e-10,
                                        +.6221098041892605227126015543416e-13};
  constexpr double kXbig = 94906265.62425156;
  if (x < 10) return kNaN;
  if (x < kXbig) {
    const double tmp = 10 / x;
    return chebyshev_eval(tmp * tmp * 2 - 1, kAlgmcs, 5) / x;
  }
  return 1 / (x * 12);
}

}  // namespace

double r_lgamma(double x) {
  constexpr double kLnSqrt2Pi = 0.918938533204672741780329736406;  // M_LN_SQRT_2PI
  constexpr double kXmax = 2.5327372760800758e+305;
  if (std::isnan(x)) return x;
  if (!(x > 0)) return kNaN;
  if (x < 1e-306) return -std::log(x);
  if (x <= 10) return std::log(std::fabs(gamma_upto_10(x)));
  if (x > kXmax) return kInf;
  if (x > 1e17) return x * (std::log(x) - 1.);
  if (x > 4934720.) return kLnSqrt2Pi + (x - 0.5) * std::log(x) - x;
  return kLnSqrt2Pi + (x - 0.5) * std::log(x) - x + lgammacor(x);
}

double r_digamma(double x) {
  static constexpr double kBvalues[22] = {  // Bernoulli numbers, as dpsifn has them
      1.00000000000000000e+00,  -5.00000000000000000e-01, 1.66666666666666667e-01,  -3.33333333333333333e-02,
      2.38095238095238095e-02,  -3.33333333333333333e-02, 7.57575757575757576e-02,  -2.53113553113553114e-01,
      1.16666666666666667e+00,  -7.09215686274509804e+00, 5.49711779448621554e+01,  -5.29124242424242424e+02,
      6.19212318840579710e+03,  -8.65802531135531136e+04, 1.42551716666666667e+06,  -2.72982310678160920e+07,
      6.01580873900642368e+08,  -1.51163157670921569e+10, 4.29614643061166667e+11,  -1.37116552050883328e+13,
      4.88332318973593167e+14,  -1.92965793419400681e+16};
  if (std::isnan(x)) return x;
  if (!(x > 0)) return kNaN;
  // dpsifn(x, n = 0, kode = 1, m = 1) computes ans = -digamma(x).
  const double xln = std::log(x);
  constexpr double kLrg = 1 / (2. * DBL_EPSILON);
  if (x * xln > kLrg) return xln;
  int nx = 1021;                                        // imin2(-i1mach(15), i1mach(16))
  constexpr double kR1m5 = 0.301029995663981195213738894724;  // d1mach(5) = log10(2)
  constexpr double kR1m4 = DBL_EPSILON * 0.5;                  // d1mach(4) * 0.5
  const double wdtol = std::fmax(kR1m4, 0.5e-18);
  const double elim = 2.302 * (nx * kR1m5 - 3.0);
  const double rln = std::fmin(kR1m5 * 53, 18.06);  // i1mach(14) = 53 mantissa bits
  const double fln = std::fmax(rln, 3.0) - 3.0;
  const double yint = 3.50 + 0.40 * fln;
  const double slope = 0.21 + fln * (0.0006038 * fln + 0.008677);
  const int fn = 0;  // n + m - 1
  double t = (fn + 1) * xln;
  if (std::fabs(t) > elim) return t <= 0.0 ? kNaN : -0.0;  // under- or overflow (x below e^-700 or above e^700)
  if (x < wdtol) return -(1 / x);                          // R_pow_di(x, -1)
  const double xm = yint + slope * fn;
  const int mx = static_cast<int>(xm) + 1;
  const double xmin = mx;
  double xdmy = x, xdmln = xln, xinc = 0.0;
  if (x < xmin) {
    nx = static_cast<int>(x);
    xinc = xmin - nx;
    xdmy = x + xinc;
    xdmln = std::log(xdmy);
  }
  // The asymptotic expansion at xdmy.
  t = fn * xdmln;
  double t1 = xdmln + xdmln;
  const double t2 = t + xdmln;
  double tk = std::fmax(std::fabs(t), std::fmax(std::fabs(t1), std::fabs(t2)));
  if (tk > elim) return -0.0;
  const double tss = std::exp(-t);
  const double tt = 0.5 / xdmy;
  t1 = tt;
  const double tst = wdtol * tt;
  const double rxsq = 1.0 / (xdmy * xdmy);
  const double ta = 0.5 * rxsq;
  t = (fn + 1) * ta;
  double s = t * kBvalues[2];
  if (std::fabs(s) >= tst) {
    tk = 2.0;
    for (int k = 4; k <= 22; ++k) {
      t = t * ((tk + fn + 1) / (tk + 1.0)) * ((tk + fn) / (tk + 2.0)) * rxsq;
      const double term = t * kBvalues[k - 1];
      if (std::fabs(term) < tst) break;
      s += term;
      tk += 2.;
    }
  }
  s = (s + t1) * tss;
  if (xinc != 0.0) {  // backward recurrence from xdmy to x
    nx = static_cast<int>(xinc);
    for (int i = 1; i <= nx; ++i) s += 1. / (x + (nx - i));
  }
  return -(s - xdmln);
}

double libm_pow(double x, double y) {
  volatile double exponent = y;  // keeps the call a call even where y is a constant
  return std::pow(x, exponent);
}

namespace {

// a * b = p + e exactly (Dekker's product by Veltkamp splitting; no fused multiply-add needed), for |a|, |b|
// within 2^+-250.
struct ExactProduct {
  double p, e;
};
inline ExactProduct exact_product(double a, double b) {
  constexpr double kSplit = 134217729.0;  // 2^27 + 1
  const double ca = kSplit * a, a_hi = ca - (ca - a), a_lo = a - a_hi;
  const double cb = kSplit * b, b_hi = cb - (cb - b), b_lo = b - b_hi;
  const double p = a * b;
  return {p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo};
}

// Positive where pow may return another double than r, r being `distance` (approximately) below the exact value:
// the exact value is more than 0.45 ulp(r) from r (within 0.45 ulp every other double is at least 0.55 ulp away,
// beyond pow's 0.54), r is a power of two (the ulp below it is smaller) or x is outside [2^-120, 2^120]; else 0.
// Selects of constants only, no branches, so that the candidate loops are vectorized.
inline double pow_decides(double x, double r, double distance) {
  const double binade = std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) & std::uint64_t{0xFFF0000000000000});
  return (std::fabs(distance) > 0.45 * 0x1p-52 * binade ? 1.0 : 0.0) + (r == binade ? 1.0 : 0.0) +
         (x > 0x1p-120 ? 0.0 : 1.0) + (x < 0x1p120 ? 0.0 : 1.0);
}

inline double minus_one_candidate(double x, double& decides) {
  const double r = 1.0 / x;  // correctly rounded
  const auto [p, e] = exact_product(r, x);
  decides = pow_decides(x, r, r * ((1.0 - p) - e));  // 1/x - r = r (1 - r x) / (r x)
  return r;
}

inline double minus_two_candidate(double x, double& decides) {
  const auto [square, square_lo] = exact_product(x, x);
  const double r0 = 1.0 / square;  // within about an ulp of 1/x^2
  const auto [p, e] = exact_product(r0, square);
  const double t = r0 * (((1.0 - p) - e) - r0 * square_lo);  // 1/x^2 - r0, to a relative 2^-100
  const double r = r0 + t;                                    // the nearest double unless t is a near tie
  decides = pow_decides(x, r, t - (r - r0));                    // r - r0 is exact
  return r;
}

template <bool kSquare>
void reciprocal_powers(const double* x, double* out, std::size_t n) {
  constexpr std::size_t kChunk = 256;
  double decides[kChunk];  // pow_decides() of each value
  for (std::size_t first = 0; first < n; first += kChunk) {
    const std::size_t count = std::min(kChunk, n - first);
    const double* xs = x + first;
    double* outs = out + first;
    for (std::size_t i = 0; i < count; ++i) {
      outs[i] = kSquare ? minus_two_candidate(xs[i], decides[i]) : minus_one_candidate(xs[i], decides[i]);
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (decides[i] > 0) outs[i] = libm_pow(xs[i], kSquare ? -2.0 : -1.0);
    }
  }
}

}  // namespace

void pow_minus_one(const double* x, double* out, std::size_t n) { reciprocal_powers<false>(x, out, n); }
void pow_minus_two(const double* x, double* out, std::size_t n) { reciprocal_powers<true>(x, out, n); }

}  // namespace ifnsig::norm
