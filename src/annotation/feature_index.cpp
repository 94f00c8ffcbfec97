#include "ifnsig/annotation/feature_index.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace ifnsig::annotation {
namespace {

StrandMask mask_of(Strand strand) {
  switch (strand) {
    case Strand::kForward: return kForwardBit;
    case Strand::kReverse: return kReverseBit;
    default: return kUnstrandedBit;
  }
}

struct Boundary {
  std::int64_t position;  // first base where the change applies
  bool opens;
  std::uint32_t target;
  StrandMask strands;
};

}  // namespace

FeatureIndex::FeatureIndex(const GeneModel& model, bool feature_level, int threads, bool with_features)
    : contigs_(model.contigs().size()),
      n_targets_(feature_level ? model.exons().size() : model.genes().size()) {
  const auto& exons = model.exons();
  if (with_features) {
    features_.reserve(exons.size());
    for (std::uint32_t e = 0; e < exons.size(); ++e) {
      features_.push_back({feature_level ? e : exons[e].gene, exons[e].start, exons[e].end});
    }
    if (!feature_level) exon_index_ = std::make_unique<FeatureIndex>(model, true, threads);
  }
  std::vector<std::vector<std::uint32_t>> contig_exons(model.contigs().size());
  for (std::uint32_t e = 0; e < exons.size(); ++e) contig_exons[exons[e].contig].push_back(e);
  // Contigs are indexed independently, several at once within the thread budget (an arena of its own: TBB's
  // default one has a thread per core); each holds only its own boundaries while it is built.
  tbb::task_arena(std::max(1, threads)).execute([&] {
    tbb::parallel_for(std::size_t{0}, contig_exons.size(), [&](std::size_t c) {
      std::vector<Boundary> events;
      events.reserve(2 * contig_exons[c].size());
      for (const std::uint32_t e : contig_exons[c]) {
        const Exon& exon = exons[e];
        const std::uint32_t target = feature_level ? e : exon.gene;
        events.push_back({exon.start, true, target, mask_of(exon.strand)});
        events.push_back({exon.end + 1, false, target, mask_of(exon.strand)});
      }
      std::vector<std::uint32_t>().swap(contig_exons[c]);
      std::sort(events.begin(), events.end(),
                [](const Boundary& a, const Boundary& b) { return a.position < b.position; });
      ContigSegments& contig = contigs_[c];
      // The open (target, strand) keys with their number of open exons, sorted by key: a fixed order, and
      // few at a time (the genes overlapping one base), so a sorted vector beats a tree.
      std::vector<std::pair<std::pair<std::uint32_t, StrandMask>, int>> active;
      std::size_t i = 0;
      while (i < events.size()) {
        const std::int64_t position = events[i].position;
        for (; i < events.size() && events[i].position == position; ++i) {
          const auto key = std::make_pair(events[i].target, events[i].strands);
          auto it = std::lower_bound(active.begin(), active.end(), key,
                                     [](const auto& open, const auto& k) { return open.first < k; });
          if (events[i].opens) {
            if (it == active.end() || it->first != key) it = active.insert(it, {key, 0});
            ++it->second;
          } else if (--it->second == 0) {  // an exon closes only after it opened
            active.erase(it);
          }
        }
        if (active.empty() || i == events.size()) continue;
        Segment segment{position, events[i].position - 1, static_cast<std::uint32_t>(contig.entries.size()), 0};
        for (const auto& [key, open] : active) {
          if (segment.n_entries > 0 && contig.entries.back().target == key.first) {
            contig.entries.back().strands |= key.second;
            continue;
          }
          contig.entries.push_back({key.first, key.second});
          ++segment.n_entries;
        }
        contig.segments.push_back(segment);
      }
      contig.segments.shrink_to_fit();
      contig.entries.shrink_to_fit();
      index_buckets(contig);
    });
  });
}

void FeatureIndex::index_buckets(ContigSegments& contig) {
  const auto& segments = contig.segments;
  const std::int64_t last_end = segments.empty() ? 0 : segments.back().end;
  const auto n_buckets = static_cast<std::size_t>(last_end >> kBucketShift) + 1;
  contig.bucket_first.resize(n_buckets + 1);
  std::size_t s = 0;
  for (std::size_t b = 0; b < n_buckets; ++b) {
    const auto window_start = static_cast<std::int64_t>(b) << kBucketShift;
    while (s < segments.size() && segments[s].end < window_start) ++s;
    contig.bucket_first[b] = static_cast<std::uint32_t>(s);
  }
  contig.bucket_first[n_buckets] = static_cast<std::uint32_t>(segments.size());
}

}  // namespace ifnsig::annotation
