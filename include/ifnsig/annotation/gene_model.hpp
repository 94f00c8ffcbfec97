// Owns: the gene model read from an annotation: contigs, genes (meta-features) and their exons (features),
//       in annotation order, with gene_name/gene_type kept for reports and any --extraAttributes per exon;
//       and featureCounts' rule that finds the annotation contig an alignment contig name falls on (-A aliases,
//       a "chr" prefix added or removed).
// Thread-safety: immutable after construction; share freely between threads.
// Invariant: every exon has start <= end (1-based, inclusive), a valid contig and a valid gene index;
//            genes are numbered in order of first appearance, as featureCounts writes them.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ifnsig::annotation {

enum class Strand : std::uint8_t { kUnknown = 0, kForward = 1, kReverse = 2 };
char strand_char(Strand strand);

struct Exon {
  std::uint32_t contig = 0;
  std::uint32_t gene = 0;
  std::int64_t start = 0;  // 1-based, inclusive
  std::int64_t end = 0;    // 1-based, inclusive
  Strand strand = Strand::kUnknown;
};

struct GeneInfo {
  std::string id;
  std::string name;  // gene_name (GTF) / Name (GFF3); empty when absent
  std::string type;  // gene_type or gene_biotype; empty when absent
  std::vector<std::uint32_t> exons;  // indices into GeneModel::exons, annotation order
};

enum class AnnotationFormat { kAuto, kGtf, kGff3, kSaf };

struct AnnotationOptions {
  AnnotationFormat format = AnnotationFormat::kAuto;
  std::vector<std::string> feature_types{"exon"};  // -t (GTF/GFF3)
  std::string gene_attribute = "gene_id";          // -g (GTF/GFF3)
  std::string alias_file;                          // -A: "annotation_name,alignment_name" per line
  std::vector<std::string> extra_attributes;       // --extraAttributes (GTF/GFF3): kept per exon
};

// How an alignment contig name was matched to an annotation contig (GeneModel::find_contig).
enum class ContigRule : std::uint8_t { kSameName, kAlias, kChrRemoved, kChrAdded };

struct ContigMatch {
  std::uint32_t contig = 0;
  ContigRule rule = ContigRule::kSameName;
};

class GeneModel {
 public:
  static GeneModel read(const std::string& path, const AnnotationOptions& options);
  // The binary form the annotation cache keeps (annotation/annotation_cache.hpp): contigs, genes, exons and
  // extra attributes. The -A aliases are not in it: read_binary applies options.alias_file as read() does.
  void write_binary(std::ostream& out) const;
  // nullopt unless `bytes` hold a whole model in this binary form and nothing after it.
  static std::optional<GeneModel> read_binary(std::string_view bytes, const std::string& path,
                                              const AnnotationOptions& options);

  const std::vector<std::string>& contigs() const { return contigs_; }
  // Contig name as the alignments spell it: the first -A alias line naming the contig, else its own name.
  const std::vector<std::string>& alignment_contigs() const { return alignment_contigs_; }
  // The annotation contig that reads on the alignments' contig `name` are counted on, by featureCounts' rule,
  // tried in this order: the same name; the -A alias of `name`; `name` without a leading "chr" ("chr4" -> "4");
  // "chr" + `name` when `name` has at most two characters ("4" -> "chr4", "MT" -> "chrMT", never "chrM").
  std::optional<ContigMatch> find_contig(const std::string& name) const;
  // The annotation contig named exactly `name`.
  std::optional<std::uint32_t> contig_named(const std::string& name) const;
  // The annotation contig name an -A alias line gives the alignments' contig `name` (the last such line), or null.
  const std::string* alias_of(const std::string& name) const;
  const std::vector<GeneInfo>& genes() const { return genes_; }
  const std::vector<Exon>& exons() const { return exons_; }
  // --extraAttributes: their names, and each exon's values ("NA" where the exon's line lacks one).
  const std::vector<std::string>& extra_attribute_names() const { return extra_attribute_names_; }
  const std::string& extra_attribute(std::uint32_t exon, std::size_t attribute) const {
    return extra_values_[exon * extra_attribute_names_.size() + attribute];
  }
  // Bases covered by the union of the gene's exons (featureCounts' Length).
  std::int64_t union_length(std::uint32_t gene) const;
  const std::string& path() const { return path_; }

  // Building blocks for the readers, tests and the simulator. add_contig and add_gene append:
  // callers keep names unique.
  std::uint32_t add_contig(const std::string& name);
  std::uint32_t add_gene(const std::string& id, std::string name = {}, std::string type = {});
  // `extra` holds one value per extra attribute (none when no extra attributes were asked for).
  void add_exon(const Exon& exon, std::vector<std::string> extra = {});

 private:
  void apply_aliases(const std::string& alias_file);
  std::string path_;
  std::vector<std::string> contigs_;
  std::vector<std::string> alignment_contigs_;
  std::unordered_map<std::string, std::uint32_t> contig_index_;  // annotation name -> contig
  std::unordered_map<std::string, std::string> aliases_;         // -A: alignment name -> annotation name
  std::vector<GeneInfo> genes_;
  std::vector<Exon> exons_;
  std::vector<std::string> extra_attribute_names_;
  std::vector<std::string> extra_values_;  // exons x extra attributes
};

}  // namespace ifnsig::annotation
