#include "gaussian_kernel.hpp"

#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>

#if defined(__x86_64__)
// GCC 12 flags the AVX-512 intrinsics' deliberately undefined pass-through operand (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace ifnsig::score {
namespace {

// GSVA's C code looks the standard normal CDF up in a table of 10,001 points on [0, 10], truncating.
constexpr int kCdfResolution = 10000;
constexpr double kCdfMax = 10.0;

const std::array<double, kCdfResolution + 1>& normal_cdf_table() {
  static const auto table = [] {
    std::array<double, kCdfResolution + 1> t{};
    for (int i = 0; i <= kCdfResolution; ++i) {
      const double x = kCdfMax * static_cast<double>(i) / static_cast<double>(kCdfResolution);
      t[static_cast<std::size_t>(i)] = 0.5 * std::erfc(-x / std::sqrt(2.0));
    }
    return t;
  }();
  return table;
}

// The kernel CDF of one pair both ways: `forward` at (x_j - x_k), `backward` at (x_k - x_j). Both are table
// entries or their complements, as GSVA computes them (never 1 - (1 - entry)). Beyond |v| > 10 the table's
// last entry is exactly 1.0, which gives GSVA's 1 and 0.
struct PairCdf {
  double forward;
  double backward;
};

PairCdf pair_cdf(double difference, double bandwidth, const double* table) {
  const double v = difference / bandwidth;
  const double a = std::fabs(v);
  const int index = a > kCdfMax ? kCdfResolution : static_cast<int>(a / kCdfMax * kCdfResolution);
  const double entry = table[index];
  const double complement = 1.0 - entry;
  return v < 0 ? PairCdf{complement, entry} : PairCdf{entry, complement};
}

// Rows first..n-1 of the symmetric scheme: row j adds its own terms k > j in order and hands the mirrored
// terms to the later rows, which receive them in increasing j, i.e. in sample order. On entry left_tail[j]
// holds the terms of the rows before `first`.
void scalar_rows(const double* x, std::size_t n, std::size_t first, double bandwidth, double* left_tail) {
  const double* table = normal_cdf_table().data();
  for (std::size_t j = first; j < n; ++j) {
    double own = left_tail[j] + table[0];
    for (std::size_t k = j + 1; k < n; ++k) {
      const PairCdf cdf = pair_cdf(x[j] - x[k], bandwidth, table);
      own += cdf.forward;
      left_tail[k] += cdf.backward;
    }
    left_tail[j] = own;
  }
}

#if defined(__x86_64__)
// The table minus 1/2. Entries lie in [0.5, 1], so entry - 0.5, 0.5 + that and 0.5 - that (= 1 - entry) are
// all exact: the vectorized path builds both directions from it with a sign flip instead of a blend.
const std::array<double, kCdfResolution + 1>& normal_cdf_excess_table() {
  static const auto table = [] {
    auto t = normal_cdf_table();
    for (double& entry : t) entry -= 0.5;
    return t;
  }();
  return table;
}

// The pairs inside the tile of `width` rows from j0, in GSVA's order: own[a] is row a's running sum plus its
// pair with itself and with the tile's later rows; those rows get the mirrored terms.
void tile_triangle(const double* x, std::size_t j0, std::size_t width, double bandwidth, const double* table,
                   double* left_tail, double* own) {
  for (std::size_t a = 0; a < width; ++a) {
    own[a] = left_tail[j0 + a] + table[0];
    for (std::size_t b = a + 1; b < width; ++b) {
      const PairCdf cdf = pair_cdf(x[j0 + a] - x[j0 + b], bandwidth, table);
      own[a] += cdf.forward;
      left_tail[j0 + b] += cdf.backward;
    }
  }
}

// Rows j0 .. j0+width-1 against the columns from k0 on (fewer than a tile), then their finished sums stored.
void tile_rows_finish(const double* x, std::size_t n, std::size_t j0, std::size_t k0, std::size_t width,
                      double bandwidth, const double* table, double* left_tail, double* own) {
  for (std::size_t a = 0; a < width; ++a) {
    for (std::size_t k = k0; k < n; ++k) {
      const PairCdf cdf = pair_cdf(x[j0 + a] - x[k], bandwidth, table);
      own[a] += cdf.forward;
      left_tail[k] += cdf.backward;
    }
    left_tail[j0 + a] = own[a];
  }
}

// Rows in blocks of 4 (lanes) against columns in tiles of 4. The table index is truncated from
// |difference| * (1000 / bandwidth) instead of GSVA's two divisions; the two differ by a few ulps, so the
// truncation agrees unless the product is within 4e-15 (relative) of an integer, and such tiles are
// recomputed by pair_cdf. Own terms are added per lane in column order; the mirrored terms are transposed
// and added to the columns in row order: the same additions in the same order as scalar_rows.
__attribute__((target("avx2"))) void avx2_rows(const double* x, std::size_t n, double bandwidth,
                                                 double* left_tail) {
  const double* table = normal_cdf_table().data();
  const double* excess_table = normal_cdf_excess_table().data();
  const __m256d half = _mm256_set1_pd(0.5);
  const __m256d scale = _mm256_set1_pd(static_cast<double>(kCdfResolution) / (kCdfMax * bandwidth));
  const __m256d index_cap = _mm256_set1_pd(kCdfResolution + 0.5);
  const __m256d margin = _mm256_set1_pd(4e-15);
  const __m256d sign_bit = _mm256_set1_pd(-0.0);
  std::size_t j0 = 0;
  for (; j0 + 4 <= n; j0 += 4) {
    alignas(32) double own[4];
    tile_triangle(x, j0, 4, bandwidth, table, left_tail, own);
    const __m256d rows = _mm256_loadu_pd(x + j0);
    __m256d own_sum = _mm256_load_pd(own);
    std::size_t k0 = j0 + 4;
    for (; k0 + 4 <= n; k0 += 4) {
      __m256d forward[4];
      __m256d backward[4];
      __m256d near_integer = _mm256_setzero_pd();
      for (std::size_t b = 0; b < 4; ++b) {
        const __m256d difference = _mm256_sub_pd(rows, _mm256_set1_pd(x[k0 + b]));
        const __m256d scaled = _mm256_min_pd(_mm256_mul_pd(_mm256_andnot_pd(sign_bit, difference), scale), index_cap);
        const __m256d to_nearest_integer =
            _mm256_andnot_pd(sign_bit, _mm256_sub_pd(scaled, _mm256_round_pd(scaled, _MM_FROUND_TO_NEAREST_INT)));
        near_integer = _mm256_or_pd(near_integer,
                                    _mm256_cmp_pd(to_nearest_integer, _mm256_mul_pd(scaled, margin), _CMP_LT_OQ));
        // Scalar loads: on current x86 microcode (gather data sampling mitigation) gathers are slower.
        alignas(16) int index[4];
        _mm_store_si128(reinterpret_cast<__m128i*>(index), _mm256_cvttpd_epi32(scaled));
        const __m256d excess = _mm256_set_pd(excess_table[index[3]], excess_table[index[2]],
                                             excess_table[index[1]], excess_table[index[0]]);
        // +-(entry - 1/2) with the sign of the difference: forward is entry or 1 - entry, backward the other.
        const __m256d signed_excess = _mm256_xor_pd(_mm256_and_pd(sign_bit, difference), excess);
        forward[b] = _mm256_add_pd(half, signed_excess);
        backward[b] = _mm256_sub_pd(half, signed_excess);
      }
      if (_mm256_movemask_pd(near_integer) != 0) {
        for (std::size_t b = 0; b < 4; ++b) {
          alignas(32) double f[4];
          alignas(32) double r[4];
          for (std::size_t a = 0; a < 4; ++a) {
            const PairCdf cdf = pair_cdf(x[j0 + a] - x[k0 + b], bandwidth, table);
            f[a] = cdf.forward;
            r[a] = cdf.backward;
          }
          forward[b] = _mm256_load_pd(f);
          backward[b] = _mm256_load_pd(r);
        }
      }
      for (std::size_t b = 0; b < 4; ++b) own_sum = _mm256_add_pd(own_sum, forward[b]);
      // backward[b] holds column k0+b's terms from the 4 rows; transpose to one vector per row.
      const __m256d low01 = _mm256_unpacklo_pd(backward[0], backward[1]);
      const __m256d high01 = _mm256_unpackhi_pd(backward[0], backward[1]);
      const __m256d low23 = _mm256_unpacklo_pd(backward[2], backward[3]);
      const __m256d high23 = _mm256_unpackhi_pd(backward[2], backward[3]);
      __m256d columns = _mm256_loadu_pd(left_tail + k0);
      columns = _mm256_add_pd(columns, _mm256_permute2f128_pd(low01, low23, 0x20));
      columns = _mm256_add_pd(columns, _mm256_permute2f128_pd(high01, high23, 0x20));
      columns = _mm256_add_pd(columns, _mm256_permute2f128_pd(low01, low23, 0x31));
      columns = _mm256_add_pd(columns, _mm256_permute2f128_pd(high01, high23, 0x31));
      _mm256_storeu_pd(left_tail + k0, columns);
    }
    _mm256_store_pd(own, own_sum);
    tile_rows_finish(x, n, j0, k0, 4, bandwidth, table, left_tail, own);
  }
  scalar_rows(x, n, j0, bandwidth, left_tail);
}

// Rows in blocks of 8 (lanes) against columns in tiles of 8. The table index needs no division: with
// c_low and c_high bracketing 1000 / bandwidth by a relative 1e-14 (far more than the three roundings of
// GSVA's |difference| / bandwidth / 10 * 10000), floor(|difference| * c_low) <= GSVA's index <=
// floor(|difference| * c_high), and both floors come exact from one FMA each rounding toward zero onto 2^52
// (the index is then the low bits). Where the two differ (|difference| * 1000 / bandwidth within 1e-14 of an
// integer) the tile is recomputed by pair_cdf. |difference| is capped where both products pass 10000.5, so
// every capped pair reads the last entry, exactly 1, as GSVA's v > 10 does. Addition order as in avx2_rows.
__attribute__((target("avx512f,avx512dq,avx512bw"))) void avx512_rows(const double* x, std::size_t n,
                                                                       double bandwidth, double* left_tail) {
  const double* table = normal_cdf_table().data();
  const double* excess_table = normal_cdf_excess_table().data();
  const double scale = static_cast<double>(kCdfResolution) / (kCdfMax * bandwidth);
  constexpr double kMargin = 1e-14;  // relative; GSVA's three roundings are within 3.4e-16
  const __m512d c_low = _mm512_set1_pd(scale * (1.0 - kMargin));
  const __m512d c_high = _mm512_set1_pd(scale * (1.0 + kMargin));
  const __m512d difference_cap = _mm512_set1_pd((kCdfResolution + 0.5) / (scale * (1.0 - kMargin)));
  const __m512d two_52 = _mm512_set1_pd(0x1p52);
  const __m512d half = _mm512_set1_pd(0.5);
  const __m512i sign_bit = _mm512_set1_epi64(static_cast<long long>(0x8000000000000000ULL));
  constexpr int kToZero = _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC;
  // Gathers the low 16-bit word of each 64-bit lane into the lowest 128 bits (one permute instead of vpmovqw).
  const __m512i low_words = _mm512_set_epi16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                             28, 24, 20, 16, 12, 8, 4, 0);
  std::size_t j0 = 0;
  for (; j0 + 8 <= n; j0 += 8) {
    alignas(64) double own[8];
    tile_triangle(x, j0, 8, bandwidth, table, left_tail, own);
    const __m512d rows = _mm512_loadu_pd(x + j0);
    __m512d own_sum = _mm512_load_pd(own);
    // The previous tile's mirrored terms, one vector per row, are added to its columns during this tile's
    // loop, so that chain of 8 dependent additions overlaps with the lookups.
    __m512d pending[8];
    for (__m512d& p : pending) p = _mm512_setzero_pd();
    std::size_t pending_k0 = n;
    std::size_t k0 = j0 + 8;
    for (; k0 + 8 <= n; k0 += 8) {
      const __m512d own_before = own_sum;
      __m512d backward[8];
      __m512i floors_differ = _mm512_setzero_si512();
      __m512d pending_columns = pending_k0 < n ? _mm512_loadu_pd(left_tail + pending_k0) : _mm512_setzero_pd();
#pragma GCC unroll 8
      for (std::size_t b = 0; b < 8; ++b) {
        pending_columns = _mm512_add_pd(pending_columns, pending[b]);
        const __m512i difference = _mm512_castpd_si512(_mm512_sub_pd(rows, _mm512_set1_pd(x[k0 + b])));
        // min(|difference|, cap), sign cleared.
        const __m512d size = _mm512_range_pd(_mm512_castsi512_pd(difference), difference_cap, 0x0A);
        const __m512d low = _mm512_fmadd_round_pd(size, c_low, two_52, kToZero);
        const __m512d high = _mm512_fmadd_round_pd(size, c_high, two_52, kToZero);
        // floors_differ |= low ^ high (one instruction; the tile is checked once, after its 8 columns).
        floors_differ = _mm512_ternarylogic_epi64(floors_differ, _mm512_castpd_si512(low),
                                                  _mm512_castpd_si512(high), 0xF6);
        // The 8 indices as 16-bit fields of two general registers.
        const __m128i packed =
            _mm512_castsi512_si128(_mm512_permutexvar_epi16(low_words, _mm512_castpd_si512(low)));
        const auto low4 = static_cast<std::uint64_t>(_mm_cvtsi128_si64(packed));
        const auto high4 = static_cast<std::uint64_t>(_mm_extract_epi64(packed, 1));
        const __m512d excess = _mm512_set_pd(
            excess_table[high4 >> 48], excess_table[(high4 >> 32) & 0xFFFF], excess_table[(high4 >> 16) & 0xFFFF],
            excess_table[high4 & 0xFFFF], excess_table[low4 >> 48], excess_table[(low4 >> 32) & 0xFFFF],
            excess_table[(low4 >> 16) & 0xFFFF], excess_table[low4 & 0xFFFF]);
        // (difference & sign) ^ excess: +-(entry - 1/2) with the sign of the difference.
        const __m512d signed_excess =
            _mm512_castsi512_pd(_mm512_ternarylogic_epi64(difference, sign_bit, _mm512_castpd_si512(excess), 0x6A));
        own_sum = _mm512_add_pd(own_sum, _mm512_add_pd(half, signed_excess));
        backward[b] = _mm512_sub_pd(half, signed_excess);
      }
      if (_mm512_test_epi64_mask(floors_differ, floors_differ) != 0) {
        own_sum = own_before;
        for (std::size_t b = 0; b < 8; ++b) {
          alignas(64) double f[8];
          alignas(64) double r[8];
          for (std::size_t a = 0; a < 8; ++a) {
            const PairCdf cdf = pair_cdf(x[j0 + a] - x[k0 + b], bandwidth, table);
            f[a] = cdf.forward;
            r[a] = cdf.backward;
          }
          own_sum = _mm512_add_pd(own_sum, _mm512_load_pd(f));
          backward[b] = _mm512_load_pd(r);
        }
      }
      // backward[b] holds column k0+b's terms from the 8 rows; transpose to one vector per row.
      __m512d pairs[8];
      for (std::size_t b = 0; b < 8; b += 2) {
        pairs[b] = _mm512_unpacklo_pd(backward[b], backward[b + 1]);
        pairs[b + 1] = _mm512_unpackhi_pd(backward[b], backward[b + 1]);
      }
      __m512d quads[8];
      for (std::size_t b = 0; b < 2; ++b) {
        quads[b] = _mm512_shuffle_f64x2(pairs[b], pairs[b + 2], 0x88);
        quads[b + 2] = _mm512_shuffle_f64x2(pairs[b], pairs[b + 2], 0xDD);
        quads[b + 4] = _mm512_shuffle_f64x2(pairs[b + 4], pairs[b + 6], 0x88);
        quads[b + 6] = _mm512_shuffle_f64x2(pairs[b + 4], pairs[b + 6], 0xDD);
      }
      if (pending_k0 < n) _mm512_storeu_pd(left_tail + pending_k0, pending_columns);
      for (std::size_t b = 0; b < 4; ++b) {
        pending[b] = _mm512_shuffle_f64x2(quads[b], quads[b + 4], 0x88);
        pending[b + 4] = _mm512_shuffle_f64x2(quads[b], quads[b + 4], 0xDD);
      }
      pending_k0 = k0;
    }
    if (pending_k0 < n) {
      __m512d columns = _mm512_loadu_pd(left_tail + pending_k0);
      for (const __m512d& p : pending) columns = _mm512_add_pd(columns, p);
      _mm512_storeu_pd(left_tail + pending_k0, columns);
    }
    _mm512_store_pd(own, own_sum);
    tile_rows_finish(x, n, j0, k0, 8, bandwidth, table, left_tail, own);
  }
  scalar_rows(x, n, j0, bandwidth, left_tail);
}
#endif

