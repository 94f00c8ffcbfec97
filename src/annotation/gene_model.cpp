#include "ifnsig/annotation/gene_model.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "annotation_parsers.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::annotation {

char strand_char(Strand strand) {
  switch (strand) {
    case Strand::kForward: return '+';
    case Strand::kReverse: return '-';
    default: return '.';
  }
}

std::uint32_t GeneModel::add_contig(const std::string& name) {
  contigs_.push_back(name);
  alignment_contigs_.push_back(name);
  const auto contig = static_cast<std::uint32_t>(contigs_.size() - 1);
  contig_index_.emplace(name, contig);
  return contig;
}

std::uint32_t GeneModel::add_gene(const std::string& id, std::string name, std::string type) {
  genes_.push_back(GeneInfo{id, std::move(name), std::move(type), {}});
  return static_cast<std::uint32_t>(genes_.size() - 1);
}

void GeneModel::add_exon(const Exon& exon, std::vector<std::string> extra) {
  genes_.at(exon.gene).exons.push_back(static_cast<std::uint32_t>(exons_.size()));
  exons_.push_back(exon);
  for (auto& value : extra) extra_values_.push_back(std::move(value));
}

std::int64_t GeneModel::union_length(std::uint32_t gene) const {
  // Positions are keyed by contig so that a gene annotated on several contigs is merged per contig.
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (auto e : genes_[gene].exons) {
    const std::int64_t contig_key = static_cast<std::int64_t>(exons_[e].contig) << 40;
    spans.emplace_back(contig_key + exons_[e].start, contig_key + exons_[e].end);
  }
  std::sort(spans.begin(), spans.end());
  std::int64_t length = 0;
  std::int64_t covered_to = -1;
  for (const auto& [start, end] : spans) {
    const std::int64_t from = std::max(start, covered_to + 1);
    if (end >= from) length += end - from + 1;
    covered_to = std::max(covered_to, end);
  }
  return length;
}

// The alias file as featureCounts reads it: "annotation_name,alignment_name" per line; '#' lines, blank lines and
// lines without a comma are skipped; a later line for the same alignment name replaces an earlier one. Lines
// featureCounts reads into names that match nothing (spaces around a name, a second comma, an empty name) are
// errors.
void GeneModel::apply_aliases(const std::string& alias_file) {
  io::LineReader reader(alias_file);
  std::string_view line;
  std::uint64_t skipped = 0;
  std::uint64_t first_skipped = 0;
  std::vector<bool> named(contigs_.size(), false);  // alignment_contigs_[c] comes from the first line naming c
  while (reader.next(line)) {
    if (io::trim(line).empty() || line.front() == '#') continue;
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) {
      if (skipped++ == 0) first_skipped = reader.line_number();
      continue;
    }
    const std::string_view annotation_name = line.substr(0, comma);
    const std::string_view alignment_name = line.substr(comma + 1);
    const auto bad_line = [&](const std::string& problem) {
      return InputError(alias_file, at_line(reader.line_number()), problem + ": " + quote_field(line),
                        "write 'annotation_name,alignment_name' with nothing else on the line (featureCounts "
                        "would take the line whole and match no contig with it)");
    };
    if (annotation_name.empty() || alignment_name.empty()) throw bad_line("a name is empty");
    if (alignment_name.find(',') != std::string_view::npos) throw bad_line("more than one comma");
    if (io::trim(annotation_name) != annotation_name || io::trim(alignment_name) != alignment_name) {
      throw bad_line("spaces around a name");
    }
    aliases_.insert_or_assign(std::string(alignment_name), std::string(annotation_name));
    if (const auto it = contig_index_.find(std::string(annotation_name)); it != contig_index_.end() && !named[it->second]) {
      named[it->second] = true;
      alignment_contigs_[it->second] = alignment_name;
    }
  }
  if (skipped > 0) {
    log_warning(alias_file + ": skipped " + std::to_string(skipped) + (skipped == 1 ? " line" : " lines") +
                " without a comma, as featureCounts does (first: line " + std::to_string(first_skipped) + ")");
  }
}

std::optional<ContigMatch> GeneModel::find_contig(const std::string& name) const {
  if (const auto contig = contig_named(name)) return ContigMatch{*contig, ContigRule::kSameName};
  if (const std::string* alias = alias_of(name)) {
    if (const auto contig = contig_named(*alias)) return ContigMatch{*contig, ContigRule::kAlias};
  }
  if (name.starts_with("chr")) {
    if (const auto contig = contig_named(name.substr(3))) return ContigMatch{*contig, ContigRule::kChrRemoved};
  }
  if (name.size() <= 2) {
    if (const auto contig = contig_named("chr" + name)) return ContigMatch{*contig, ContigRule::kChrAdded};
  }
  return std::nullopt;
}

std::optional<std::uint32_t> GeneModel::contig_named(const std::string& name) const {
  const auto it = contig_index_.find(name);
  if (it == contig_index_.end()) return std::nullopt;
  return it->second;
}

const std::string* GeneModel::alias_of(const std::string& name) const {
  const auto alias = aliases_.find(name);
  return alias == aliases_.end() ? nullptr : &alias->second;
}

