#include "ifnsig/matrix/count_table.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/delimited_table.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::matrix {
namespace {

constexpr std::array<std::string_view, 9> kAnnotationNames = {
    "Chr", "Start", "End", "Strand", "Length", "length", "gene_name", "gene_type", "gene_biotype"};

bool is_annotation_name(std::string_view name) {
  return std::find(kAnnotationNames.begin(), kAnnotationNames.end(), name) != kAnnotationNames.end();
}

// The first column after `min_start` that is not an annotation name and holds a number in the first row.
std::size_t find_first_count(const std::vector<std::string>& header, std::string_view first_row, char delimiter,
                             std::size_t min_start) {
  const auto fields = io::split_fields(first_row, delimiter);
  for (std::size_t c = min_start; c < header.size() && c < fields.size(); ++c) {
    double value = 0;
    if (!is_annotation_name(header[c]) && io::parse_double(fields[c], value)) return c;
  }
  return header.size();
}

class TableReader {
 public:
  TableReader(const std::string& path, CountFormat format)
      : path_(path), format_(format), reader_(path, format == CountFormat::kHtseq ? "__" : "") {}

  CountTable read() {
    return io::parse_checked(path_, reader_.source(), [&] { return parse(); });
  }

 private:
  CountTable parse() {
    std::vector<std::string> header;
    std::string header_where = "file name";  // htseq-count files have no header: the sample id is the file's
    char delimiter = '\t';
    if (format_ != CountFormat::kHtseq) {
      const auto line = reader_.next_line();
      if (!line) throw InputError(path_, "", "the count table has no gene rows");
      delimiter = io::guess_delimiter(line->text);
      header = read_header(*line, delimiter);
      header_where = at_line(line->number);
    }
    const auto first_row = reader_.peek_line();
    if (!first_row) throw InputError(path_, "", "the count table has no gene rows");
    const io::TableColumns columns = count_columns(header, *first_row, delimiter, header_where);
    CountTable table = finish(header, columns, reader_.read_body(columns));
    reject_mostly_numeric_annotation(table, first_row->number);
    return table;
  }

  std::vector<std::string> read_header(const io::DelimitedTableReader::Line& line, char delimiter) const {
    std::vector<std::string> header;
    for (auto field : io::split_fields(line.text, delimiter)) header.push_back(io::unquote(field));
    if (header.size() < 2) {
      throw InputError(path_, at_line(line.number), "the header names no sample columns",
                       "the first line must be: gene_id<TAB>sample1<TAB>sample2...");
    }
    return header;
  }

  // Where the counts start (after the annotation columns), and the sample ids; htseq files get a header.
  io::TableColumns count_columns(std::vector<std::string>& header, const io::DelimitedTableReader::Line& first_row,
                             char delimiter, const std::string& header_where) const {
    io::TableColumns columns;
    columns.delimiter = delimiter;
    columns.rule = io::NumberRule::kFiniteCount;
    if (format_ == CountFormat::kHtseq) {
      header = {"gene_id", sample_id_from_path(path_, false)};
    } else {
      const std::size_t min_start = format_ == CountFormat::kFeatureCounts ? std::min<std::size_t>(6, header.size()) : 1;
      columns.first_number = find_first_count(header, first_row.text, delimiter, min_start);
      if (columns.first_number == header.size()) {
        throw InputError(path_, at_line(first_row.number), "no numeric count column found",
                         "count columns must follow the gene id and annotation columns");
      }
    }
    std::unordered_set<std::string> seen;
    for (std::size_t c = columns.first_number; c < header.size(); ++c) {
      auto id = format_ == CountFormat::kFeatureCounts ? sample_id_from_path(header[c], true) : header[c];
      if (auto problem = io::sample_id_problem(id); !problem.empty()) {
        throw InputError(path_, header_where, problem, io::kSampleIdHint);
      }
      if (!seen.insert(id).second) throw InputError(path_, header_where, "duplicated sample id " + quote_field(id));
      columns.number_names.push_back(std::move(id));
    }
    return columns;
  }

  CountTable finish(const std::vector<std::string>& header, const io::TableColumns& columns, io::TableBody body) const {
    CountTable table;
    const std::size_t n_genes = body.ids.size(), n_samples = columns.number_names.size();
    table.counts.values.resize(static_cast<Eigen::Index>(n_genes), static_cast<Eigen::Index>(n_samples));
    io::move_numbers_column_major(body, table.counts.values.data());
    table.counts.gene_ids = std::move(body.ids);
    table.counts.sample_ids = columns.number_names;
    table.sources.assign(n_samples, path_);
    table.annotation_columns.assign(header.begin() + 1, header.begin() + static_cast<std::ptrdiff_t>(columns.first_number));
    table.annotation = std::move(body.text);
    read_lengths(table);
    return table;
  }

  // Columns before the first number of the first gene row are taken as annotation. A sample column whose
  // first value is not a number (e.g. "1.5x") would be taken so too and silently dropped: a column of
  // another name than the known annotation ones that holds numbers on most rows is such a sample.
  void reject_mostly_numeric_annotation(const CountTable& table, std::size_t first_line) const {
    for (std::size_t c = 0; c < table.annotation_columns.size(); ++c) {
      if (is_annotation_name(table.annotation_columns[c])) continue;
      const auto& cells = table.annotation[c];
      const auto numeric = std::count_if(cells.begin(), cells.end(), [](const std::string& cell) {
        double value = 0;
        return io::parse_double(cell, value);
      });
      if (2 * static_cast<std::size_t>(numeric) <= cells.size()) continue;
      throw InputError(path_, at_line(first_line),
                       "column " + quote_field(table.annotation_columns[c]) + " holds numbers on " + std::to_string(numeric) +
                           " of " + std::to_string(cells.size()) + " gene rows but " + quote_field(cells.front()) +
                           " on this line, the first gene row, so it is neither counts nor gene annotation",
                       "make this value a number (every count must be one)");
    }
  }

  void read_lengths(CountTable& table) const {
    for (std::size_t c = 0; c < table.annotation_columns.size(); ++c) {
      if (table.annotation_columns[c] != "Length" && table.annotation_columns[c] != "length") continue;
      table.lengths_bp.resize(table.annotation[c].size());
      for (std::size_t g = 0; g < table.lengths_bp.size(); ++g) {
        if (!io::parse_double(table.annotation[c][g], table.lengths_bp[g])) {
          throw InputError(path_, "gene " + quote_field(table.counts.gene_ids[g]),
                           "Length is not a number: " + quote_field(table.annotation[c][g]));
        }
      }
    }
  }

  std::string path_;
  CountFormat format_;
  io::DelimitedTableReader reader_;
};

}  // namespace

CountFormat detect_count_format(const std::string& path) {
  io::LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    if (line.starts_with("# Program:")) return CountFormat::kFeatureCounts;
    if (io::trim(line).empty() || line.front() == '#') continue;
    const auto fields = io::split_fields(line, '\t');
    if (io::trim(fields[0]) == "Geneid") return CountFormat::kFeatureCounts;
    double value = 0;
    if (fields.size() == 2 && io::parse_double(fields[1], value)) return CountFormat::kHtseq;
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
        throw InputError(part.sources.front(), "", "sample id " + quote_field(id) + " also appears in " + merged.sources.front(),
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

}  // namespace ifnsig::matrix
