#include "ifnsig/norm/count_table.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig {
namespace {

constexpr std::size_t kBatchLines = 4096;
constexpr std::array<std::string_view, 9> kAnnotationNames = {
    "Chr", "Start", "End", "Strand", "Length", "length", "gene_name", "gene_type", "gene_biotype"};

std::string unquote(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return std::string(field);
}

bool is_annotation_name(std::string_view name) {
  return std::find(kAnnotationNames.begin(), kAnnotationNames.end(), name) != kAnnotationNames.end();
}

// One line batch parsed in parallel: ids, annotation cells and numbers (row-major).
struct Batch {
  std::vector<std::string> lines;
  std::vector<std::uint64_t> line_numbers;
  std::vector<double> cells;
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> annotation;  // [line][column]
  std::vector<std::string> errors;                   // per line, empty if fine
};

struct Layout {
  char delimiter = '\t';
  std::size_t first_count = 1;  // index of the first count column
  std::size_t n_fields = 0;
  std::vector<std::string> sample_ids;
};

// A plain digit string (the usual count cell) is converted directly, to the same value parse_double gives.
bool parse_cell(std::string_view field, double& value) {
  constexpr std::size_t kMaxExactDigits = 15;  // below 2^53: every such integer is a double
  if (!field.empty() && field.size() <= kMaxExactDigits) {
    std::uint64_t number = 0;
    bool digits = true;
    for (const char ch : field) {
      if (ch < '0' || ch > '9') {
        digits = false;
        break;
      }
      number = number * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    if (digits) {
      value = static_cast<double>(number);
      return true;
    }
  }
  return parse_double(field, value) && std::isfinite(value);
}

void parse_batch(Batch& batch, const Layout& layout) {
  const std::size_t n = batch.lines.size();
  const std::size_t n_samples = layout.n_fields - layout.first_count;
  batch.cells.assign(n * n_samples, 0.0);
  batch.ids.assign(n, {});
  batch.annotation.assign(n, {});
  batch.errors.assign(n, {});
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    std::vector<std::string_view> fields;
    split_fields(batch.lines[i], layout.delimiter, fields);
    if (fields.size() != layout.n_fields) {
      batch.errors[i] = "expected " + std::to_string(layout.n_fields) + " fields, found " + std::to_string(fields.size());
      return;
    }
    batch.ids[i] = unquote(fields[0]);
    for (std::size_t c = 1; c < layout.first_count; ++c) batch.annotation[i].push_back(unquote(fields[c]));
    for (std::size_t c = layout.first_count; c < fields.size(); ++c) {
      double& cell = batch.cells[i * n_samples + (c - layout.first_count)];
      if (!parse_cell(fields[c], cell)) {
        batch.errors[i] = "not a finite number in column '" + layout.sample_ids[c - layout.first_count] + "': '" +
                          std::string(fields[c]) + "'";
        return;
      }
    }
  });
}

std::size_t find_first_count(const std::vector<std::string>& header, std::string_view first_row, const Layout& layout,
                             std::size_t min_start) {
  const auto fields = split_fields(first_row, layout.delimiter);
  for (std::size_t c = min_start; c < header.size() && c < fields.size(); ++c) {
    double value = 0;
    if (!is_annotation_name(header[c]) && parse_double(fields[c], value)) return c;
  }
  return header.size();
}

class TableReader {
 public:
  TableReader(const std::string& path, CountFormat format) : path_(path), format_(format), reader_(path) {}

  CountTable read() {
    std::string_view line;
    std::vector<std::string> header;
    std::optional<Batch> batch;
    while (reader_.next(line)) {
      if (trim(line).empty() || line.front() == '#') continue;
      if (format_ == CountFormat::kHtseq && line.starts_with("__")) continue;
      if (header.empty() && format_ != CountFormat::kHtseq) {
        header = read_header(line);
        continue;
      }
      if (layout_.n_fields == 0) set_layout(header, line);
      if (!batch) batch.emplace();
      batch->lines.emplace_back(line);
      batch->line_numbers.push_back(reader_.line_number());
      if (batch->lines.size() == kBatchLines) {
        consume(*batch);
        batch.reset();
      }
    }
    if (batch) consume(*batch);
    if (layout_.n_fields == 0) throw InputError(path_, "", "the count table has no gene rows");
    return finish(header);
  }

