#include "ifnsig/run/count_merge.hpp"

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::run {
namespace {

constexpr std::size_t kAnnotationFields = 6;  // Geneid Chr Start End Strand Length

// The data lines of a one-sample featureCounts table: the comment line and header skipped.
struct SampleColumn {
  std::vector<std::string> gene_ids;
  std::vector<std::string> annotation;  // first six fields joined, only kept for the first table
  std::vector<std::string> counts;
};

SampleColumn read_column(const std::filesystem::path& path, bool keep_annotation) {
  SampleColumn column;
  LineReader reader(path.string());
  std::string_view line;
  std::vector<std::string_view> fields;
  bool header_seen = false;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    split_fields(line, '\t', fields);
    if (fields.size() != kAnnotationFields + 1) {
      throw InputError(path.string(), at_line(reader.line_number()), "expected a one-sample featureCounts table",
                       "delete the file; ifnsig run counts the sample again");
    }
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    column.gene_ids.emplace_back(fields[0]);
    if (keep_annotation) column.annotation.emplace_back(line.substr(0, static_cast<std::size_t>(fields[6].data() - line.data() - 1)));
    column.counts.emplace_back(fields[6]);
  }
  return column;
}

}  // namespace

void write_merged_counts(const std::vector<std::filesystem::path>& sample_tables,
                         const std::vector<std::string>& sample_ids, const std::filesystem::path& out) {
  std::vector<SampleColumn> columns;
  for (std::size_t i = 0; i < sample_tables.size(); ++i) {
    columns.push_back(read_column(sample_tables[i], i == 0));
    if (i > 0 && columns[i].gene_ids != columns[0].gene_ids) {
      throw InputError(sample_tables[i].string(), "", "lists other genes than " + sample_tables[0].string(),
                       "the samples were counted against different annotations; delete OUTDIR/samples and rerun");
    }
    if (i > 0) std::vector<std::string>().swap(columns[i].gene_ids);
  }
  AtomicFile file(out);
  std::ostream& stream = file.stream();
  stream << "# Program:ifnsig v" << ifnsig_version() << "; Command:\"ifnsig\" \"run\"\n";
  stream << "Geneid\tChr\tStart\tEnd\tStrand\tLength";
  for (const auto& id : sample_ids) stream << '\t' << id;
  stream << '\n';
  const std::size_t n_genes = columns.empty() ? 0 : columns[0].counts.size();
  for (std::size_t g = 0; g < n_genes; ++g) {
    stream << columns[0].annotation[g];
    for (const auto& column : columns) stream << '\t' << column.counts[g];
    stream << '\n';
  }
  file.commit();
}

void write_merged_summary(const std::vector<std::filesystem::path>& sample_summaries,
                          const std::vector<std::string>& sample_ids, const std::filesystem::path& out) {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;  // [status][sample]
  for (std::size_t i = 0; i < sample_summaries.size(); ++i) {
    LineReader reader(sample_summaries[i].string());
    std::string_view line;
    std::size_t row = 0;
    reader.next(line);  // the Status header
    while (reader.next(line)) {
      const auto fields = split_fields(line, '\t');
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
