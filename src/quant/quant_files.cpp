#include "ifnsig/quant/quant_files.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::quant {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKnownFormats =
    "give salmon quant.sf, kallisto abundance.tsv, RSEM *.genes.results or *.isoforms.results, or STAR "
    "ReadsPerGene.out.tab files as the quantifier wrote them";

// The columns tximport reads from each transcript- or gene-level table, in its order: id, abundance (TPM),
// counts, length (effective length).
struct Layout {
  Quantifier quantifier;
  std::array<const char*, 4> columns;
  const char* first_header;  // the header's first field, which identifies the format
};

constexpr std::array<Layout, 4> kLayouts = {{
    {Quantifier::kSalmon, {"Name", "TPM", "NumReads", "EffectiveLength"}, "Name"},
    {Quantifier::kKallisto, {"target_id", "tpm", "est_counts", "eff_length"}, "target_id"},
    {Quantifier::kRsemTranscripts, {"transcript_id", "TPM", "expected_count", "effective_length"}, "transcript_id"},
    {Quantifier::kRsemGenes, {"gene_id", "TPM", "expected_count", "effective_length"}, "gene_id"},
}};

const Layout& layout_of(Quantifier quantifier) {
  for (const auto& layout : kLayouts) {
    if (layout.quantifier == quantifier) return layout;
  }
  throw std::logic_error("no layout for STAR");
}

bool is_star_summary(std::string_view id) {
  return id == "N_unmapped" || id == "N_multimapping" || id == "N_noFeature" || id == "N_ambiguous";
}

std::string strip_gz(std::string name) {
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  return name;
}

std::optional<Quantifier> quantifier_of_header(const std::vector<std::string_view>& fields) {
  if (fields.size() == 4 && is_star_summary(fields[0])) return Quantifier::kStar;
  for (const auto& layout : kLayouts) {
    if (fields.empty() || fields[0] != layout.first_header) continue;
    const bool all = std::all_of(layout.columns.begin(), layout.columns.end(), [&](const char* name) {
      return std::find(fields.begin(), fields.end(), std::string_view(name)) != fields.end();
    });
    if (all) return layout.quantifier;
  }
  return std::nullopt;
}

double number_at(const io::LineReader& reader, std::string_view field, std::string_view column, bool count) {
  double value = 0;
  if (!io::parse_double(field, value) || !std::isfinite(value)) {
    throw InputError(reader.path(), at_line(reader.line_number()),
                     "column " + quote_field(column) + " holds " + quote_field(field) + ", not a number",
                     "the file is damaged or not a quantifier's output; rerun the quantifier for this sample");
  }
  if (value < 0 || (count && value != std::nearbyint(value))) {
    throw InputError(reader.path(), at_line(reader.line_number()),
                     "column " + quote_field(column) + " holds " + quote_field(field) +
                         (value < 0 ? ", a negative value" : ", which is not a whole number of reads"),
                     "the file is damaged or not a quantifier's output; rerun the quantifier for this sample");
  }
  return value;
}

void check_id(const io::LineReader& reader, std::string_view id, std::string_view what) {
  if (id.empty()) throw InputError(reader.path(), at_line(reader.line_number()), "empty " + std::string(what));
  if (auto problem = io::utf8_problem(what, id); !problem.empty()) {
    throw InputError(reader.path(), at_line(reader.line_number()), problem, io::kUtf8Hint);
  }
}

