#include "ifnsig/norm/matrix_writer.hpp"

#include <tbb/parallel_for.h>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "ifnsig/io/text.hpp"

namespace ifnsig {
namespace {

constexpr Eigen::Index kRowsPerChunk = 64;
constexpr Eigen::Index kChunksPerRound = 32;  // bounds the text held in memory

void append_row(std::string& text, const GeneMatrix& m, Eigen::Index g) {
  text += m.gene_ids[static_cast<std::size_t>(g)];
  char buffer[40];
  for (Eigen::Index s = 0; s < m.values.cols(); ++s) {
    text += '\t';
    const double v = m.values(g, s);
    if (std::isfinite(v)) {
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
      text.append(buffer, result.ptr);
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
  for (Eigen::Index first = 0; first < n_chunks; first += kChunksPerRound) {
    const Eigen::Index last = std::min(n_chunks, first + kChunksPerRound);
    tbb::parallel_for(first, last, [&](Eigen::Index chunk) {
      auto& text = texts[static_cast<std::size_t>(chunk - first)];
      text.clear();
      for (Eigen::Index g = chunk * kRowsPerChunk; g < std::min(n_rows, (chunk + 1) * kRowsPerChunk); ++g) {
        append_row(text, m, g);
      }
    });
    for (Eigen::Index chunk = first; chunk < last; ++chunk) out << texts[static_cast<std::size_t>(chunk - first)];
  }
}

}  // namespace ifnsig
