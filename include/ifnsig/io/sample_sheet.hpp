// Owns: the sample sheet, a TSV with a `sample` column and any further columns (group, batch, bam, ...).
// Thread-safety: immutable after reading.
// Invariant: sample ids are unique and non-empty; every row has one value per column.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace ifnsig::io {

class SampleSheet {
 public:
  static SampleSheet read(const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& samples() const { return samples_; }
  bool has_column(const std::string& column) const;
  // Value of `column` for row `row`; throws InputError naming the sheet if the column is missing.
  const std::string& value(std::size_t row, const std::string& column) const;
  std::optional<std::size_t> row_of(const std::string& sample) const;
  // The rows in `samples` order. Throws one InputError listing the samples that are not in the sheet; sheet
  // rows not in `samples` are left out (a cohort's sheet serves a run on some of its samples), with a log line.
  std::vector<std::size_t> match(const std::vector<std::string>& samples, const std::string& other_source) const;

 private:
  std::size_t column_index(const std::string& column) const;
  std::string path_;
  std::vector<std::string> columns_;
  std::vector<std::string> samples_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace ifnsig::io
