#include "ifnsig/run/count_merge.hpp"

#include <tbb/parallel_for.h>

#include <exception>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::run {
namespace {

constexpr std::size_t kAnnotationFields = 5;  // Chr Start End Strand Length, after Geneid
const std::vector<std::string> kAnnotationNames{"Chr", "Start", "End", "Strand", "Length"};

// Reads one sample's featureCounts table (comment line and header skipped) into `column` of `table`; the
// first table also fills the gene ids and annotation, later ones must list the same genes and write only
// their column (so that they can be read at the same time).
void read_sample_table(const std::filesystem::path& path, std::size_t column, matrix::CountTable& table) {
  io::LineReader reader(path.string());
  std::string_view line;
  std::vector<std::string_view> fields;
  bool header_seen = false;
  std::size_t gene = 0;
  const bool first = column == 0;
  const auto other_genes = [&](const std::string& where) {
    return InputError(path.string(), where, "lists other genes than the first sample's table",
                      "the samples were counted against different annotations; delete OUTDIR/samples and rerun");
  };
  std::vector<double> counts;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    io::split_fields(line, '\t', fields);
    if (fields.size() != kAnnotationFields + 2) {
      throw InputError(path.string(), at_line(reader.line_number()), "expected a one-sample featureCounts table",
                       "delete the file; ifnsig run counts the sample again");
    }
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    if (first) {
      table.counts.gene_ids.emplace_back(fields[0]);
      for (std::size_t f = 0; f < kAnnotationFields; ++f) table.annotation[f].emplace_back(fields[1 + f]);
    } else if (gene >= table.counts.gene_ids.size() || table.counts.gene_ids[gene] != fields[0]) {
      throw other_genes(at_line(reader.line_number()));
    }
    double value = 0;
    if (!io::parse_double(fields.back(), value)) {
      throw InputError(path.string(), at_line(reader.line_number()), "not a count: " + quote_field(fields.back()),
                       "delete the file; ifnsig run counts the sample again");
    }
    counts.push_back(value);
    ++gene;
  }
  if (!first && gene != table.counts.gene_ids.size()) throw other_genes("");
  if (first) table.counts.values.resize(static_cast<Eigen::Index>(counts.size()), table.counts.values.cols());
  table.counts.values.col(static_cast<Eigen::Index>(column)) =
      Eigen::Map<const Eigen::VectorXd>(counts.data(), static_cast<Eigen::Index>(counts.size()));
}

}  // namespace

matrix::CountTable merge_sample_counts(const std::vector<std::filesystem::path>& sample_tables,
                               const std::vector<std::string>& sample_ids) {
  matrix::CountTable table;
  table.annotation_columns = kAnnotationNames;
  table.annotation.resize(kAnnotationFields);
  table.counts.sample_ids = sample_ids;
  table.counts.values.resize(0, static_cast<Eigen::Index>(sample_tables.size()));
  for (const auto& path : sample_tables) table.sources.push_back(path.string());
  if (sample_tables.empty()) return table;
  // The first table gives the genes; the others fill their own columns, on the cores of the caller's
  // ThreadScope. A cohort's tables are read once each, in parallel; a problem is reported for the first
  // table in sheet order that has one, as when they are read one after another.
  read_sample_table(sample_tables.front(), 0, table);
  std::vector<std::exception_ptr> problems(sample_tables.size());
  tbb::parallel_for(std::size_t{1}, sample_tables.size(), [&](std::size_t i) {
    try {
      read_sample_table(sample_tables[i], i, table);
    } catch (const Error&) {
      problems[i] = std::current_exception();
    }
  });
  for (const auto& problem : problems) {
    if (problem) std::rethrow_exception(problem);
  }
  const auto& lengths = table.annotation.back();
  table.lengths_bp.resize(lengths.size());
  for (std::size_t g = 0; g < lengths.size(); ++g) {
    if (!io::parse_double(lengths[g], table.lengths_bp[g])) {
      throw InputError(sample_tables.front().string(), "", "Length is not a number: " + quote_field(lengths[g]),
                       "delete the file; ifnsig run counts the sample again");
    }
  }
  return table;
}

void write_merged_counts(const matrix::CountTable& counts, const std::filesystem::path& out) {
  AtomicFile file(out);
  std::ostream& stream = file.stream();
  stream << "# Program:ifnsig v" << ifnsig_version() << "; Command:\"ifnsig\" \"run\"\n";
  stream << "Geneid";
  for (const auto& name : counts.annotation_columns) stream << '\t' << name;
  for (const auto& id : counts.counts.sample_ids) stream << '\t' << id;
  stream << '\n';
  const auto& m = counts.counts;
  for (std::size_t g = 0; g < m.gene_ids.size(); ++g) {
    stream << m.gene_ids[g];
    for (const auto& column : counts.annotation) stream << '\t' << column[g];
    for (Eigen::Index s = 0; s < m.values.cols(); ++s)
      stream << '\t' << io::format_double(m.values(static_cast<Eigen::Index>(g), s));
    stream << '\n';
  }
  file.commit();
}

void write_merged_summary(const std::vector<std::filesystem::path>& sample_summaries,
                          const std::vector<std::string>& sample_ids, const std::filesystem::path& out) {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;  // [status][sample]
  for (std::size_t i = 0; i < sample_summaries.size(); ++i) {
    io::LineReader reader(sample_summaries[i].string());
    std::string_view line;
    std::size_t row = 0;
    reader.next(line);  // the Status header
    while (reader.next(line)) {
      const auto fields = io::split_fields(line, '\t');
      if (fields.size() != 2) throw InputError(sample_summaries[i].string(), at_line(reader.line_number()), "expected 2 fields");
      if (i == 0) {
        names.emplace_back(fields[0]);
        values.emplace_back();
      } else if (row >= names.size() || names[row] != fields[0]) {
        throw InputError(sample_summaries[i].string(), at_line(reader.line_number()), "unexpected category " + quote_field(fields[0]));
      }
      values[row++].emplace_back(fields[1]);
    }
  }
  AtomicFile file(out);
  file.stream() << "Status";
  for (const auto& id : sample_ids) file.stream() << '\t' << id;
  file.stream() << '\n';
  for (std::size_t s = 0; s < names.size(); ++s) {
    file.stream() << names[s];
    for (const auto& value : values[s]) file.stream() << '\t' << value;
    file.stream() << '\n';
  }
  file.commit();
}

}  // namespace ifnsig::run
