#include "annotation_parsers.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::annotation {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// An attribute column as featureCounts 2.0.3 reads it: items `key value` or `key=value`, separated by ';'.
// A key is letters, digits and '_'; spaces and '=' separate it from its value; a quoted value runs to the
// closing quote (it may hold ';' and spaces; spaces at its ends are dropped) and only spaces may follow it
// before the ';'; a bare value runs to the ';' (trailing spaces dropped). featureCounts finds no attribute at
// all in a column that breaks these rules, so a counted line with one fails there too. ifnsig refuses one more
// column that featureCounts reads: a bare value with a space after a key separated by a space (`gene_id A
// transcript_id B`, a ';' missing), which featureCounts takes for the gene "A transcript_id B".
//
// Calls on_attribute(key, value) for each item in order; returns the problem ("" when the column is well
// formed), after the items before it.
template <typename OnAttribute>
std::string scan_attributes(std::string_view column, OnAttribute&& on_attribute) {
  const auto is_key_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::size_t p = 0;
  const auto skip_spaces = [&] {
    while (p < column.size() && column[p] == ' ') ++p;
  };
  while (true) {
    skip_spaces();
    if (p == column.size()) return {};
    const std::size_t key_start = p;
    while (p < column.size() && is_key_char(column[p])) ++p;
    const std::string_view key = column.substr(key_start, p - key_start);
    if (key.empty()) {
      return column[p] == ';' ? "an empty item (';' with no attribute before it)"
                              : "an item starts with " + quote_field(column.substr(p, 1)) + ", not with an attribute name";
    }
    if (p < column.size() && column[p] != ' ' && column[p] != '=' && column[p] != '"') {
      return column[p] == ';' ? "attribute " + quote_field(key) + " has no value"
                              : "attribute name " + quote_field(column.substr(key_start, p - key_start + 1)) +
                                    " has a character other than letters, digits and '_'";
    }
    bool equals = false;
    while (p < column.size() && (column[p] == ' ' || column[p] == '=')) equals |= column[p++] == '=';
    if (p == column.size() || column[p] == ';') return "attribute " + quote_field(key) + " has no value";
    std::string_view value;
    if (column[p] == '"') {
      const std::size_t close = column.find('"', p + 1);
      if (close == std::string_view::npos) {
        return "the value of " + quote_field(key) + " has no closing quote";
      }
      value = io::trim(column.substr(p + 1, close - p - 1));
      p = close + 1;
      skip_spaces();
      if (p < column.size() && column[p] != ';') {
        return "the quoted value of " + quote_field(key) + ", " + quote_field(value) + ", is followed by " +
               quote_field(column.substr(p, std::min<std::size_t>(12, column.size() - p))) +
               ", not by ';' (is a quote or a ';' missing?)";
      }
    } else {
      const std::size_t end = std::min(column.find(';', p), column.size());
      value = io::trim(column.substr(p, end - p));
      if (!equals && value.find(' ') != std::string_view::npos) {
        return "the value of " + quote_field(key) + " is " + quote_field(value) +
               ", unquoted and with spaces (is a ';' missing?)";
      }
      p = end;
    }
    on_attribute(key, value);
    if (p < column.size()) ++p;  // the ';'
  }
}

// The value of `key` in a well-formed column (scan_attributes found no problem): its last occurrence, as
// featureCounts takes it; none when that value is empty.
std::optional<std::string_view> attribute(std::string_view attributes, std::string_view key) {
  std::string_view found;
  scan_attributes(attributes, [&](std::string_view name, std::string_view value) {
    if (name == key) found = value;
  });
  if (found.empty()) return std::nullopt;
  return found;
}

// A GFF3 comma list "a,b" in Parent: the first parent is enough to reach the gene.
std::string_view first_of_list(std::string_view value) { return value.substr(0, value.find(',')); }

// featureCounts' strand: by the first character, '+' forward, '-' reverse, anything else unstranded.
Strand strand_of(std::string_view text) {
  if (text.starts_with('+')) return Strand::kForward;
  if (text.starts_with('-')) return Strand::kReverse;
  return Strand::kUnknown;
}

bool is_plain_strand(std::string_view text) {
  return text == "+" || text == "-" || text == "." || text == "*" || text == "0" || text == "?";
}