 private:
  std::vector<std::string> read_header(std::string_view line) {
    layout_.delimiter = line.find('\t') == std::string_view::npos && line.find(',') != std::string_view::npos ? ',' : '\t';
    std::vector<std::string> header;
    for (auto field : split_fields(line, layout_.delimiter)) header.push_back(unquote(field));
    if (header.size() < 2) {
      throw InputError(path_, at_line(reader_.line_number()), "the header names no sample columns",
                       "the first line must be: gene_id<TAB>sample1<TAB>sample2...");
    }
    return header;
  }

  void set_layout(std::vector<std::string>& header, std::string_view first_row) {
    if (format_ == CountFormat::kHtseq) {
      header = {"gene_id", sample_id_from_path(path_, false)};
      layout_.first_count = 1;
    } else {
      const std::size_t min_start = format_ == CountFormat::kFeatureCounts ? std::min<std::size_t>(6, header.size()) : 1;
      layout_.first_count = find_first_count(header, first_row, layout_, min_start);
      if (layout_.first_count == header.size()) {
        throw InputError(path_, at_line(reader_.line_number()), "no numeric count column found",
                         "count columns must follow the gene id and annotation columns");
      }
    }
    layout_.n_fields = header.size();
    std::unordered_set<std::string> seen;
    for (std::size_t c = layout_.first_count; c < header.size(); ++c) {
      auto id = format_ == CountFormat::kFeatureCounts ? sample_id_from_path(header[c], true) : header[c];
      if (!seen.insert(id).second) throw InputError(path_, "header", "duplicated sample id '" + id + "'");
      layout_.sample_ids.push_back(std::move(id));
    }
  }

  void consume(Batch& batch) {
    parse_batch(batch, layout_);
    for (std::size_t i = 0; i < batch.lines.size(); ++i) {
      if (!batch.errors[i].empty()) throw InputError(path_, at_line(batch.line_numbers[i]), batch.errors[i]);
      if (!gene_index_.emplace(batch.ids[i], gene_ids_.size()).second) {
        throw InputError(path_, at_line(batch.line_numbers[i]), "duplicated gene id '" + batch.ids[i] + "'",
                         "gene ids must be unique; collapse or rename duplicates");
      }
      gene_ids_.push_back(std::move(batch.ids[i]));
      annotation_rows_.push_back(std::move(batch.annotation[i]));
    }
    blocks_.push_back(std::move(batch.cells));
  }

  CountTable finish(const std::vector<std::string>& header) {
    CountTable table;
    const std::size_t n_genes = gene_ids_.size(), n_samples = layout_.sample_ids.size();
    table.counts.values.resize(static_cast<Eigen::Index>(n_genes), static_cast<Eigen::Index>(n_samples));
    std::size_t row = 0;
    for (auto& block : blocks_) {
      const std::size_t rows = block.size() / n_samples;
      for (std::size_t r = 0; r < rows; ++r, ++row) {
        for (std::size_t s = 0; s < n_samples; ++s) {
          table.counts.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(s)) = block[r * n_samples + s];
        }
      }
      std::vector<double>().swap(block);
    }
    table.counts.gene_ids = std::move(gene_ids_);
    table.counts.sample_ids = layout_.sample_ids;
    table.sources.assign(n_samples, path_);
    for (std::size_t c = 1; c < layout_.first_count; ++c) {
      table.annotation_columns.push_back(header[c]);
      std::vector<std::string> column(n_genes);
      for (std::size_t g = 0; g < n_genes; ++g) column[g] = std::move(annotation_rows_[g][c - 1]);
      table.annotation.push_back(std::move(column));
    }
    read_lengths(table);
    return table;
  }

  void read_lengths(CountTable& table) const {
    for (std::size_t c = 0; c < table.annotation_columns.size(); ++c) {
      if (table.annotation_columns[c] != "Length" && table.annotation_columns[c] != "length") continue;
      table.lengths_bp.resize(table.annotation[c].size());
      for (std::size_t g = 0; g < table.lengths_bp.size(); ++g) {
        if (!parse_double(table.annotation[c][g], table.lengths_bp[g])) {
          throw InputError(path_, "gene '" + table.counts.gene_ids[g] + "'",
                           "Length is not a number: '" + table.annotation[c][g] + "'");
        }
      }
    }
  }

  std::string path_;
  CountFormat format_;
  LineReader reader_;
  Layout layout_;
  std::vector<std::string> gene_ids_;
  std::unordered_map<std::string, std::size_t> gene_index_;
  std::vector<std::vector<std::string>> annotation_rows_;
  std::vector<std::vector<double>> blocks_;
};

}  // namespace

