// Owns: GSVA 1.46's Gaussian kernel CDF sums (its truncated normal CDF table, its summation order).
// Thread-safety: pure functions; the table is built once (thread-safe static initialization).
// Invariant: the vectorized (AVX2) and the scalar paths look up the same table entry for every pair and add
//            the terms in the same order, so both return the sums of GSVA's C loop bit for bit.
#pragma once
#include <span>

namespace ifnsig::score {

// left_tail[j] = sum over k = 0..n-1, in that order, of GSVA's kernel CDF at (x[j] - x[k]) / bandwidth:
// the normal CDF table entry at floor(|v| / 10 * 10000) (v = difference / bandwidth), complemented for
// v < 0, exactly 0 or 1 beyond +-10. Uses AVX2 when the CPU has it. bandwidth > 0.
void gaussian_left_tails(std::span<const double> x, double bandwidth, std::span<double> left_tail);

// The same sums by the portable scalar loop (the reference the vectorized path is tested against).
void gaussian_left_tails_scalar(std::span<const double> x, double bandwidth, std::span<double> left_tail);

}  // namespace ifnsig::score
