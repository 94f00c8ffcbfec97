#include "annotation_parsers.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Looks up `key` in a GTF (`key "value";`) or GFF3 (`key=value;`) attribute column.
std::optional<std::string_view> attribute(std::string_view attributes, std::string_view key) {
  std::size_t position = 0;
  while (position < attributes.size()) {
    std::size_t end = attributes.find(';', position);
    if (end == std::string_view::npos) end = attributes.size();
    std::string_view item = trim(attributes.substr(position, end - position));
    position = end + 1;
    std::size_t split = item.find_first_of(" =");
    if (split == std::string_view::npos) continue;
    if (item.substr(0, split) != key) continue;
    std::string_view value = trim(item.substr(split + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return std::nullopt;
}

// A GFF3 comma list "a,b" in Parent: the first parent is enough to reach the gene.
std::string_view first_of_list(std::string_view value) { return value.substr(0, value.find(',')); }

Strand parse_strand(std::string_view text, const LineReader& reader) {
  if (text == "+") return Strand::kForward;
  if (text == "-") return Strand::kReverse;
  if (text == "." || text == "*" || text == "0" || text == "?") return Strand::kUnknown;
  throw InputError(reader.path(), at_line(reader.line_number()), "strand is " + quote_field(text),
                   "use '+', '-' or '.'");
}

std::pair<std::int64_t, std::int64_t> parse_span(std::string_view start_text, std::string_view end_text,
                                                 const LineReader& reader) {
  std::int64_t start = 0;
  std::int64_t end = 0;
  if (!parse_int64(start_text, start) || !parse_int64(end_text, end) || start < 1) {
    throw InputError(reader.path(), at_line(reader.line_number()),
                     "start/end are not positive integers: " + quote_field(start_text) + ", " + quote_field(end_text));
  }
  if (end < start) {
    throw InputError(reader.path(), at_line(reader.line_number()),
                     "end (" + std::to_string(end) + ") is before start (" + std::to_string(start) + ")",
                     "coordinates are 1-based and inclusive; fix or remove the line");
  }
  return {start, end};
}

// Interns contig and gene names; consecutive lines usually repeat both, so the last of each is cached. A new
// gene id must be valid UTF-8 (it is written to JSON outputs).
class ModelBuilder {
 public:
  ModelBuilder(GeneModel& model, const std::string& path) : model_(model), path_(path) {}

  std::uint32_t contig(std::string_view name) {
    if (name != last_contig_name_) {
      last_contig_name_.assign(name);
      const auto [it, inserted] = contigs_.try_emplace(last_contig_name_, 0);
      if (inserted) it->second = model_.add_contig(it->first);
      last_contig_ = it->second;
    }
    return last_contig_;
  }

  // `labels` computes (gene_name, gene_type) and is called only for a gene seen for the first time, on `line`.
  template <typename Labels>
  std::uint32_t gene(std::string_view id, std::uint64_t line, Labels&& labels) {
    if (id != last_gene_name_) {
      last_gene_name_.assign(id);
      const auto [it, inserted] = genes_.try_emplace(last_gene_name_, 0);
      if (inserted) {
        if (auto problem = utf8_problem("gene id", id); !problem.empty()) {
          throw InputError(path_, at_line(line), problem, kUtf8Hint);
        }
        auto [name, type] = labels();
        it->second = model_.add_gene(it->first, std::move(name), std::move(type));
      }
      last_gene_ = it->second;
    }
    return last_gene_;
  }

 private:
  GeneModel& model_;
  const std::string& path_;
  std::unordered_map<std::string, std::uint32_t> contigs_;
  std::unordered_map<std::string, std::uint32_t> genes_;
  std::string last_contig_name_;
  std::string last_gene_name_;
  std::uint32_t last_contig_ = 0;
  std::uint32_t last_gene_ = 0;
};

// GFF3 features seen so far, for walking Parent chains.
struct Gff3Node {
  std::string parent;
  std::string gene_id;
  std::string name;
  std::string type;
};

struct PendingExon {
  Exon exon;
  std::vector<std::string> extra;
  std::string parent;
  std::uint64_t line = 0;
};

// The values of the --extraAttributes on one line, "NA" for the missing ones (as featureCounts prints them).
std::vector<std::string> extra_values(std::string_view attributes, const std::vector<std::string>& names) {
  std::vector<std::string> values;
  values.reserve(names.size());
  for (const auto& name : names) {
    const auto value = attribute(attributes, name);
    values.emplace_back(value ? *value : std::string_view("NA"));
  }
  return values;
}

std::string biotype_of(std::string_view attributes) {
  for (const char* key : {"gene_type", "gene_biotype", "biotype"}) {
    if (auto value = attribute(attributes, key)) return std::string(*value);
  }
  return {};
}

std::string name_of(std::string_view attributes) {
  if (auto value = attribute(attributes, "gene_name")) return std::string(*value);
  if (auto value = attribute(attributes, "Name")) return std::string(*value);
  return {};
}

}  // namespace

AnnotationFormat detect_annotation_format(const std::string& path) {
  std::string_view name = path;
  if (ends_with(name, ".gz")) name.remove_suffix(3);
  if (ends_with(name, ".saf") || ends_with(name, ".SAF")) return AnnotationFormat::kSaf;
  if (ends_with(name, ".gff3") || ends_with(name, ".gff")) return AnnotationFormat::kGff3;
  if (ends_with(name, ".gtf")) return AnnotationFormat::kGtf;
  // A pipe (`-a <(zcat genes.gtf.gz)`) can be read only once, by the parser: it is taken for GTF, as
  // featureCounts takes every annotation unless -F says otherwise.
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return AnnotationFormat::kGtf;
  LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto fields = split_fields(line, '\t');
    if (fields.size() == 5 || fields[0] == "GeneID") return AnnotationFormat::kSaf;
    if (fields.size() == 9 && fields[8].find('=') != std::string_view::npos &&
        fields[8].find('"') == std::string_view::npos) {
      return AnnotationFormat::kGff3;
    }
    return AnnotationFormat::kGtf;
  }
  return AnnotationFormat::kGtf;
}

namespace {

void parse_saf(LineReader& reader, GeneModel& model) {
  const std::string& path = reader.path();
  ModelBuilder builder(model, path);
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    split_fields(line, '\t', fields);
    if (fields[0] == "GeneID") continue;
    if (fields.size() < 5) {
      throw InputError(path, at_line(reader.line_number()),
                       "expected 5 tab-separated SAF columns, found " + std::to_string(fields.size()),
                       "SAF columns are: GeneID Chr Start End Strand");
    }
    const auto [start, end] = parse_span(fields[2], fields[3], reader);
    Exon exon;
    exon.contig = builder.contig(fields[1]);
    exon.gene = builder.gene(fields[0], reader.line_number(), [] { return std::pair<std::string, std::string>(); });
    exon.start = start;
    exon.end = end;
    exon.strand = parse_strand(fields[4], reader);
    model.add_exon(exon);
  }
}

void parse_gtf_or_gff3(LineReader& reader, AnnotationFormat format, const AnnotationOptions& options,
                       GeneModel& model) {
  const std::string& path = reader.path();
  ModelBuilder builder(model, path);
  std::unordered_map<std::string, Gff3Node> gff3_nodes;
  std::vector<PendingExon> pending;  // GFF3 exons whose gene is found through Parent
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') {
      if (line.starts_with("##FASTA")) break;
      continue;
    }
    split_fields(line, '\t', fields);
    if (fields.size() != 9) {
      throw InputError(path, at_line(reader.line_number()),
                       "expected 9 tab-separated columns, found " + std::to_string(fields.size()),
                       "GTF/GFF3 lines have 9 columns; use -F SAF for SAF files");
    }
    const std::string_view attributes = fields[8];
    if (format == AnnotationFormat::kGff3) {
      if (auto id = attribute(attributes, "ID")) {
        auto parent = attribute(attributes, "Parent");
        auto gene_id = attribute(attributes, options.gene_attribute);
        gff3_nodes[std::string(*id)] = Gff3Node{std::string(parent ? first_of_list(*parent) : ""),
                                               std::string(gene_id ? *gene_id : *id), name_of(attributes),
                                               biotype_of(attributes)};
      }
    }
    if (std::find(options.feature_types.begin(), options.feature_types.end(), fields[2]) ==
        options.feature_types.end()) {
      continue;
    }
    const auto [start, end] = parse_span(fields[3], fields[4], reader);
    Exon exon;
    exon.contig = builder.contig(fields[0]);
    exon.start = start;
    exon.end = end;
    exon.strand = parse_strand(fields[6], reader);
    if (auto gene_id = attribute(attributes, options.gene_attribute)) {
      exon.gene = builder.gene(*gene_id, reader.line_number(),
                               [&] { return std::pair(name_of(attributes), biotype_of(attributes)); });
      model.add_exon(exon, extra_values(attributes, options.extra_attributes));
    } else if (auto parent = attribute(attributes, "Parent"); parent && format == AnnotationFormat::kGff3) {
      pending.push_back(PendingExon{exon, extra_values(attributes, options.extra_attributes),
                                    std::string(first_of_list(*parent)), reader.line_number()});
    } else {
      throw InputError(path, at_line(reader.line_number()),
                       "the " + quote_field(fields[2]) + " feature has no " + quote_field(options.gene_attribute) + " attribute",
                       "choose the grouping attribute with -g (e.g. -g gene_name), or fix the attribute column");
    }
  }
  for (auto& item : pending) {
    // Walk up to the root of the Parent chain (the gene); bounded to catch cycles.
    const Gff3Node* node = nullptr;
    std::string id = item.parent;
    for (int depth = 0; depth < 16; ++depth) {
      const auto it = gff3_nodes.find(id);
      if (it == gff3_nodes.end()) break;
      node = &it->second;
      if (node->parent.empty()) break;
      id = node->parent;
    }
    if (node == nullptr) {
      throw InputError(path, at_line(item.line), "Parent " + quote_field(item.parent) + " is not defined in the file",
                       "GFF3 features must name an existing ID as Parent; or group with -g");
    }
    item.exon.gene = builder.gene(node->gene_id, item.line, [&] { return std::pair(node->name, node->type); });
    model.add_exon(item.exon, std::move(item.extra));
  }
}

}  // namespace

void read_saf(const std::string& path, GeneModel& model) {
  LineReader reader(path);
  parse_checked(path, reader.source(), [&] { parse_saf(reader, model); });
}

void read_gtf_or_gff3(const std::string& path, AnnotationFormat format, const AnnotationOptions& options,
                      GeneModel& model) {
  LineReader reader(path);
  parse_checked(path, reader.source(), [&] { parse_gtf_or_gff3(reader, format, options, model); });
}

}  // namespace ifnsig