CountFormat detect_count_format(const std::string& path) {
  LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    if (line.starts_with("# Program:")) return CountFormat::kFeatureCounts;
    if (trim(line).empty() || line.front() == '#') continue;
    const auto fields = split_fields(line, '\t');
    if (trim(fields[0]) == "Geneid") return CountFormat::kFeatureCounts;
    double value = 0;
    if (fields.size() == 2 && parse_double(fields[1], value)) return CountFormat::kHtseq;
    return CountFormat::kPlain;
  }
  throw InputError(path, "", "the count file is empty");
}

std::string sample_id_from_path(std::string_view path, bool alignment_only) {
  std::string name = std::filesystem::path(std::string(path)).filename().string();
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  for (const std::string_view ext : {".bam", ".cram", ".sam"}) {
    if (name.ends_with(ext)) return name.substr(0, name.size() - ext.size());
  }
  if (!alignment_only) {
    const auto dot = name.rfind('.');
    if (dot != std::string::npos && dot > 0) name.resize(dot);
  }
  return name;
}

CountTable read_count_table(const std::string& path) {
  if (!std::filesystem::exists(path)) throw InputError(path, "", "no such file", "check the -i/--input path");
  return TableReader(path, detect_count_format(path)).read();
}

CountTable merge_count_tables(std::vector<CountTable> tables) {
  if (tables.size() == 1) return std::move(tables.front());
  CountTable merged = std::move(tables.front());
  for (std::size_t t = 1; t < tables.size(); ++t) {
    const CountTable part = select_genes(tables[t], merged.counts.gene_ids, tables[t].sources.front());
    if (part.counts.gene_ids.size() != tables[t].counts.gene_ids.size()) {
      throw InputError(tables[t].sources.front(), "",
                       "holds " + std::to_string(tables[t].counts.gene_ids.size()) + " genes but the first table " +
                           std::to_string(merged.counts.gene_ids.size()),
                       "count every sample against the same annotation");
    }
    for (const auto& id : part.counts.sample_ids) {
      if (std::find(merged.counts.sample_ids.begin(), merged.counts.sample_ids.end(), id) != merged.counts.sample_ids.end()) {
        throw InputError(part.sources.front(), "", "sample id '" + id + "' also appears in " + merged.sources.front(),
                         "sample ids must be unique across inputs");
      }
    }
    auto& values = merged.counts.values;
    const Eigen::Index old_cols = values.cols();
    values.conservativeResize(Eigen::NoChange, old_cols + part.counts.values.cols());
    values.rightCols(part.counts.values.cols()) = part.counts.values;
    merged.counts.sample_ids.insert(merged.counts.sample_ids.end(), part.counts.sample_ids.begin(),
                                    part.counts.sample_ids.end());
    merged.sources.insert(merged.sources.end(), part.sources.begin(), part.sources.end());
    if (merged.lengths_bp.empty()) merged.lengths_bp = part.lengths_bp;
  }
  return merged;
}

CountTable select_genes(const CountTable& table, const std::vector<std::string>& gene_ids, const std::string& wanted_by) {
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t g = 0; g < table.counts.gene_ids.size(); ++g) index.emplace(table.counts.gene_ids[g], g);
  std::vector<std::size_t> rows;
  std::vector<std::string> missing;
  for (const auto& id : gene_ids) {
    const auto it = index.find(id);
    if (it == index.end()) {
      missing.push_back(id);
    } else {
      rows.push_back(it->second);
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 10); ++i) list += (i ? ", " : "") + missing[i];
    throw InputError(table.sources.empty() ? "counts" : table.sources.front(), "",
                     std::to_string(missing.size()) + " genes needed by " + wanted_by + " are absent: " + list +
                         (missing.size() > 10 ? ", ..." : ""),
                     "use counts made with the same annotation");
  }
  CountTable out;
  out.counts.sample_ids = table.counts.sample_ids;
  out.sources = table.sources;
  out.annotation_columns = table.annotation_columns;
  out.counts.values.resize(static_cast<Eigen::Index>(rows.size()), table.counts.values.cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.counts.values.row(static_cast<Eigen::Index>(r)) = table.counts.values.row(static_cast<Eigen::Index>(rows[r]));
    out.counts.gene_ids.push_back(table.counts.gene_ids[rows[r]]);
    if (!table.lengths_bp.empty()) out.lengths_bp.push_back(table.lengths_bp[rows[r]]);
  }
  for (const auto& column : table.annotation) {
    std::vector<std::string> picked;
    for (const auto r : rows) picked.push_back(column[r]);
    out.annotation.push_back(std::move(picked));
  }
  return out;
}

}  // namespace ifnsig
