#include "ifnsig/io/delimited_table.hpp"

#include <tbb/blocked_range.h>
#include <tbb/blocked_range2d.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::io {
namespace {

constexpr std::size_t kTile = 64;  // doubles per side of a transposed tile: 32 KB read, 32 KB written

enum class Fault : std::uint8_t { kNone, kFieldCount, kBadId, kBadNumber };

struct RowSpan {
  std::size_t offset = 0, length = 0;  // in the block's text, without the line terminator
  std::uint64_t line_in_block = 0;     // 0-based
};

const char* find_delimiter(const char* from, const char* end, char delimiter) {
  const void* found = std::memchr(from, delimiter, static_cast<std::size_t>(end - from));
  return found == nullptr ? end : static_cast<const char*>(found);
}

bool parse_number(std::string_view field, NumberRule rule, double& value) {
  return parse_double(field, value) && (rule == NumberRule::kAnyNumber || std::isfinite(value));
}

std::string bad_number_message(const TableColumns& columns, std::size_t number, std::string_view field) {
  return std::string(columns.rule == NumberRule::kFiniteCount ? "not a finite number" : "not a number") +
         " in column " + quote_field(columns.number_names[number]) + ": " + quote_field(field);
}

}  // namespace

// One body block on its way through the pipeline; the pipeline reuses a fixed set of them.
struct DelimitedTableReader::Block {
  std::vector<char> buffer;  // text in [0, size): whole lines (the last one without "\n" only at end of file)
  std::size_t size = 0;
  bool read_failed_after = false;  // the file could not be decoded past this block
  std::uint64_t n_lines = 0;
  std::vector<RowSpan> rows;  // lines that are not blank, comments or skipped
  std::vector<std::string> ids;
  std::vector<std::string> text_fields;  // [row][text column], flat
  std::vector<double> numbers;           // [row][number column], flat
  std::vector<Fault> faults;             // per row
  std::vector<std::string> fault_messages;
};

void move_numbers_column_major(TableBody& body, double* out) {
  const std::size_t n_rows = body.ids.size(), n_columns = body.n_numbers;
  if (n_columns == 0) return;
  std::size_t first_row = 0;
  for (auto& block : body.number_blocks) {
    const std::size_t rows = block.size() / n_columns;
    const double* in = block.data();
    tbb::parallel_for(tbb::blocked_range2d<std::size_t>(0, rows, kTile, 0, n_columns, kTile),
                      [&](const tbb::blocked_range2d<std::size_t>& tile) {
                        for (std::size_t c = tile.cols().begin(); c < tile.cols().end(); ++c) {
                          double* column = out + c * n_rows + first_row;
                          for (std::size_t r = tile.rows().begin(); r < tile.rows().end(); ++r) {
                            column[r] = in[r * n_columns + c];
                          }
                        }
                      });
    first_row += rows;
    std::vector<double>().swap(block);
  }
  body.number_blocks.clear();
}

std::string unquote(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return std::string(field);
}

char guess_delimiter(std::string_view header_line) {
  return header_line.find('\t') == std::string_view::npos && header_line.find(',') != std::string_view::npos
             ? ','
             : '\t';
}

DelimitedTableReader::DelimitedTableReader(std::string path, std::string skipped_prefix, std::size_t block_bytes)
    : path_(std::move(path)),
      skipped_prefix_(std::move(skipped_prefix)),
      block_bytes_(std::max<std::size_t>(block_bytes, 1)),
      lines_(path_) {}

bool DelimitedTableReader::skipped(std::string_view line) const {
  return trim(line).empty() || line.front() == '#' || (!skipped_prefix_.empty() && line.starts_with(skipped_prefix_));
}

std::optional<DelimitedTableReader::Line> DelimitedTableReader::next_line() {
  std::string_view text;
  while (lines_.next(text)) {
    if (!skipped(text)) return Line{text, lines_.line_number()};
  }
  return std::nullopt;
}

std::optional<DelimitedTableReader::Line> DelimitedTableReader::peek_line() {
  auto line = next_line();
  if (line) lines_.unread_last_line();
  return line;
}

// The carried bytes, then whole lines read up to about block_bytes_; the incomplete last line is carried
// to the next block.
void DelimitedTableReader::read_block(Block& block) {
  TextSource& source = lines_.source();
  const std::size_t carried = carry_.size();
  if (block.buffer.size() < carried + block_bytes_) block.buffer.resize(carried + block_bytes_);
  std::copy(carry_.begin(), carry_.end(), block.buffer.begin());
  carry_.clear();
  block.size = carried;
  while (true) {
    block.size += source.read(block.buffer.data() + block.size, block.buffer.size() - block.size);
    if (source.at_end()) break;
    const std::string_view text(block.buffer.data(), block.size);
    const std::size_t last_newline = text.rfind('\n');
    if (last_newline != std::string_view::npos) {
      if (!source.failed()) carry_.assign(text.substr(last_newline + 1));
      block.size = last_newline + 1;
      break;
    }
    if (source.failed()) {  // no whole line left before the error
      block.size = 0;
      break;
    }
    block.buffer.resize(2 * block.buffer.size());  // a line longer than the block
  }
  block.read_failed_after = source.failed();
}

