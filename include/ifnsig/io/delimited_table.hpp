// Owns: reading gene x sample text tables (plain, gzip or bgzip files, or "-" for standard input). The
//       header lines are read one at a time (next_line, peek_line), so each caller keeps its own header
//       rules; the body is read in large blocks by a TBB pipeline: blocks are read in order and cut at their
//       last newline, their rows split and their numbers parsed in parallel, and the rows collected in
//       order (gene ids checked unique) while the next blocks are read and parsed.
// Thread-safety: one reader per thread; read_body() runs in the calling thread's task arena.
// Invariant: line numbers count every line from 1. Blank lines, lines starting with '#' and lines starting
//            with the skipped prefix are neither returned nor parsed. Values, and the error for a bad
//            table (that of its first bad line), do not depend on the number of threads or the block size.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ifnsig/io/line_reader.hpp"

namespace ifnsig::io {

// How number cells are read. Both convert a digit string of up to 15 digits directly and anything else
// with parse_double, which gives the same double for such strings.
enum class NumberRule {
  kFiniteCount,  // counts: NA, NaN and Inf are "not a finite number"
  kAnyNumber,    // expression values: NaN and Inf accepted
};

// The fields of every body row, fixed by the caller from the header (and for count tables the first row).
struct TableColumns {
  char delimiter = '\t';
  std::size_t first_number = 1;           // field 0 is the gene id; fields [1, first_number) are kept as text
  std::vector<std::string> number_names;  // one per number field, named in errors
  NumberRule rule = NumberRule::kAnyNumber;
  // For a line with both a repeated gene id and a bad number: report the gene id (true; GeneMatrix::read_plain
  // always has) or the number (count tables). A wrong field count is reported before either.
  bool repeated_id_reported_first = false;

  std::size_t n_fields() const { return first_number + number_names.size(); }
};

// The body rows in file order.
struct TableBody {
  std::vector<std::string> ids;                // unquoted, unique
  std::vector<std::vector<std::string>> text;  // [column][row]: fields 1 .. first_number - 1, unquoted
  std::size_t n_numbers = 0;                   // per row
  std::vector<std::vector<double>> number_blocks;  // consecutive rows, row-major, n_numbers per row
};

// Moves the numbers into `out`, ids.size() x n_numbers column-major, a block at a time in parallel square
// tiles. Each block is freed once copied and `out`'s pages are first written as the blocks go, so memory
// holds the numbers about once, not twice.
void move_numbers_column_major(TableBody& body, double* out);

// Trims a field and drops one pair of enclosing double quotes.
std::string unquote(std::string_view field);
// ',' when the header line has commas and no tab, else '\t'.
char guess_delimiter(std::string_view header_line);

class DelimitedTableReader {
 public:
  static constexpr std::size_t kBlockBytes = std::size_t{8} << 20;

  // Lines starting with `skipped_prefix` (htseq-count's "__" summary rows) are dropped like comments.
  // `block_bytes` is the size of a body block; a line longer than that makes its block longer.
  explicit DelimitedTableReader(std::string path, std::string skipped_prefix = {},
                                std::size_t block_bytes = kBlockBytes);
  DelimitedTableReader(const DelimitedTableReader&) = delete;
  DelimitedTableReader& operator=(const DelimitedTableReader&) = delete;

  struct Line {
    std::string_view text;  // without "\n" or "\r\n" (as LineReader: up to two '\r'); valid until the next call
    std::uint64_t number = 0;
  };
  // The next line that is not blank, a comment or skipped; nullopt at end of file. After peek_line() the
  // same line is returned again by next_line(), or read as the body's first row.
  std::optional<Line> next_line();
  std::optional<Line> peek_line();

  // The file's decoded text, for parse_checked().
  TextSource& source() { return lines_.source(); }

  // Reads every remaining line as a body row. Errors name the file and line: a wrong number of fields, a gene
  // id that is not valid UTF-8, a bad number, a repeated gene id, a truncated or corrupt gzip file.
  TableBody read_body(const TableColumns& columns);

 private:
  struct Block;
  void read_block(Block& block);
  void parse_block(Block& block, const TableColumns& columns) const;
  void collect_block(Block& block, const TableColumns& columns, TableBody& body,
                     std::unordered_set<std::string>& seen_ids);
  bool skipped(std::string_view line) const;

  std::string path_;
  std::string skipped_prefix_;
  std::size_t block_bytes_;
  LineReader lines_;   // header lines; its rest and source then feed the body's blocks
  std::string carry_;  // the body's bytes read and not yet in a block (an incomplete last line)
  std::uint64_t lines_done_ = 0;  // the body's lines collected so far, after the header's
};

}  // namespace ifnsig::io
