// Owns: GSVA 1.46's Gaussian kernel CDF sums (its truncated normal CDF table, its summation order).
// Thread-safety: pure functions; the table is built once (thread-safe static initialization).
// Invariant: every path (scalar, AVX2, AVX-512) looks up the same table entry for every pair and adds the
//            terms in the same order, so all return the sums of GSVA's C loop bit for bit.
#pragma once
#include <span>

namespace ifnsig::score {

// The implementations of the sums; the fastest one the CPU supports runs by default.
enum class KernelPath { kScalar, kAvx2, kAvx512 };

// Whether this CPU (and build) can run `path`. kScalar always can.
bool kernel_path_supported(KernelPath path);

// left_tail[j] = sum over k = 0..n-1, in that order, of GSVA's kernel CDF at (x[j] - x[k]) / bandwidth:
// the normal CDF table entry at floor(|v| / 10 * 10000) (v = difference / bandwidth), complemented for
// v < 0, exactly 0 or 1 beyond +-10. bandwidth > 0.
void gaussian_left_tails(std::span<const double> x, double bandwidth, std::span<double> left_tail);

// The same sums by one given path (tests and benchmarks); `path` must be supported.
void gaussian_left_tails(std::span<const double> x, double bandwidth, std::span<double> left_tail,
                         KernelPath path);

}  // namespace ifnsig::score
