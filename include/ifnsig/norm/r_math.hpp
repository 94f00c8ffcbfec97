// Owns: R's special functions as R 4.2's nmath library computes them (lgammafn, digamma through dpsifn), and
//       the C library's pow() where a caller must not have it replaced by a division.
// Thread-safety: pure functions.
// Invariant: for x > 0 the results are R's, bit for bit (the same SLATEC-derived series, constants and order of
//            operations), on any IEEE-754 machine whose log and exp are those R uses (the C library's).
//
// DESeq2's dispersion fit calls R's lgammafn and digamma through Rcpp, and its line search takes decisions on
// differences of log likelihoods that are sums of 2 x (number of samples) such terms. A different lgamma (the
// C library's) or digamma differs by an ulp here and there, which is enough to change those decisions once
// there are hundreds of samples (docs/normalize.md, "Agreement with R"), so these are R's own algorithms.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>

namespace ifnsig {

// lgamma(x) as R's lgammafn(), for x > 0 (NaN otherwise).
double r_lgamma(double x);

// digamma(x) as R's digamma(), for x > 0 (NaN otherwise).
double r_digamma(double x);

// The C library's pow(x, y), called at run time even for a constant y (compilers replace pow(x, -1.0) by
// 1.0 / x, which can differ from the library's pow in the last bit; DESeq2's compiled code calls pow()).
double libm_pow(double x, double y);

// libm_pow(x, -1.0) and libm_pow(x, -2.0), bit for bit, for x > 0 (inline below). The correctly rounded
// value is returned where it is certainly what the C library's pow gives: pow is within 0.54 ulp of the exact
// value (glibc's bound), so it returns the nearest double whenever the exact value lies more than 0.05 ulp from
// a rounding boundary, which an exact residual (Dekker's product) tells. pow itself is called for the rest,
// about one value in ten. About twice as fast as calling pow.
inline double pow_minus_one(double x);
inline double pow_minus_two(double x);

namespace detail {

struct ExactProduct {
  double p, e;  // a * b = p + e exactly
};

// Dekker's product by Veltkamp splitting (no fused multiply-add needed); exact for |a|, |b| within 2^+-250.
inline ExactProduct exact_product(double a, double b) {
  constexpr double kSplit = 134217729.0;  // 2^27 + 1
  const double ca = kSplit * a, a_hi = ca - (ca - a), a_lo = a - a_hi;
  const double cb = kSplit * b, b_hi = cb - (cb - b), b_lo = b - b_hi;
  const double p = a * b;
  return {p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo};
}

// Whether a double r at `distance` (exact value - r, approximately) from the exact value may not be what pow
// returns: the exact value is more than 0.45 ulp(r) from r (within 0.45 ulp, every other double is at least
// 0.55 ulp away, beyond pow's 0.54), or r is a power of two (the ulp below it is smaller).
inline bool pow_may_differ(double r, double distance) {
  const auto bits = std::bit_cast<std::uint64_t>(r);
  constexpr std::uint64_t kMantissa = (std::uint64_t{1} << 52) - 1;
  if ((bits & kMantissa) == 0) return true;
  const double ulp = std::bit_cast<double>(bits & ~kMantissa) * 0x1p-52;  // r's binade times 2^-52
  return std::fabs(distance) > 0.45 * ulp;
}

}  // namespace detail

inline double pow_minus_one(double x) {
  if (!(x > 0x1p-250 && x < 0x1p250)) return libm_pow(x, -1.0);
  const double r = 1.0 / x;  // correctly rounded
  const auto [p, e] = detail::exact_product(r, x);
  const double distance = r * ((1.0 - p) - e);  // 1/x - r = r (1 - r x) / (r x)
  return detail::pow_may_differ(r, distance) ? libm_pow(x, -1.0) : r;
}

inline double pow_minus_two(double x) {
  if (!(x > 0x1p-120 && x < 0x1p120)) return libm_pow(x, -2.0);
  const auto [square, square_lo] = detail::exact_product(x, x);
  const double r0 = 1.0 / square;  // within about an ulp of 1/x^2
  const auto [p, e] = detail::exact_product(r0, square);
  const double t = r0 * (((1.0 - p) - e) - r0 * square_lo);  // 1/x^2 - r0, to a relative 2^-100
  const double r = r0 + t;                                    // nearest to 1/x^2 unless t is a tie-breaker
  const double distance = t - (r - r0);                       // r - r0 is exact (0 or an ulp)
  return detail::pow_may_differ(r, distance) ? libm_pow(x, -2.0) : r;
}

}  // namespace ifnsig