// Start and end as whole numbers. featureCounts reads the digits a field starts with ("300abc" is 300); ifnsig
// stops at such a field instead.
std::pair<std::int64_t, std::int64_t> parse_span(std::string_view start_text, std::string_view end_text,
                                                 const io::LineReader& reader, std::string_view hint) {
  std::int64_t start = 0;
  std::int64_t end = 0;
  if (!io::parse_int64(start_text, start) || !io::parse_int64(end_text, end) || start < 0 || end < 0) {
    throw InputError(reader.path(), at_line(reader.line_number()),
                     "start/end are not whole numbers: " + quote_field(start_text) + ", " + quote_field(end_text),
                     std::string(hint));
  }
  if (start == 0) {
    throw InputError(reader.path(), at_line(reader.line_number()), "start is 0",
                     "positions are 1-based: a start of 0 means 0-based (BED) coordinates; add 1 to every start");
  }
  if (end < start) {
    throw InputError(reader.path(), at_line(reader.line_number()),
                     "end (" + std::to_string(end) + ") is before start (" + std::to_string(start) + ")",
                     "coordinates are 1-based and inclusive; fix or remove the line");
  }
  return {start, end};
}

// Lines of one kind that featureCounts skips or reads loosely, for one warning per file and kind.
struct LooseLines {
  std::uint64_t count = 0;
  std::uint64_t first = 0;

  void add(std::uint64_t line) {
    if (count++ == 0) first = line;
  }
  // "<path>: <verb> 3 lines <what> (first: line 7)"
  void warn(const std::string& path, std::string_view verb, std::string_view what) const {
    if (count == 0) return;
    log_warning(path + ": " + std::string(verb) + " " + std::to_string(count) + (count == 1 ? " line " : " lines ") +
                std::string(what) + " (first: line " + std::to_string(first) + ")");
  }
};

constexpr std::string_view kOddStrand =
    "whose strand is not '+', '-' or '.' as featureCounts does: by its first character ('+' forward, '-' "
    "reverse, anything else unstranded)";

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
        if (auto problem = io::utf8_problem("gene id", id); !problem.empty()) {
          throw InputError(path_, at_line(line), problem, io::kUtf8Hint);
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

// featureCounts skips, anywhere in a SAF, a line that starts "GeneID<tab>Chr<tab>Start" in any case.
bool is_saf_header(std::string_view line) {
  constexpr std::string_view kHeader = "geneid\tchr\tstart";
  if (line.size() < kHeader.size()) return false;
  for (std::size_t i = 0; i < kHeader.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != kHeader[i]) return false;
  }
  return true;
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
  io::LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto fields = io::split_fields(line, '\t');
    if (fields.size() == 5 || is_saf_header(line)) return AnnotationFormat::kSaf;
    if (fields.size() == 9 && fields[8].find('=') != std::string_view::npos &&
        fields[8].find('"') == std::string_view::npos) {
      return AnnotationFormat::kGff3;
    }
    return AnnotationFormat::kGtf;
  }
  return AnnotationFormat::kGtf;
}

namespace {

// SAF as featureCounts reads it: '#' lines, header lines (is_saf_header) and lines with fewer than 4 tabs are
// skipped; empty columns are dropped (featureCounts splits on runs of tabs); columns after the fifth are ignored.
void parse_saf(io::LineReader& reader, GeneModel& model) {
  const std::string& path = reader.path();
  ModelBuilder builder(model, path);
  LooseLines short_lines;
  LooseLines empty_columns;
  LooseLines odd_strands;
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (line.starts_with('#') || is_saf_header(line)) continue;
    if (std::count(line.begin(), line.end(), '\t') < 4) {
      if (!io::trim(line).empty()) short_lines.add(reader.line_number());
      continue;
    }
    io::split_fields(line, '\t', fields);
    const std::size_t columns = fields.size();
    // With the empty columns dropped, a line that ends in a tab has an empty strand (unstranded); one that ends
    // with its fourth column has none, which featureCounts reads as '+'.
    const bool ends_with_tab = line.back() == '\t';
    std::erase_if(fields, [](std::string_view field) { return field.empty(); });
    if (fields.size() != columns) empty_columns.add(reader.line_number());
    if (fields.size() < 4) {
      throw InputError(path, at_line(reader.line_number()),
                       "expected 5 tab-separated SAF columns, found " + std::to_string(fields.size()) + " that are not empty",
                       "SAF columns are: GeneID Chr Start End Strand");
    }
    const auto [start, end] =
        parse_span(fields[2], fields[3], reader,
                   reader.line_number() == 1 && std::isalpha(static_cast<unsigned char>(line.front()))
                       ? "featureCounts skips only a header that starts GeneID<tab>Chr<tab>Start (in any case); "
                         "rename the header's columns so, or remove it"
                       : "SAF columns are: GeneID Chr Start End Strand, positions 1-based");
    Exon exon;
    exon.contig = builder.contig(fields[1]);
    exon.gene = builder.gene(fields[0], reader.line_number(), [] { return std::pair<std::string, std::string>(); });
    exon.start = start;
    exon.end = end;
    const std::string_view strand = fields.size() > 4 ? fields[4] : ends_with_tab ? "." : "+";
    exon.strand = strand_of(strand);
    if (!is_plain_strand(strand)) odd_strands.add(reader.line_number());
    model.add_exon(exon);
  }
  short_lines.warn(path, "skipped", "with fewer than 5 tab-separated columns, as featureCounts does");
  empty_columns.warn(path, "read", "with empty columns as featureCounts does: without the empty columns");
  odd_strands.warn(path, "read", kOddStrand);
}

