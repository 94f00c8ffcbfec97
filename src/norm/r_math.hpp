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
#include <cstddef>

namespace ifnsig::norm {

// lgamma(x) as R's lgammafn(), for x > 0 (NaN otherwise).
double r_lgamma(double x);

// digamma(x) as R's digamma(), for x > 0 (NaN otherwise).
double r_digamma(double x);

// The C library's pow(x, y), called at run time even for a constant y (compilers replace pow(x, -1.0) by
// 1.0 / x, which can differ from the library's pow in the last bit; DESeq2's compiled code calls pow()).
double libm_pow(double x, double y);

// out[i] = libm_pow(x[i], -1.0) and libm_pow(x[i], -2.0), bit for bit, for x[i] > 0 (x and out must not
// overlap). The correctly rounded value is used where it is certainly what the C library's pow gives: pow is within
// 0.54 ulp of the exact value (glibc's bound), so it returns the nearest double whenever the exact value lies
// more than 0.05 ulp from a rounding boundary, which an exact residual (Dekker's product) tells. pow itself is
// called for the rest, about one value in ten. The candidates are computed without branches, so the loop is
// vectorized; several times faster than calling pow.
void pow_minus_one(const double* x, double* out, std::size_t n);
void pow_minus_two(const double* x, double* out, std::size_t n);

}  // namespace ifnsig::norm
