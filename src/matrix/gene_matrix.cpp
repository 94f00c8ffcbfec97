#include "ifnsig/matrix/gene_matrix.hpp"

#include <unordered_set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/delimited_table.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::matrix {
namespace {

// Text columns of nf-core/rnaseq's merged matrices (salmon: gene_name; RSEM: transcript_id(s)) and of
// annotated exports; a column of another name after the gene id is a sample.
bool is_text_annotation(std::string_view name) {
  return name == "gene_name" || name == "gene_type" || name == "gene_biotype" || name == "transcript_id(s)" ||
         name == "transcript_id";
}

GeneMatrix parse_plain(const std::string& path, io::DelimitedTableReader& reader,
                       std::vector<std::string>* gene_names) {
  GeneMatrix matrix;
  const auto header = reader.next_line();
  if (!header) throw InputError(path, "", "the matrix file is empty");
  io::TableColumns columns;
  columns.delimiter = io::guess_delimiter(header->text);
  columns.rule = io::NumberRule::kAnyNumber;
  columns.repeated_id_reported_first = true;
  const auto fields = io::split_fields(header->text, columns.delimiter);
  if (fields.size() < 2) {
    throw InputError(path, at_line(header->number), "the header names no sample columns",
                     "the first line must be: gene_id<TAB>sample1<TAB>sample2...");
  }
  std::size_t first = 1;
  while (first + 1 < fields.size() && is_text_annotation(io::unquote(fields[first]))) ++first;
  columns.first_number = first;
  std::unordered_set<std::string> seen;
  for (std::size_t i = first; i < fields.size(); ++i) {
    auto id = io::unquote(fields[i]);
    if (auto problem = io::sample_id_problem(id); !problem.empty()) {
      throw InputError(path, at_line(header->number), problem, io::kSampleIdHint);
    }
    if (!seen.insert(id).second) throw InputError(path, at_line(header->number), "duplicated sample id " + quote_field(id));
    columns.number_names.push_back(std::move(id));
  }
  io::TableBody body = reader.read_body(columns);
  matrix.values.resize(static_cast<Eigen::Index>(body.ids.size()), static_cast<Eigen::Index>(columns.number_names.size()));
  io::move_numbers_column_major(body, matrix.values.data());
  matrix.gene_ids = std::move(body.ids);
  matrix.sample_ids = std::move(columns.number_names);
  if (gene_names != nullptr) {
    gene_names->clear();
    for (std::size_t c = 1; c < first; ++c) {
      if (io::unquote(fields[c]) == "gene_name") *gene_names = std::move(body.text[c - 1]);
    }
  }
  return matrix;
}

}  // namespace

GeneMatrix GeneMatrix::read_plain(const std::string& path, std::vector<std::string>* gene_names) {
  io::DelimitedTableReader reader(path);
  return io::parse_checked(path, reader.source(), [&] { return parse_plain(path, reader, gene_names); });
}

void GeneMatrix::write_tsv(std::ostream& out) const {
  out << "gene_id";
  for (const auto& sample : sample_ids) out << '\t' << sample;
  out << '\n';
  for (Eigen::Index g = 0; g < values.rows(); ++g) {
    out << gene_ids[static_cast<std::size_t>(g)];
    for (Eigen::Index s = 0; s < values.cols(); ++s) out << '\t' << io::format_double(values(g, s));
    out << '\n';
  }
}

}  // namespace ifnsig::matrix
