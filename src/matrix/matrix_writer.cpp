#include "ifnsig/matrix/matrix_writer.hpp"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <string>
#include <vector>

#include "ifnsig/io/text.hpp"

namespace ifnsig::matrix {
namespace {

constexpr Eigen::Index kRowsPerChunk = 64;

struct Chunk {
  Eigen::Index first = 0, last = 0;
  std::vector<double> block;  // the chunk's rows, row-major
  std::string text;
};

// Formats rows [first, last) of `m`. The matrix is column-major, so the rows are first copied into a
// row-major block: reading across a row directly touches one page per sample.
void format_chunk(Chunk& chunk, const GeneMatrix& m) {
  const Eigen::Index n_rows = chunk.last - chunk.first, n_cols = m.values.cols();
  chunk.block.resize(static_cast<std::size_t>(n_rows * n_cols));
  for (Eigen::Index s = 0; s < n_cols; ++s) {
    const double* column = m.values.col(s).data() + chunk.first;
    for (Eigen::Index r = 0; r < n_rows; ++r) chunk.block[static_cast<std::size_t>(r * n_cols + s)] = column[r];
  }
  std::size_t bound =
      static_cast<std::size_t>(n_rows) * (static_cast<std::size_t>(n_cols) * (io::kMaxDoubleChars + 1) + 1);
  for (Eigen::Index g = chunk.first; g < chunk.last; ++g) bound += m.gene_ids[static_cast<std::size_t>(g)].size();
  chunk.text.resize(bound);
  char* out = chunk.text.data();
  const double* value = chunk.block.data();
  for (Eigen::Index g = chunk.first; g < chunk.last; ++g) {
    const std::string& id = m.gene_ids[static_cast<std::size_t>(g)];
    out = std::copy(id.begin(), id.end(), out);
    for (Eigen::Index s = 0; s < n_cols; ++s, ++value) {
      *out++ = '\t';
      out = io::write_double(out, *value);
    }
    *out++ = '\n';
  }
  chunk.text.resize(static_cast<std::size_t>(out - chunk.text.data()));
}

}  // namespace

void write_matrix_tsv(std::ostream& out, const GeneMatrix& m) {
  out << "gene_id";
  for (const auto& sample : m.sample_ids) out << '\t' << sample;
  out << '\n';
  const Eigen::Index n_rows = m.values.rows();
  const auto n_tokens = static_cast<std::size_t>(2 * tbb::this_task_arena::max_concurrency());
  std::vector<Chunk> chunks(n_tokens);  // reused round-robin: at most n_tokens chunks are in flight
  Eigen::Index next_row = 0;
  std::size_t next_chunk = 0;
  tbb::parallel_pipeline(
      n_tokens,
      tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& control) -> Chunk* {
                                       if (next_row == n_rows) {
                                         control.stop();
                                         return nullptr;
                                       }
                                       Chunk& chunk = chunks[next_chunk++ % n_tokens];
                                       chunk.first = next_row;
                                       chunk.last = next_row = std::min(n_rows, next_row + kRowsPerChunk);
                                       return &chunk;
                                     }) &
          tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel,
                                           [&](Chunk* chunk) {
                                             format_chunk(*chunk, m);
                                             return chunk;
                                           }) &
          tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order,
                                         [&](Chunk* chunk) { out.write(chunk->text.data(), static_cast<std::streamsize>(chunk->text.size())); }));
}

}  // namespace ifnsig::matrix
