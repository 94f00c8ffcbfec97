#include "ifnsig/count/junction_counts.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <string_view>
#include <unordered_map>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/count/counter.hpp"
#include "ifnsig/io/line_reader.hpp"

namespace ifnsig::count {
namespace {

// featureCounts keeps, per annotation contig, each gene's span (its first to its last feature there) in a
// hash table of 48367 buckets, and lists a site's genes in that table's order: by bucket, then the gene
// added last first. Genes are found through blocks of 128 kb (a site looks on the first of its contig's
// names, as below, that has a gene in the site's block).
constexpr std::uint64_t kGeneTableBuckets = 48367;
constexpr std::int64_t kGeneBlockBases = 128 * 1024;

std::uint64_t gene_table_bucket(std::string_view name) {
  std::uint64_t hash = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const std::uint64_t byte = static_cast<unsigned char>(name[i]);
    hash += (byte + i) << (byte & 0xf);
  }
  return hash % kGeneTableBuckets;
}

struct GeneSpan {
  std::uint32_t gene = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::uint32_t first_exon = 0;  // its first feature on the contig, in annotation order
};

class JunctionGenes {
 public:
  explicit JunctionGenes(const annotation::GeneModel& model) : model_(model) {
    const auto& contigs = model.contigs();
    std::vector<std::vector<GeneSpan>> spans(contigs.size());
    std::unordered_map<std::uint64_t, std::size_t> span_of;  // contig << 32 | gene
    const auto& exons = model.exons();
    for (std::uint32_t e = 0; e < exons.size(); ++e) {
      const annotation::Exon& exon = exons[e];
      const auto [it, added] = span_of.emplace(std::uint64_t{exon.contig} << 32 | exon.gene, spans[exon.contig].size());
      if (added) {
        spans[exon.contig].push_back({exon.gene, exon.start, exon.end, e});
        continue;
      }
      GeneSpan& span = spans[exon.contig][it->second];
      span.first = std::min(span.first, exon.start);
      span.last = std::max(span.last, exon.end);
    }
    for (std::uint32_t c = 0; c < contigs.size(); ++c) {
      auto& list = spans[c];
      std::vector<std::uint64_t> bucket(model.genes().size());
      for (const GeneSpan& span : list) bucket[span.gene] = gene_table_bucket(model.genes()[span.gene].id);
      std::sort(list.begin(), list.end(), [&](const GeneSpan& a, const GeneSpan& b) {
        if (bucket[a.gene] != bucket[b.gene]) return bucket[a.gene] < bucket[b.gene];
        return a.first_exon > b.first_exon;
      });
      for (const GeneSpan& span : list) {
        for (std::int64_t block = span.first / kGeneBlockBases; block <= span.last / kGeneBlockBases; ++block) {
          blocks_[block_key(c, block)].push_back(span);
        }
      }
    }
  }

  // The genes whose span holds `position` on the alignments' contig `name`, in featureCounts' order.
  void find(const std::string& name, std::int64_t position, std::vector<const GeneSpan*>& out) const {
    out.clear();
    const std::vector<GeneSpan>* block = nullptr;
    const auto try_contig = [&](const std::string& contig) {
      if (block != nullptr) return;
      const auto c = model_.contig_named(contig);
      if (!c) return;
      const auto found = blocks_.find(block_key(*c, position / kGeneBlockBases));
      if (found != blocks_.end()) block = &found->second;
    };
    if (const std::string* alias = model_.alias_of(name)) try_contig(*alias);
    try_contig(name);
    if (name.size() > 3 && name.starts_with("chr")) try_contig(name.substr(3));
    try_contig("chr" + name);
    if (block == nullptr) return;
    for (const GeneSpan& span : *block) {
      if (span.first <= position && position <= span.last) out.push_back(&span);
    }
  }

  const std::string& id(const GeneSpan& span) const { return model_.genes()[span.gene].id; }

 private:
  static std::uint64_t block_key(std::uint32_t contig, std::int64_t block) {
    return std::uint64_t{contig} << 32 | static_cast<std::uint64_t>(block);
  }
  const annotation::GeneModel& model_;
  std::unordered_map<std::uint64_t, std::vector<GeneSpan>> blocks_;
};

struct JunctionRow {
  std::string contig;
  SpliceJunction junction;
  std::vector<std::uint64_t> counts;  // per file
  std::string strand = "NA";
};

// C's atoi: optional blanks and sign, then digits.
std::int64_t leading_number(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::int64_t value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && value < (std::int64_t{1} << 40)) {
    value = value * 10 + (text[i++] - '0');
  }
  return negative ? -value : value;
}

