#include "ifnsig/sim/sim_genome.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <tuple>

namespace ifnsig::sim {
namespace {

constexpr std::int64_t kContigMarginBp = 20000;

struct Span {
  std::uint32_t contig;
  std::int64_t start;
  std::int64_t end;
  std::uint32_t gene;
};

// Exons of one gene on its first contig, merged into blocks (overlapping or adjacent exons join).
SimGene make_gene(const annotation::GeneModel& model, std::uint32_t gene_index) {
  const auto& info = model.genes()[gene_index];
  SimGene gene;
  gene.gene = gene_index;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
  for (std::uint32_t e : info.exons) {
    const annotation::Exon& exon = model.exons()[e];
    if (ranges.empty()) {
      gene.contig = exon.contig;
      gene.strand = exon.strand;
    }
    if (exon.contig == gene.contig) ranges.emplace_back(exon.start - 1, exon.end);
  }
  std::sort(ranges.begin(), ranges.end());
  for (const auto& [start, end] : ranges) {
    if (!gene.blocks.empty() && start <= gene.blocks.back().genome_start + gene.blocks.back().length) {
      Block& last = gene.blocks.back();
      last.length = std::max(last.length, end - last.genome_start);
      continue;
    }
    gene.blocks.push_back(Block{start, 0, end - start});
  }
  for (Block& block : gene.blocks) {
    block.tx_start = gene.length_bp;
    gene.length_bp += block.length;
  }
  if (!gene.blocks.empty()) {
    gene.span_start = gene.blocks.front().genome_start;
    gene.span_end = gene.blocks.back().genome_start + gene.blocks.back().length;
  }
  return gene;
}

}  // namespace

SimGenome::SimGenome(const annotation::GeneModel& model) {
  for (const auto& name : model.alignment_contigs()) contigs_.push_back(SimContig{name, 0, {}});
  std::vector<Span> spans;
  for (const annotation::Exon& exon : model.exons()) {
    auto& contig = contigs_[exon.contig];
    contig.length_bp = std::max(contig.length_bp, exon.end + kContigMarginBp);
  }
  // Spans per (gene, contig): a gene annotated on two contigs occupies both.
  for (std::uint32_t g = 0; g < model.genes().size(); ++g) {
    genes_.push_back(make_gene(model, g));
    std::vector<Span> own;
    for (std::uint32_t e : model.genes()[g].exons) {
      const annotation::Exon& exon = model.exons()[e];
      auto it = std::find_if(own.begin(), own.end(), [&](const Span& s) { return s.contig == exon.contig; });
      if (it == own.end()) {
        own.push_back(Span{exon.contig, exon.start - 1, exon.end, g});
      } else {
        it->start = std::min(it->start, exon.start - 1);
        it->end = std::max(it->end, exon.end);
      }
    }
    spans.insert(spans.end(), own.begin(), own.end());
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.contig, a.start, a.end, a.gene) < std::tie(b.contig, b.start, b.end, b.gene);
  });
  isolated_.assign(genes_.size(), 1);
  for (std::size_t i = 0; i < spans.size();) {
    // One contig at a time: the running span with the largest end overlaps every later span starting before it.
    std::size_t j = i;
    std::int64_t max_end = -1;
    std::uint32_t max_gene = 0;
    auto& merged = contigs_[spans[i].contig].gene_spans;
    for (; j < spans.size() && spans[j].contig == spans[i].contig; ++j) {
      const Span& span = spans[j];
      if (span.start < max_end && span.gene != max_gene) {
        isolated_[span.gene] = 0;
        isolated_[max_gene] = 0;
      }
      if (span.end > max_end) {
        max_end = span.end;
        max_gene = span.gene;
      }
      if (!merged.empty() && span.start <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, span.end);
      } else {
        merged.emplace_back(span.start, span.end);
      }
    }
    i = j;
  }
}

bool SimGenome::intergenic(std::uint32_t contig, std::int64_t start, std::int64_t end) const {
  const auto& spans = contigs_[contig].gene_spans;
  // First span ending after start: the only one that can overlap [start, end).
  auto it = std::upper_bound(spans.begin(), spans.end(), start,
                             [](std::int64_t position, const auto& span) { return position < span.second; });
  return it == spans.end() || it->first >= end;
}

bool SimGenome::inside_intron(const SimGene& gene, std::int64_t start, std::int64_t end) {
  if (start < gene.span_start || end > gene.span_end) return false;
  auto it = std::upper_bound(gene.blocks.begin(), gene.blocks.end(), start,
                             [](std::int64_t position, const Block& b) { return position < b.genome_start + b.length; });
  return it != gene.blocks.end() && it->genome_start >= end && it != gene.blocks.begin();
}

double Random::normal() {
  // Box-Muller with one value used: simple and deterministic.
  const double u1 = (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53;
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace ifnsig::sim
