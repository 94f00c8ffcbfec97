#include "ifnsig/io/sample_sheet.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/sheet_rows.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::io {

SampleSheet SampleSheet::read(const std::string& path) {
  SheetRows raw = read_sheet_rows(path, [&](std::uint64_t line, const std::string& problem, const std::string& hint) {
    throw InputError(path, at_line(line), problem, hint);
  });
  if (raw.columns.empty()) throw InputError(path, "", "the sample sheet is empty");
  const auto sample_column = std::find(raw.columns.begin(), raw.columns.end(), "sample");
  if (sample_column == raw.columns.end()) {
    throw InputError(path, at_line(raw.header_line), "the header has no 'sample' column",
                     "the first non-comment line must be a tab-separated header naming a 'sample' column");
  }
  const auto column = static_cast<std::size_t>(sample_column - raw.columns.begin());
  SampleSheet sheet;
  sheet.path_ = path;
  std::unordered_set<std::string> seen;
  for (std::size_t r = 0; r < raw.rows.size(); ++r) {
    const std::string& sample = raw.rows[r][column];
    if (auto problem = sample_id_problem(sample); !problem.empty()) {
      throw InputError(path, at_line(raw.lines[r]), problem, kSampleIdHint);
    }
    if (!seen.insert(sample).second) {
      throw InputError(path, at_line(raw.lines[r]), "duplicate sample id " + quote_field(sample),
                       "sample ids must be unique");
    }
    sheet.samples_.push_back(sample);
  }
  sheet.columns_ = std::move(raw.columns);
  sheet.rows_ = std::move(raw.rows);
  return sheet;
}

bool SampleSheet::has_column(const std::string& column) const {
  return std::find(columns_.begin(), columns_.end(), column) != columns_.end();
}

std::size_t SampleSheet::column_index(const std::string& column) const {
  const auto it = std::find(columns_.begin(), columns_.end(), column);
  if (it == columns_.end()) {
    throw InputError(path_, "", "no column named " + quote_field(column), "add the column or choose another one");
  }
  return static_cast<std::size_t>(it - columns_.begin());
}

const std::string& SampleSheet::value(std::size_t row, const std::string& column) const {
  return rows_.at(row)[column_index(column)];
}

std::optional<std::size_t> SampleSheet::row_of(const std::string& sample) const {
  const auto it = std::find(samples_.begin(), samples_.end(), sample);
  if (it == samples_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - samples_.begin());
}

namespace {

// At most 10 ids, then how many more: a message stays readable for a cohort of thousands.
std::string id_list(const std::vector<std::string>& ids) {
  constexpr std::size_t kShown = 10;
  if (ids.size() <= kShown) return join(ids, ", ");
  return join({ids.begin(), ids.begin() + kShown}, ", ") + " and " + std::to_string(ids.size() - kShown) + " more";
}

}  // namespace

std::vector<std::size_t> SampleSheet::match(const std::vector<std::string>& samples,
                                            const std::string& other_source) const {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < samples_.size(); ++i) index.emplace(samples_[i], i);
  std::vector<std::size_t> rows;
  std::vector<std::string> not_in_sheet;
  for (const auto& sample : samples) {
    const auto it = index.find(sample);
    if (it == index.end()) {
      not_in_sheet.push_back(sample);
    } else {
      rows.push_back(it->second);
    }
  }
  const std::unordered_set<std::string> wanted(samples.begin(), samples.end());
  std::vector<std::string> only_in_sheet;
  for (const auto& sample : samples_) {
    if (!wanted.count(sample)) only_in_sheet.push_back(sample);
  }
  if (!not_in_sheet.empty()) {
    std::string hint = "add them to the sheet";
    if (!only_in_sheet.empty()) {
      hint += " (the sheet's samples not in " + other_source + ": " + id_list(only_in_sheet) + "; renamed?)";
    }
    throw InputError(path_, "",
                     std::to_string(not_in_sheet.size()) + " samples of " + other_source +
                         " are not in the sheet: " + id_list(not_in_sheet),
                     hint);
  }
  if (!only_in_sheet.empty()) {
    log_info(path_ + ": " + std::to_string(only_in_sheet.size()) + " samples of the sheet are not in " + other_source +
             " and are left out: " + id_list(only_in_sheet));
  }
  return rows;
}

}  // namespace ifnsig::io
