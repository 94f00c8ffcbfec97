// Owns: the text rules shared by ifnsig's sample sheets: tab-separated, blank lines and lines starting with
//       '#' skipped, the first other line the header, every field trimmed and valid UTF-8 (io/input_text.hpp).
// Thread-safety: a pure function of the file.
// Invariant: every row kept has as many fields as the header, all valid UTF-8; each is kept with its line
//            number.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ifnsig::io {

struct SheetRows {
  std::vector<std::string> columns;  // empty when the file has no header line
  std::uint64_t header_line = 0;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;  // line number of each row
};

// Called for a line whose field count differs from the header's or with a field that is not valid UTF-8, with
// the problem in words ("expected 3 tab-separated fields, found 2") and how to fix it; a row is dropped unless
// the call throws (a header is kept).
using BadRowHandler =
    std::function<void(std::uint64_t line, const std::string& problem, const std::string& hint)>;

SheetRows read_sheet_rows(const std::string& path, const BadRowHandler& on_bad_row);

}  // namespace ifnsig::io
