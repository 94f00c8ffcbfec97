#include "ifnsig/annotation/gene_model.hpp"

#include <algorithm>
#include <unordered_map>

#include "annotation_parsers.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig {

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
  return static_cast<std::uint32_t>(contigs_.size() - 1);
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

void GeneModel::apply_aliases(const std::string& alias_file) {
  LineReader reader(alias_file);
  std::string_view line;
  std::unordered_map<std::string, std::string> alias;
  while (reader.next(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    const auto fields = split_fields(line, ',');
    if (fields.size() != 2 || trim(fields[0]).empty() || trim(fields[1]).empty()) {
      throw InputError(alias_file, at_line(reader.line_number()), "expected 'annotation_name,alignment_name'",
                       "the alias file has two comma-separated columns and no header");
    }
    alias[std::string(trim(fields[0]))] = std::string(trim(fields[1]));
  }
  for (std::size_t i = 0; i < contigs_.size(); ++i) {
    const auto it = alias.find(contigs_[i]);
    if (it != alias.end()) alignment_contigs_[i] = it->second;
  }
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

}  // namespace ifnsig