// Parallel: finds the block's lines, then splits its rows and parses their fields, recording each row's
// first fault (a gene id that is not UTF-8 comes before a bad number; a wrong field count overrides both).
void DelimitedTableReader::parse_block(Block& block, const TableColumns& columns) const {
  block.rows.clear();
  const char* const text = block.buffer.data();
  std::uint64_t line = 0;
  for (std::size_t start = 0; start < block.size; ++line) {
    const void* newline = std::memchr(text + start, '\n', block.size - start);
    const std::size_t end = newline == nullptr ? block.size : static_cast<std::size_t>(static_cast<const char*>(newline) - text);
    const std::size_t length = length_without_terminator(text + start, end - start);
    if (!skipped(std::string_view(text + start, length))) block.rows.push_back({start, length, line});
    start = end + 1;
  }
  block.n_lines = line;

  const std::size_t n_rows = block.rows.size(), n_text = columns.first_number - 1;
  const std::size_t n_numbers = columns.number_names.size(), n_fields = columns.n_fields();
  block.ids.resize(n_rows);
  block.text_fields.resize(n_rows * n_text);
  block.numbers.resize(n_rows * n_numbers);
  block.faults.assign(n_rows, Fault::kNone);
  block.fault_messages.resize(n_rows);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_rows), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t r = range.begin(); r < range.end(); ++r) {
      const char* p = text + block.rows[r].offset;
      const char* const end = p + block.rows[r].length;
      double* const numbers = block.numbers.data() + r * n_numbers;
      Fault& fault = block.faults[r];
      std::size_t field = 0;
      while (true) {
        const char* field_end;
        if (field >= columns.first_number && field < n_fields && fault == Fault::kNone) {
          // The usual cell, a short plain decimal, is converted while it is scanned.
          double& value = numbers[field - columns.first_number];
          field_end = parse_short_decimal(p, end, value);
          if (field_end == nullptr || (field_end != end && *field_end != columns.delimiter)) {
            field_end = find_delimiter(p, end, columns.delimiter);
            const std::string_view cell(p, static_cast<std::size_t>(field_end - p));
            if (!parse_number(cell, columns.rule, value)) {
              fault = Fault::kBadNumber;
              block.fault_messages[r] = bad_number_message(columns, field - columns.first_number, cell);
            }
          }
        } else {
          field_end = find_delimiter(p, end, columns.delimiter);
          const std::string_view cell(p, static_cast<std::size_t>(field_end - p));
          if (field == 0) {
            block.ids[r] = unquote(cell);
            if (auto problem = utf8_problem("gene id", block.ids[r]); !problem.empty()) {
              fault = Fault::kBadId;
              block.fault_messages[r] = std::move(problem);
            }
          } else if (field < columns.first_number) {
            block.text_fields[r * n_text + field - 1] = unquote(cell);
          }
        }
        ++field;
        if (field_end == end) break;
        p = field_end + 1;
      }
      if (field != n_fields) {
        fault = Fault::kFieldCount;
        block.fault_messages[r] = "expected " + std::to_string(n_fields) + " fields, found " + std::to_string(field);
      }
    }
  });
}

// Serial, in file order: checks and appends the block's rows; lines_done_ then counts the block's lines.
void DelimitedTableReader::collect_block(Block& block, const TableColumns& columns, TableBody& body,
                                         std::unordered_set<std::string>& seen_ids) {
  const std::size_t n_text = columns.first_number - 1;
  for (std::size_t r = 0; r < block.rows.size(); ++r) {
    const std::uint64_t line = lines_done_ + block.rows[r].line_in_block + 1;
    const Fault fault = block.faults[r];
    if (fault == Fault::kBadId) throw InputError(path_, at_line(line), block.fault_messages[r], kUtf8Hint);
    if (fault == Fault::kFieldCount || (fault == Fault::kBadNumber && !columns.repeated_id_reported_first)) {
      throw InputError(path_, at_line(line), block.fault_messages[r]);
    }
    if (!seen_ids.insert(block.ids[r]).second) {
      throw InputError(path_, at_line(line), "duplicated gene id " + quote_field(block.ids[r]),
                       "gene ids must be unique; collapse or rename duplicates");
    }
    if (fault == Fault::kBadNumber) throw InputError(path_, at_line(line), block.fault_messages[r]);
    body.ids.push_back(std::move(block.ids[r]));
    for (std::size_t c = 0; c < n_text; ++c) body.text[c].push_back(std::move(block.text_fields[r * n_text + c]));
  }
  lines_done_ += block.n_lines;
  body.number_blocks.push_back(std::exchange(block.numbers, {}));
  if (block.read_failed_after) throw DamagedFileError(path_, lines_done_ + 1, lines_.source());
}

TableBody DelimitedTableReader::read_body(const TableColumns& columns) {
  TableBody body;
  body.n_numbers = columns.number_names.size();
  body.text.resize(columns.first_number - 1);
  std::unordered_set<std::string> seen_ids;
  lines_done_ = lines_.line_number();  // the body goes on after the header lines read (a peeked one is unread)
  carry_ = lines_.take_rest();
  const auto n_tokens = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 2;
  std::vector<Block> blocks(n_tokens);  // reused round-robin: at most n_tokens blocks are in flight
  std::size_t next_block = 0;
  bool input_done = false;
  tbb::parallel_pipeline(
      n_tokens,
      tbb::make_filter<void, Block*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& control) -> Block* {
                                       if (input_done) {
                                         control.stop();
                                         return nullptr;
                                       }
                                       Block& block = blocks[next_block++ % n_tokens];
                                       read_block(block);
                                       input_done = lines_.source().done();
                                       if (block.size == 0 && !block.read_failed_after) {
                                         control.stop();
                                         return nullptr;
                                       }
                                       return &block;
                                     }) &
          tbb::make_filter<Block*, Block*>(tbb::filter_mode::parallel,
                                           [&](Block* block) {
                                             parse_block(*block, columns);
                                             return block;
                                           }) &
          tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order, [&](Block* block) {
            collect_block(*block, columns, body, seen_ids);
          }));
  return body;
}

}  // namespace ifnsig::io