// The rank featureCounts sorts a contig name by: its number ("chr" removed), X 90, Y 91, M 99; -1 for a name
// that neither is nor starts with "chr" and has no number; 0 for such a name that starts with "chr".
std::int64_t contig_rank(std::string_view name) {
  const auto letter_rank = [](char letter) -> std::int64_t {
    return letter == 'X' ? 90 : letter == 'Y' ? 91 : letter == 'M' ? 99 : 0;
  };
  if (name.starts_with("chr")) {
    const std::int64_t number = leading_number(name.substr(3));
    return number == 0 && name.size() > 3 ? (letter_rank(name[3]) != 0 ? letter_rank(name[3]) : 0) : number;
  }
  std::int64_t rank = leading_number(name) > 0 ? leading_number(name) : -1;
  if (!name.empty() && letter_rank(name[0]) != 0) {
    const unsigned char next = name.size() > 1 ? static_cast<unsigned char>(name[1]) : 0;
    if (!std::isdigit(next) && !std::isalpha(next)) rank = letter_rank(name[0]);
  }
  return rank;
}

// featureCounts' row order: contig rank, shorter names first, the name's bytes, the left site, then the
// right site's digits compared as text.
bool row_before(const JunctionRow& a, const JunctionRow& b) {
  const std::int64_t rank_a = contig_rank(a.contig);
  const std::int64_t rank_b = contig_rank(b.contig);
  if (rank_a != rank_b) return rank_a < rank_b;
  if (a.contig.size() != b.contig.size()) return a.contig.size() < b.contig.size();
  for (std::size_t i = 0; i < a.contig.size(); ++i) {
    const auto byte_a = static_cast<signed char>(a.contig[i]);
    const auto byte_b = static_cast<signed char>(b.contig[i]);
    if (byte_a != byte_b) return byte_a < byte_b;
  }
  if (a.junction.left != b.junction.left) return a.junction.left < b.junction.left;
  char text_a[24], text_b[24];
  char* const end_a = std::to_chars(text_a, text_a + sizeof text_a, a.junction.right).ptr;
  char* const end_b = std::to_chars(text_b, text_b + sizeof text_b, b.junction.right).ptr;
  return std::lexicographical_compare(text_a, end_a, text_b, end_b);
}

// The Primary and Secondary genes of a junction, featureCounts' way: the genes at either site, in order
// (the left site's, then the right site's not already listed), each supported by one site or both. Those
// supported by the most sites compete; when that is one site and both sites have genes, and the sites' own
// support (the fragments of every file with a junction at that position) differs, the genes of the site
// with the higher support are dropped. The primary gene is the competitor whose span starts first (the
// first listed on a tie); the secondary genes are the others left, in order, comma-separated.
void choose_genes(const JunctionGenes& genes, const JunctionRow& row,
                  const std::map<std::pair<std::string, std::int64_t>, std::uint64_t>& site_support,
                  std::string& primary, std::string& secondary) {
  std::vector<const GeneSpan*> left, right;
  genes.find(row.contig, row.junction.left, left);
  genes.find(row.contig, row.junction.right, right);
  struct Candidate {
    const GeneSpan* span;
    int support;
    bool from_left;
    bool dropped = false;
  };
  std::vector<Candidate> candidates;
  int most = 0;
  for (const auto* list : {&left, &right}) {
    for (const GeneSpan* span : *list) {
      const auto same = std::find_if(candidates.begin(), candidates.end(),
                                     [&](const Candidate& c) { return genes.id(*c.span) == genes.id(*span); });
      if (same != candidates.end()) {
        most = std::max(most, ++same->support);
      } else {
        candidates.push_back({span, 1, list == &left});
        most = std::max(most, 1);
      }
    }
  }
  if (most == 1 && !left.empty() && !right.empty()) {
    const std::uint64_t left_support = site_support.at({row.contig, row.junction.left});
    const std::uint64_t right_support = site_support.at({row.contig, row.junction.right});
    if (left_support != right_support) {
      for (Candidate& c : candidates) c.dropped = c.from_left == (left_support > right_support);
    }
  }
  const Candidate* chosen = nullptr;
  for (const Candidate& c : candidates) {
    if (!c.dropped && c.support == most && (chosen == nullptr || c.span->first < chosen->span->first)) chosen = &c;
  }
  primary = chosen == nullptr ? "NA" : genes.id(*chosen->span);
  secondary.clear();
  for (const Candidate& c : candidates) {
    if (c.dropped || &c == chosen) continue;
    secondary += (secondary.empty() ? "" : ",") + genes.id(*c.span);
  }
  if (secondary.empty()) secondary = "NA";
}