QuantFile read_table(const std::string& path, io::LineReader& reader, std::string_view header, Quantifier quantifier) {
  QuantFile file;
  file.path = path;
  file.quantifier = quantifier;
  const Layout& layout = layout_of(quantifier);
  const auto names = io::split_fields(header, '\t');
  std::array<std::size_t, 4> index{};
  for (std::size_t k = 0; k < 4; ++k) {
    index[k] = static_cast<std::size_t>(std::find(names.begin(), names.end(), std::string_view(layout.columns[k])) -
                                        names.begin());
  }
  const std::size_t n_fields = names.size();
  std::vector<std::string_view> fields;
  std::string_view line;
  while (reader.next(line)) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    io::split_fields(line, '\t', fields);
    if (fields.size() != n_fields) {
      throw InputError(path, at_line(reader.line_number()),
                       std::to_string(fields.size()) + " tab-separated fields where the header has " +
                           std::to_string(n_fields),
                       "the file is cut or damaged; rerun the quantifier for this sample");
    }
    check_id(reader, fields[index[0]], layout.columns[0]);
    file.ids.emplace_back(fields[index[0]]);
    file.abundance.push_back(number_at(reader, fields[index[1]], layout.columns[1], false));
    file.counts.push_back(number_at(reader, fields[index[2]], layout.columns[2], false));
    file.length.push_back(number_at(reader, fields[index[3]], layout.columns[3], false));
  }
  if (file.ids.empty()) throw InputError(path, "", "lists no " + std::string(is_transcript_level(quantifier) ? "transcripts" : "genes"));
  return file;
}

QuantFile read_star(const std::string& path, io::LineReader& reader) {
  QuantFile file;
  file.path = path;
  file.quantifier = Quantifier::kStar;
  std::vector<std::string_view> fields;
  std::string_view line;
  while (reader.next(line)) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    io::split_fields(line, '\t', fields);
    if (fields.size() != 4) {
      throw InputError(path, at_line(reader.line_number()),
                       std::to_string(fields.size()) + " tab-separated fields where STAR writes 4 (gene, unstranded, "
                                                       "read 1 on the gene's strand, read 2 on it)",
                       "the file is cut or damaged; rerun STAR with --quantMode GeneCounts");
    }
    if (is_star_summary(fields[0])) continue;
    check_id(reader, fields[0], "gene id");
    file.ids.emplace_back(fields[0]);
    static constexpr std::array<const char*, 3> kNames = {"column 2 (unstranded)", "column 3 (forward)",
                                                          "column 4 (reverse)"};
    for (int c = 0; c < 3; ++c) file.star_columns[c].push_back(number_at(reader, fields[c + 1], kNames[c], true));
  }
  if (file.ids.empty()) throw InputError(path, "", "lists no genes", "rerun STAR with --quantMode GeneCounts");
  return file;
}

bool is_known_name(const std::string& name) {
  const std::string plain = strip_gz(name);
  return plain == "quant.sf" || plain == "abundance.tsv" || plain.ends_with("ReadsPerGene.out.tab") ||
         plain.ends_with(".genes.results") || plain.ends_with(".isoforms.results");
}

bool looks_like_gtf(const std::string& path) {
  const std::string name = strip_gz(fs::path(path).filename().string());
  if (name.ends_with(".gtf") || name.ends_with(".gff") || name.ends_with(".gff3")) return true;
  io::LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto fields = io::split_fields(line, '\t');
    std::int64_t start = 0, end = 0;
    return fields.size() == 9 && io::parse_int64(fields[3], start) && io::parse_int64(fields[4], end);
  }
  return false;
}

Tx2Gene read_gtf_tx2gene(const std::string& path) {
  // The annotation reader with transcripts as its "genes": each exon line's transcript_id, and its gene_id and
  // gene_name kept as extra attributes.
  annotation::AnnotationOptions options;
  options.feature_types = {"exon"};
  options.gene_attribute = "transcript_id";
  options.extra_attributes = {"gene_id", "gene_name"};
  const annotation::GeneModel model = annotation::GeneModel::read(path, options);
  Tx2Gene table;
  table.source = path;
  for (const auto& transcript : model.genes()) {
    if (transcript.exons.empty()) continue;
    const std::string& gene = model.extra_attribute(transcript.exons.front(), 0);
    if (gene == "NA") {
      throw InputError(path, "transcript " + quote_field(transcript.id), "its exons have no gene_id attribute",
                       "give a GTF whose exon lines carry transcript_id and gene_id, or a tx2gene TSV (--tx2gene)");
    }
    table.gene_of.emplace(transcript.id, gene);
    const std::string& name = model.extra_attribute(transcript.exons.front(), 1);
    if (name != "NA") table.gene_name.emplace(gene, name);
  }
  if (table.gene_of.empty()) {
    throw InputError(path, "", "has no exon lines with transcript_id and gene_id",
                     "give the GTF the quantifier's index was built from, or a tx2gene TSV (--tx2gene)");
  }
  return table;
}

