#include "ifnsig/io/sheet_rows.hpp"

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::io {
namespace {

// The first field that is not valid UTF-8, as a problem; empty when there is none.
std::string encoding_problem(const std::vector<std::string>& row, const std::vector<std::string>& columns) {
  for (std::size_t c = 0; c < row.size(); ++c) {
    const std::string what = columns.empty() ? "column name" : "the " + quote_field(columns[c]) + " value";
    if (auto problem = utf8_problem(what, row[c]); !problem.empty()) return problem;
  }
  return {};
}

// The sheet's rows from `reader`; see read_sheet_rows.
SheetRows parse_sheet_rows(LineReader& reader, const BadRowHandler& on_bad_row) {
  SheetRows sheet;
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    split_fields(line, '\t', fields);
    std::vector<std::string> row;
    row.reserve(fields.size());
    for (const auto field : fields) row.emplace_back(trim(field));
    if (sheet.columns.empty()) {
      if (auto problem = encoding_problem(row, {}); !problem.empty()) on_bad_row(reader.line_number(), problem, kUtf8Hint);
      sheet.columns = std::move(row);
      sheet.header_line = reader.line_number();
    } else if (row.size() != sheet.columns.size()) {
      on_bad_row(reader.line_number(),
                 "expected " + std::to_string(sheet.columns.size()) + " tab-separated fields, found " +
                     std::to_string(row.size()),
                 "check for spaces used instead of tabs");
    } else if (auto problem = encoding_problem(row, sheet.columns); !problem.empty()) {
      on_bad_row(reader.line_number(), problem, kUtf8Hint);
    } else {
      sheet.rows.push_back(std::move(row));
      sheet.lines.push_back(reader.line_number());
    }
  }
  return sheet;
}

}  // namespace

SheetRows read_sheet_rows(const std::string& path, const BadRowHandler& on_bad_row) {
  LineReader reader(path);
  return parse_checked(path, reader.source(), [&] { return parse_sheet_rows(reader, on_bad_row); });
}

}  // namespace ifnsig::io