// -G: each row's strand from its splice-site motif, the intron's first two and last two bases: GT..AG is
// "+", CT..AC is "-", anything else NA (case does not matter, U reads as T). The FASTA is read once, keeping
// only the bases asked for; a sequence name ends at a space or '|', as featureCounts reads it.
void read_motifs(const std::string& genome, std::vector<JunctionRow>& rows) {
  if (!std::filesystem::is_regular_file(genome)) {
    throw InputError(genome, "", "no such FASTA file (-G)", "give the genome FASTA the reads were aligned to");
  }
  // Per contig: (0-based offset, where the base goes).
  std::unordered_map<std::string, std::vector<std::pair<std::int64_t, char*>>> wanted;
  std::vector<std::string> motifs(rows.size(), std::string(4, 'N'));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto& list = wanted[rows[r].contig];
    const SpliceJunction& j = rows[r].junction;
    const std::int64_t offsets[4] = {j.left, j.left + 1, j.right - 3, j.right - 2};
    for (int b = 0; b < 4; ++b) list.emplace_back(offsets[b], &motifs[r][static_cast<std::size_t>(b)]);
  }
  for (auto& [contig, list] : wanted) std::sort(list.begin(), list.end());
  std::unordered_map<std::string, std::int64_t> lengths;
  io::LineReader reader(genome);
  std::string_view line;
  std::vector<std::pair<std::int64_t, char*>>* current = nullptr;
  std::size_t next = 0;
  std::int64_t length = 0;
  std::string name;
  const auto finish_contig = [&] {
    if (!name.empty() || current != nullptr) lengths[name] = length;
  };
  bool any_header = false;
  while (reader.next(line)) {
    if (line.starts_with('>')) {
      finish_contig();
      any_header = true;
      const std::size_t end = line.find_first_of(" |", 1);
      name = std::string(line.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1));
      const auto found = wanted.find(name);
      current = found == wanted.end() ? nullptr : &found->second;
      next = 0;
      length = 0;
      continue;
    }
    if (!any_header && !line.empty()) {
      throw InputError(genome, "line " + std::to_string(reader.line_number()), "a FASTA file starts with a '>' line",
                       "give the genome FASTA (-G) the reads were aligned to");
    }
    const std::int64_t end = length + static_cast<std::int64_t>(line.size());
    while (current != nullptr && next < current->size() && (*current)[next].first < end) {
      const auto [offset, out] = (*current)[next++];
      if (offset < length) continue;
      char base = static_cast<char>(std::toupper(static_cast<unsigned char>(line[static_cast<std::size_t>(offset - length)])));
      if (base == 'U') base = 'T';
      *out = base == 'A' || base == 'C' || base == 'G' || base == 'T' ? base : 'N';
    }
    length = end;
  }
  finish_contig();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto found = lengths.find(rows[r].contig);
    const SpliceJunction& j = rows[r].junction;
    if (found == lengths.end() || std::max(j.left + 2, j.right - 1) > found->second || j.right < 3) {
      throw InputError(genome, "", found == lengths.end()
                                       ? "no sequence named " + quote_field(rows[r].contig) + ", a contig of the reads"
                                       : "sequence " + quote_field(rows[r].contig) + " is shorter than the reads on it",
                       "give the genome FASTA (-G) the reads were aligned to");
    }
    const std::string& motif = motifs[r];
    if (motif == "GTAG") rows[r].strand = "+";
    else if (motif == "CTAC") rows[r].strand = "-";
  }
}

}  // namespace

void write_junction_table(std::ostream& out, const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                          const std::string& genome) {
  std::map<std::pair<std::string, SpliceJunction>, std::size_t, std::less<>> index_of;
  std::vector<JunctionRow> rows;
  std::map<std::pair<std::string, std::int64_t>, std::uint64_t> site_support;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (const JunctionCount& junction : files[f].junctions) {
      const auto key = std::make_pair(junction.contig, junction.junction);
      auto [it, added] = index_of.emplace(key, rows.size());
      if (added) rows.push_back({junction.contig, junction.junction, std::vector<std::uint64_t>(files.size(), 0)});
      rows[it->second].counts[f] += junction.count;
      site_support[{junction.contig, junction.junction.left}] += junction.count;
      site_support[{junction.contig, junction.junction.right}] += junction.count;
    }
  }
  std::sort(rows.begin(), rows.end(), row_before);
  if (!genome.empty()) read_motifs(genome, rows);
  const JunctionGenes genes(model);
  out << "PrimaryGene\tSecondaryGenes\tSite1_chr\tSite1_location\tSite1_strand\tSite2_chr\tSite2_location\tSite2_strand";
  for (const auto& file : files) out << '\t' << file.path;
  out << '\n';
  std::string primary, secondary;
  for (const JunctionRow& row : rows) {
    choose_genes(genes, row, site_support, primary, secondary);
    out << primary << '\t' << secondary << '\t' << row.contig << '\t' << row.junction.left << '\t' << row.strand << '\t'
        << row.contig << '\t' << row.junction.right << '\t' << row.strand;
    for (const std::uint64_t count : row.counts) out << '\t' << count;
    out << '\n';
  }
}

}  // namespace ifnsig::count
