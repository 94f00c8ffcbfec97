#include "ifnsig/norm/matrix_writer.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ifnsig/io/text.hpp"

namespace ifnsig {
namespace {

constexpr Eigen::Index kRowsPerChunk = 64;
constexpr Eigen::Index kChunksPerRound = 32;  // bounds the text held in memory

// std::to_chars of finite doubles, remembering recent results by their bits: in a transformed count matrix
// all cells of a sample with equal counts (zeros above all) hold equal values, and formatting one
// shortest round-trip decimal costs far more than looking it up.
class FormatCache {
 public:
  void append(std::string& text, double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    Entry& entry = entries_[(bits * 0x9E3779B97F4A7C15ULL) >> (64 - kIndexBits)];
    if (entry.bits != bits) {
      entry.bits = bits;
      entry.length = static_cast<std::uint8_t>(std::to_chars(entry.text, entry.text + sizeof entry.text, value).ptr - entry.text);
    }
    text.append(entry.text, entry.length);
  }

 private:
  static constexpr int kIndexBits = 16;
  static constexpr std::uint64_t kNoValue = 0x7FF8000000000001ULL;  // a NaN: never cached (finite values only)
  struct Entry {
    std::uint64_t bits = kNoValue;
    std::uint8_t length = 0;
    char text[27];  // the longest shortest form of a double, "-2.2250738585072014e-308", has 24 characters
  };
  std::vector<Entry> entries_ = std::vector<Entry>(std::size_t{1} << kIndexBits);
};

void append_row(std::string& text, const GeneMatrix& m, Eigen::Index g, FormatCache& cache) {
  text += m.gene_ids[static_cast<std::size_t>(g)];
  for (Eigen::Index s = 0; s < m.values.cols(); ++s) {
    text += '\t';
    const double v = m.values(g, s);
    if (std::isfinite(v)) {
      cache.append(text, v);
    } else {
      text += format_double(v);
    }
  }
  text += '\n';
}

}  // namespace

void write_matrix_tsv(std::ostream& out, const GeneMatrix& m) {
  out << "gene_id";
  for (const auto& sample : m.sample_ids) out << '\t' << sample;
  out << '\n';
  const Eigen::Index n_rows = m.values.rows();
  const Eigen::Index n_chunks = (n_rows + kRowsPerChunk - 1) / kRowsPerChunk;
  std::vector<std::string> texts(static_cast<std::size_t>(kChunksPerRound));
  tbb::enumerable_thread_specific<FormatCache> caches;
  for (Eigen::Index first = 0; first < n_chunks; first += kChunksPerRound) {
    const Eigen::Index last = std::min(n_chunks, first + kChunksPerRound);
    tbb::parallel_for(first, last, [&](Eigen::Index chunk) {
      auto& text = texts[static_cast<std::size_t>(chunk - first)];
      auto& cache = caches.local();
      text.clear();
      for (Eigen::Index g = chunk * kRowsPerChunk; g < std::min(n_rows, (chunk + 1) * kRowsPerChunk); ++g) {
        append_row(text, m, g, cache);
      }
    });
    for (Eigen::Index chunk = first; chunk < last; ++chunk) out << texts[static_cast<std::size_t>(chunk - first)];
  }
}

}  // namespace ifnsig
