#include "ifnsig/io/sheet_rows.hpp"

#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig {

SheetRows read_sheet_rows(const std::string& path, const BadRowHandler& on_bad_row) {
  SheetRows sheet;
  LineReader reader(path);
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    split_fields(line, '\t', fields);
    std::vector<std::string> row;
    row.reserve(fields.size());
    for (const auto field : fields) row.emplace_back(trim(field));
    if (sheet.columns.empty()) {
      sheet.columns = std::move(row);
      sheet.header_line = reader.line_number();
    } else if (row.size() != sheet.columns.size()) {
      on_bad_row(reader.line_number(), "expected " + std::to_string(sheet.columns.size()) +
                                           " tab-separated fields, found " + std::to_string(row.size()));
    } else {
      sheet.rows.push_back(std::move(row));
      sheet.lines.push_back(reader.line_number());
    }
  }
  return sheet;
}

}  // namespace ifnsig