GeneModel GeneModel::read(const std::string& path, const AnnotationOptions& options) {
  GeneModel model;
  model.path_ = path;
  AnnotationFormat format = options.format;
  if (format == AnnotationFormat::kAuto) format = detect_annotation_format(path);
  if (format == AnnotationFormat::kSaf) {
    if (!options.extra_attributes.empty()) {
      throw UsageError("--extraAttributes needs a GTF or GFF3 annotation; " + path + " is SAF",
                       "drop --extraAttributes, or count with the GTF the SAF was made from");
    }
    read_saf(path, model);
  } else {
    model.extra_attribute_names_ = options.extra_attributes;
    read_gtf_or_gff3(path, format, options, model);
  }
  if (model.exons_.empty()) {
    throw InputError(path, "", "no features found",
                     format == AnnotationFormat::kSaf
                         ? std::string("check the SAF columns: GeneID Chr Start End Strand")
                         : "check the feature type (-t, here " + quote_field(options.feature_types.front()) +
                               ") and the gene attribute (-g, here " + quote_field(options.gene_attribute) + ")");
  }
  if (!options.alias_file.empty()) model.apply_aliases(options.alias_file);
  return model;
}

namespace {

constexpr char kBinaryMagic[8] = {'I', 'F', 'N', 'S', 'G', 'M', 'D', '1'};

template <typename T>
void put(std::ostream& out, T value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}
void put_string(std::ostream& out, const std::string& text) {
  put(out, static_cast<std::uint32_t>(text.size()));
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}
// Reads the binary form front to back; any read past its end fails.
class ByteCursor {
 public:
  explicit ByteCursor(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool get(T& value) {
    if (bytes_.size() < sizeof value) return false;
    std::memcpy(&value, bytes_.data(), sizeof value);
    bytes_.remove_prefix(sizeof value);
    return true;
  }
  bool get_string(std::string& text) {
    std::uint32_t size = 0;
    if (!get(size) || bytes_.size() < size) return false;
    text.assign(bytes_.data(), size);
    bytes_.remove_prefix(size);
    return true;
  }
  bool at_end() const { return bytes_.empty(); }
  bool get_magic() {
    if (!bytes_.starts_with(std::string_view(kBinaryMagic, sizeof kBinaryMagic))) return false;
    bytes_.remove_prefix(sizeof kBinaryMagic);
    return true;
  }

 private:
  std::string_view bytes_;
};

}  // namespace

void GeneModel::write_binary(std::ostream& out) const {
  out.write(kBinaryMagic, sizeof kBinaryMagic);
  put(out, static_cast<std::uint64_t>(contigs_.size()));
  for (const auto& contig : contigs_) put_string(out, contig);
  put(out, static_cast<std::uint64_t>(genes_.size()));
  for (const auto& gene : genes_) {
    put_string(out, gene.id);
    put_string(out, gene.name);
    put_string(out, gene.type);
  }
  put(out, static_cast<std::uint64_t>(extra_attribute_names_.size()));
  for (const auto& name : extra_attribute_names_) put_string(out, name);
  put(out, static_cast<std::uint64_t>(exons_.size()));
  for (std::size_t e = 0; e < exons_.size(); ++e) {
    const Exon& exon = exons_[e];
    put(out, exon.contig);
    put(out, exon.gene);
    put(out, exon.start);
    put(out, exon.end);
    put(out, static_cast<std::uint8_t>(exon.strand));
    for (std::size_t a = 0; a < extra_attribute_names_.size(); ++a) put_string(out, extra_attribute(static_cast<std::uint32_t>(e), a));
  }
  out.write(kBinaryMagic, sizeof kBinaryMagic);  // the end: a file cut short is told apart
}

std::optional<GeneModel> GeneModel::read_binary(std::string_view bytes, const std::string& path,
                                                const AnnotationOptions& options) {
  ByteCursor in(bytes);
  if (!in.get_magic()) return std::nullopt;
  GeneModel model;
  model.path_ = path;
  std::uint64_t n = 0;
  std::string text, name, type;
  if (!in.get(n)) return std::nullopt;
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!in.get_string(text)) return std::nullopt;
    model.add_contig(text);
  }
  if (!in.get(n) || n > bytes.size()) return std::nullopt;
  model.genes_.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!in.get_string(text) || !in.get_string(name) || !in.get_string(type)) return std::nullopt;
    model.add_gene(text, name, type);
  }
  if (!in.get(n) || n > bytes.size()) return std::nullopt;
  model.extra_attribute_names_.resize(n);
  for (auto& attribute : model.extra_attribute_names_) {
    if (!in.get_string(attribute)) return std::nullopt;
  }
  if (!in.get(n) || n > bytes.size()) return std::nullopt;
  model.exons_.reserve(n);
  model.extra_values_.reserve(n * model.extra_attribute_names_.size());
  for (std::uint64_t i = 0; i < n; ++i) {
    Exon exon;
    std::uint8_t strand = 0;
    if (!in.get(exon.contig) || !in.get(exon.gene) || !in.get(exon.start) || !in.get(exon.end) || !in.get(strand) ||
        exon.contig >= model.contigs_.size() || exon.gene >= model.genes_.size() || strand > 2 || exon.start > exon.end) {
      return std::nullopt;
    }
    exon.strand = static_cast<Strand>(strand);
    model.exons_.push_back(exon);
    for (std::size_t a = 0; a < model.extra_attribute_names_.size(); ++a) {
      if (!in.get_string(model.extra_values_.emplace_back())) return std::nullopt;
    }
  }
  if (!in.get_magic() || !in.at_end() || model.exons_.empty()) return std::nullopt;
  // Each gene's exon list, in annotation order, allocated once.
  std::vector<std::uint32_t> exons_of_gene(model.genes_.size(), 0);
  for (const Exon& exon : model.exons_) ++exons_of_gene[exon.gene];
  for (std::size_t g = 0; g < model.genes_.size(); ++g) model.genes_[g].exons.reserve(exons_of_gene[g]);
  for (std::size_t e = 0; e < model.exons_.size(); ++e) {
    model.genes_[model.exons_[e].gene].exons.push_back(static_cast<std::uint32_t>(e));
  }
  if (!options.alias_file.empty()) model.apply_aliases(options.alias_file);
  return model;
}

}  // namespace ifnsig::annotation