Tx2Gene read_tsv_tx2gene(const std::string& path) {
  Tx2Gene table;
  table.source = path;
  io::LineReader reader(path);
  std::string_view line;
  std::vector<std::string_view> fields;
  bool first = true;
  while (reader.next(line)) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (io::trim(line).empty() || line.front() == '#') continue;
    const char delimiter = line.find('\t') != std::string_view::npos ? '\t' : ',';
    io::split_fields(line, delimiter, fields);
    const bool header = first && fields.size() >= 2 &&
                        (fields[1] == "gene_id" || fields[1] == "GENEID" || fields[1] == "gene" ||
                         fields[0] == "transcript_id" || fields[0] == "TXNAME" || fields[0] == "tx");
    first = false;
    if (header) continue;
    if (fields.size() < 2 || io::trim(fields[0]).empty() || io::trim(fields[1]).empty()) {
      throw InputError(path, at_line(reader.line_number()), "expected a transcript id and a gene id",
                       "tx2gene lines are: transcript_id<TAB>gene_id[<TAB>gene_name]");
    }
    const std::string tx(io::trim(fields[0])), gene(io::trim(fields[1]));
    check_id(reader, tx, "transcript id");
    check_id(reader, gene, "gene id");
    const auto [it, added] = table.gene_of.emplace(tx, gene);
    if (!added && it->second != gene) {
      throw InputError(path, at_line(reader.line_number()),
                       "transcript " + quote_field(tx) + " is given to gene " + quote_field(gene) + " and earlier to " +
                           quote_field(it->second),
                       "each transcript must belong to one gene");
    }
    if (fields.size() >= 3 && !io::trim(fields[2]).empty())
      table.gene_name.emplace(gene, std::string(io::trim(fields[2])));
  }
  if (table.gene_of.empty()) throw InputError(path, "", "lists no transcripts", "tx2gene lines are: transcript_id<TAB>gene_id[<TAB>gene_name]");
  return table;
}

}  // namespace

std::string to_string(Quantifier quantifier) {
  switch (quantifier) {
    case Quantifier::kSalmon: return "salmon";
    case Quantifier::kKallisto: return "kallisto";
    case Quantifier::kRsemTranscripts: return "RSEM (isoforms)";
    case Quantifier::kRsemGenes: return "RSEM (genes)";
    case Quantifier::kStar: return "STAR";
  }
  return "?";
}

bool is_transcript_level(Quantifier quantifier) {
  return quantifier == Quantifier::kSalmon || quantifier == Quantifier::kKallisto ||
         quantifier == Quantifier::kRsemTranscripts;
}

Quantifier detect_quantifier(const std::string& path) {
  if (!fs::exists(path)) throw InputError(path, "", "no such file", "check the --quant path");
  io::LineReader reader(path);
  std::string_view line;
  if (!reader.next(line)) throw InputError(path, "", "the file is empty", kKnownFormats);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (const auto quantifier = quantifier_of_header(io::split_fields(line, '\t'))) return *quantifier;
  throw InputError(path, at_line(1), "not a quantifier output this version reads: the first line is " + quote_field(line),
                   kKnownFormats);
}