// A line whose attribute column featureCounts can not read (it reads no attribute at all from it).
[[noreturn]] void broken_attributes(const io::LineReader& reader, std::string_view attributes,
                                    const std::string& problem) {
  throw InputError(reader.path(), at_line(reader.line_number()),
                   "cannot read the attribute column (" + problem + "): " + quote_field(attributes),
                   "write attributes as key \"value\"; (GTF) or key=value; (GFF3), separated by ';' "
                   "(featureCounts stops at this line too)");
}

void parse_gtf_or_gff3(io::LineReader& reader, AnnotationFormat format, const AnnotationOptions& options,
                       GeneModel& model) {
  const std::string& path = reader.path();
  ModelBuilder builder(model, path);
  std::unordered_map<std::string, Gff3Node> gff3_nodes;
  std::vector<PendingExon> pending;  // GFF3 exons whose gene is found through Parent
  LooseLines odd_strands;
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') {
      if (line.starts_with("##FASTA")) break;
      continue;
    }
    io::split_fields(line, '\t', fields);
    // featureCounts skips lines with fewer than 8 tabs and ignores columns after the ninth; ifnsig stops: in a
    // GTF such a line is damage (a gzip block corrupted, a tab lost), not a comment.
    if (fields.size() != 9) {
      throw InputError(path, at_line(reader.line_number()),
                       "expected 9 tab-separated columns, found " + std::to_string(fields.size()),
                       "GTF/GFF3 lines have 9 columns; use -F SAF for SAF files");
    }
    const std::string_view attributes = fields[8];
    const bool counted = std::find(options.feature_types.begin(), options.feature_types.end(), fields[2]) !=
                         options.feature_types.end();
    // Lines of other types are read only for GFF3 Parent chains, and skipped when their attributes are broken
    // (featureCounts does not read them). One pass checks the column and finds the gene attribute's last value.
    if (!counted && format != AnnotationFormat::kGff3) continue;
    std::string_view gene_id;
    const std::string problem = scan_attributes(attributes, [&](std::string_view key, std::string_view value) {
      if (key == options.gene_attribute) gene_id = value;
    });
    if (!problem.empty()) {
      if (counted) broken_attributes(reader, attributes, problem);
      continue;
    }
    if (format == AnnotationFormat::kGff3) {
      if (auto id = attribute(attributes, "ID")) {
        auto parent = attribute(attributes, "Parent");
        gff3_nodes[std::string(*id)] = Gff3Node{std::string(parent ? first_of_list(*parent) : ""),
                                               std::string(gene_id.empty() ? *id : gene_id), name_of(attributes),
                                               biotype_of(attributes)};
      }
    }
    if (!counted) continue;
    const auto [start, end] = parse_span(fields[3], fields[4], reader, "GTF/GFF3 positions are 1-based and inclusive");
    Exon exon;
    exon.contig = builder.contig(fields[0]);
    exon.start = start;
    exon.end = end;
    exon.strand = strand_of(fields[6]);
    if (!is_plain_strand(fields[6])) odd_strands.add(reader.line_number());
    if (!gene_id.empty()) {
      exon.gene = builder.gene(gene_id, reader.line_number(),
                               [&] { return std::pair(name_of(attributes), biotype_of(attributes)); });
      model.add_exon(exon, extra_values(attributes, options.extra_attributes));
    } else if (auto parent = attribute(attributes, "Parent"); parent && format == AnnotationFormat::kGff3) {
      pending.push_back(PendingExon{exon, extra_values(attributes, options.extra_attributes),
                                    std::string(first_of_list(*parent)), reader.line_number()});
    } else {
      throw InputError(path, at_line(reader.line_number()),
                       "the " + quote_field(fields[2]) + " feature has no " + quote_field(options.gene_attribute) +
                           " attribute (or an empty one): " + quote_field(attributes),
                       "choose the grouping attribute with -g (e.g. -g gene_name), or fix the attribute column "
                       "(featureCounts stops at this line too)");
    }
  }
  odd_strands.warn(path, "read", kOddStrand);
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
  io::LineReader reader(path);
  io::parse_checked(path, reader.source(), [&] { parse_saf(reader, model); });
}

void read_gtf_or_gff3(const std::string& path, AnnotationFormat format, const AnnotationOptions& options,
                      GeneModel& model) {
  io::LineReader reader(path);
  io::parse_checked(path, reader.source(), [&] { parse_gtf_or_gff3(reader, format, options, model); });
}

}  // namespace ifnsig::annotation