// The vector paths take 1000 / bandwidth (twice, for the AVX-512 margins) as a finite factor.
bool vector_scale_finite(double bandwidth) {
  return std::isfinite(2.0 * static_cast<double>(kCdfResolution) / (kCdfMax * bandwidth));
}

}  // namespace

bool kernel_path_supported(KernelPath path) {
  switch (path) {
    case KernelPath::kScalar:
      return true;
#if defined(__x86_64__)
    case KernelPath::kAvx2:
      return __builtin_cpu_supports("avx2") != 0;
    case KernelPath::kAvx512:
      return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512dq") != 0 &&
             __builtin_cpu_supports("avx512bw") != 0;
#else
    case KernelPath::kAvx2:
    case KernelPath::kAvx512:
      return false;
#endif
  }
  return false;
}

void gaussian_left_tails(std::span<const double> x, double bandwidth, std::span<double> left_tail,
                         KernelPath path) {
  assert(bandwidth > 0);  // a zero bandwidth makes 0/0 table indices
  for (double& t : left_tail) t = 0.0;
  if (path != KernelPath::kScalar && !vector_scale_finite(bandwidth)) path = KernelPath::kScalar;
  switch (path) {
#if defined(__x86_64__)
    case KernelPath::kAvx512:
      avx512_rows(x.data(), x.size(), bandwidth, left_tail.data());
      return;
    case KernelPath::kAvx2:
      avx2_rows(x.data(), x.size(), bandwidth, left_tail.data());
      return;
#endif
    default:
      scalar_rows(x.data(), x.size(), 0, bandwidth, left_tail.data());
  }
}

void gaussian_left_tails(std::span<const double> x, double bandwidth, std::span<double> left_tail) {
  static const KernelPath fastest = kernel_path_supported(KernelPath::kAvx512) ? KernelPath::kAvx512
                                    : kernel_path_supported(KernelPath::kAvx2) ? KernelPath::kAvx2
                                                                               : KernelPath::kScalar;
  gaussian_left_tails(x, bandwidth, left_tail, fastest);
}

}  // namespace ifnsig::score
