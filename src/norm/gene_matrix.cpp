#include "ifnsig/norm/gene_matrix.hpp"

#include <unordered_set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig {
namespace {

char guess_delimiter(std::string_view header) {
  return header.find('\t') == std::string_view::npos && header.find(',') != std::string_view::npos ? ',' : '\t';
}

std::string unquote(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return std::string(field);
}

}  // namespace

GeneMatrix GeneMatrix::read_plain(const std::string& path) {
  GeneMatrix matrix;
  LineReader reader(path);
  std::string_view line;
  std::vector<std::string_view> fields;
  char delimiter = '\t';
  std::vector<double> cells;
  std::unordered_set<std::string> seen;
  while (reader.next(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    if (matrix.sample_ids.empty()) {
      delimiter = guess_delimiter(line);
      split_fields(line, delimiter, fields);
      if (fields.size() < 2) {
        throw InputError(path, at_line(reader.line_number()), "the header names no sample columns",
                         "the first line must be: gene_id<TAB>sample1<TAB>sample2...");
      }
      for (std::size_t i = 1; i < fields.size(); ++i) {
        auto id = unquote(fields[i]);
        if (!seen.insert(id).second) {
          throw InputError(path, at_line(reader.line_number()), "duplicated sample id '" + id + "'");
        }
        matrix.sample_ids.push_back(std::move(id));
      }
      seen.clear();
      continue;
    }
    split_fields(line, delimiter, fields);
    if (fields.size() != matrix.sample_ids.size() + 1) {
      throw InputError(path, at_line(reader.line_number()),
                       "expected " + std::to_string(matrix.sample_ids.size() + 1) + " fields, found " +
                           std::to_string(fields.size()));
    }
    auto gene = unquote(fields[0]);
    if (!seen.insert(gene).second) {
      throw InputError(path, at_line(reader.line_number()), "duplicated gene id '" + gene + "'",
                       "gene ids must be unique; collapse or rename duplicates");
    }
    for (std::size_t i = 1; i < fields.size(); ++i) {
      double value = 0;
      if (!parse_double(fields[i], value)) {
        throw InputError(path, at_line(reader.line_number()),
                         "not a number in column '" + matrix.sample_ids[i - 1] + "': '" + std::string(fields[i]) + "'");
      }
      cells.push_back(value);
    }
    matrix.gene_ids.push_back(std::move(gene));
  }
  if (matrix.sample_ids.empty()) throw InputError(path, "", "the matrix file is empty");
  const auto n_genes = static_cast<Eigen::Index>(matrix.gene_ids.size());
  const auto n_samples = static_cast<Eigen::Index>(matrix.sample_ids.size());
  // cells are row-major (one gene per line); store column-major.
  matrix.values = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      cells.data(), n_genes, n_samples);
  return matrix;
}

void GeneMatrix::write_tsv(std::ostream& out) const {
  out << "gene_id";
  for (const auto& sample : sample_ids) out << '\t' << sample;
  out << '\n';
  for (Eigen::Index g = 0; g < values.rows(); ++g) {
    out << gene_ids[static_cast<std::size_t>(g)];
    for (Eigen::Index s = 0; s < values.cols(); ++s) out << '\t' << format_double(values(g, s));
    out << '\n';
  }
}

}  // namespace ifnsig