QuantFile read_quant_file(const std::string& path) {
  const Quantifier quantifier = detect_quantifier(path);
  io::LineReader reader(path);
  QuantFile file = io::parse_checked(path, reader.source(), [&] {
    if (quantifier == Quantifier::kStar) return read_star(path, reader);
    std::string_view header;
    reader.next(header);
    const std::string header_text(header.ends_with('\r') ? header.substr(0, header.size() - 1) : header);
    return read_table(path, reader, header_text, quantifier);
  });
  file.sample_id = quant_sample_id(path);
  if (auto problem = io::sample_id_problem(file.sample_id); !problem.empty()) {
    throw InputError(path, "", problem + " (the sample id is taken from the file's name or directory)",
                     io::kSampleIdHint);
  }
  return file;
}

std::string quant_sample_id(const std::string& path) {
  const fs::path p(path);
  const std::string name = strip_gz(p.filename().string());
  const auto parent = [&] {
    const auto dir = fs::absolute(p).lexically_normal().parent_path();
    return dir.filename().string();
  };
  if (name == "quant.sf" || name == "abundance.tsv" || name == "ReadsPerGene.out.tab") return parent();
  for (const std::string_view suffix : {".genes.results", ".isoforms.results", "ReadsPerGene.out.tab", ".tsv", ".txt", ".sf"}) {
    if (name.ends_with(suffix) && name.size() > suffix.size()) {
      std::string id = name.substr(0, name.size() - suffix.size());
      while (!id.empty() && (id.back() == '.' || id.back() == '_')) id.pop_back();
      if (!id.empty()) return id;
    }
  }
  return name;
}

std::vector<std::string> find_quant_files(const std::string& directory) {
  if (!fs::is_directory(directory)) throw InputError(directory, "", "is not a directory", "give the quantifier's output directory to --quant-dir");
  std::vector<std::string> found;
  const auto scan = [&](const fs::path& dir) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file() && is_known_name(entry.path().filename().string())) found.push_back(entry.path().string());
    }
  };
  scan(directory);
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_directory()) scan(entry.path());
  }
  // RSEM writes both tables per sample; tximport's type = "rsem" reads the genes' (txIn = FALSE).
  const bool has_rsem_genes = std::any_of(found.begin(), found.end(), [](const std::string& f) {
    return strip_gz(f).ends_with(".genes.results");
  });
  if (has_rsem_genes) {
    std::erase_if(found, [](const std::string& f) { return strip_gz(f).ends_with(".isoforms.results"); });
  }
  std::sort(found.begin(), found.end());
  // nf-core's star_salmon holds salmon's SAMPLE/quant.sf and STAR's log/*ReadsPerGene.out.tab: say which is which.
  std::map<std::string, std::size_t> kinds;
  for (const auto& f : found) {
    const std::string name = strip_gz(fs::path(f).filename().string());
    kinds[name == "quant.sf" ? "salmon quant.sf" : name == "abundance.tsv" ? "kallisto abundance.tsv"
          : name.ends_with("ReadsPerGene.out.tab") ? "STAR ReadsPerGene.out.tab"
          : name.ends_with(".genes.results") ? "RSEM genes.results" : "RSEM isoforms.results"]++;
  }
  if (kinds.size() > 1) {
    std::string list;
    for (const auto& [kind, n] : kinds) list += (list.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
    throw InputError(directory, "", "holds outputs of several quantifiers (" + list + ")",
                     "give one tool's files: --quant-dir a directory holding only them, or --quant FILE...");
  }
  if (found.empty()) {
    throw InputError(directory, "", "holds no quantifier outputs (quant.sf, abundance.tsv, *.genes.results, "
                                    "*ReadsPerGene.out.tab) in it or its subdirectories",
                     "give the directory with one subdirectory per sample (nf-core: results/salmon), or the files with --quant");
  }
  return found;
}

Tx2Gene read_tx2gene(const std::string& path) {
  if (!fs::exists(path)) throw InputError(path, "", "no such file", "check the --tx2gene / --gtf path");
  return looks_like_gtf(path) ? read_gtf_tx2gene(path) : read_tsv_tx2gene(path);
}

}  // namespace ifnsig::quant
