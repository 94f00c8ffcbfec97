#include "ifnsig/annotation/feature_index.hpp"

#include <map>

namespace ifnsig {
namespace {

StrandMask mask_of(Strand strand) {
  switch (strand) {
    case Strand::kForward: return kForwardBit;
    case Strand::kReverse: return kReverseBit;
    default: return kForwardBit | kReverseBit;
  }
}

struct Boundary {
  std::int64_t position;  // first base where the change applies
  bool opens;
  std::uint32_t target;
  StrandMask strands;
};

}  // namespace

FeatureIndex::FeatureIndex(const GeneModel& model, bool feature_level)
    : contigs_(model.contigs().size()),
      n_targets_(feature_level ? model.exons().size() : model.genes().size()) {
  std::vector<std::vector<Boundary>> boundaries(model.contigs().size());
  const auto& exons = model.exons();
  for (std::uint32_t e = 0; e < exons.size(); ++e) {
    const Exon& exon = exons[e];
    const std::uint32_t target = feature_level ? e : exon.gene;
    boundaries[exon.contig].push_back({exon.start, true, target, mask_of(exon.strand)});
    boundaries[exon.contig].push_back({exon.end + 1, false, target, mask_of(exon.strand)});
  }
  for (std::size_t c = 0; c < boundaries.size(); ++c) {
    auto& events = boundaries[c];
    std::sort(events.begin(), events.end(),
              [](const Boundary& a, const Boundary& b) { return a.position < b.position; });
    // Active (target, strand) -> number of open exons; std::map keeps targets in a fixed order.
    std::map<std::pair<std::uint32_t, StrandMask>, int> active;
    std::size_t i = 0;
    while (i < events.size()) {
      const std::int64_t position = events[i].position;
      for (; i < events.size() && events[i].position == position; ++i) {
        const auto key = std::make_pair(events[i].target, events[i].strands);
        if (events[i].opens) {
          ++active[key];
        } else if (--active[key] == 0) {
          active.erase(key);
        }
      }
      if (active.empty() || i == events.size()) continue;
      Segment segment{position, events[i].position - 1, static_cast<std::uint32_t>(entries_.size()), 0};
      for (const auto& [key, open] : active) {
        if (!entries_.empty() && segment.n_entries > 0 && entries_.back().target == key.first) {
          entries_.back().strands |= key.second;
          continue;
        }
        entries_.push_back({key.first, key.second});
        ++segment.n_entries;
      }
      contigs_[c].segments.push_back(segment);
    }
  }
}

}  // namespace ifnsig
