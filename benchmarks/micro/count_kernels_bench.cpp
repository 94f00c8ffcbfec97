// Micro-benchmarks of the counting hot path: feature-index lookup, record evaluation, fragment resolution,
// and read-name keyed mate pairing. Records come from the bundled example BAM; the annotation is the hg38
// RefSeq SAF cached by benchmarks/run when present, else the example GTF.
#include <benchmark/benchmark.h>
#include <htslib/sam.h>

#include <filesystem>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/assignment.hpp"
#include "count/mate_table.hpp"

namespace {

using namespace ifnsig;

const std::string kExampleBam = IFNSIG_SOURCE_DIR "/examples/data/bam/sample01.bam";

std::string annotation_path() {
  const std::string cached = IFNSIG_SOURCE_DIR "/benchmarks/cache/hg38_RefSeq_exon.saf";
  return std::filesystem::exists(cached) ? cached : IFNSIG_SOURCE_DIR "/examples/data/annotation.gtf";
}

struct Fixture {
  annotation::GeneModel model = annotation::GeneModel::read(annotation_path(), annotation::AnnotationOptions{});
  annotation::FeatureIndex index{model, false, 1};
  count::CountOptions options;
  std::vector<io::RecordPtr> records;
  std::vector<std::int32_t> tid_to_contig;

  Fixture() {
    options.paired = true;
    options.count_fragments = true;
    count::AlignmentReader reader(kExampleBam, "", 0);
    const sam_hdr_t* header = reader.header();
    for (int tid = 0; tid < sam_hdr_nref(header); ++tid) {
      std::int32_t found = -1;
      for (std::size_t c = 0; c < model.alignment_contigs().size(); ++c) {
        if (model.alignment_contigs()[c] == sam_hdr_tid2name(header, tid)) found = static_cast<std::int32_t>(c);
      }
      tid_to_contig.push_back(found);
    }
    for (io::RecordPtr record(bam_init1()); reader.read(record.get()); record.reset(bam_init1()))
      records.push_back(std::move(record));
  }
};

const Fixture& fixture() {
  static const Fixture instance;
  return instance;
}

void BM_FeatureIndexLookup(benchmark::State& state) {
  const Fixture& f = fixture();
  // 100-bp queries placed on annotated exons (half shifted off their start), as reads mostly land.
  std::mt19937_64 random(1);
  std::vector<const annotation::Exon*> exons;
  for (const annotation::Exon& exon : f.model.exons()) exons.push_back(&exon);
  std::vector<std::pair<std::uint32_t, std::int64_t>> queries(1 << 16);
  for (auto& [contig, start] : queries) {
    const annotation::Exon& exon = *exons[random() % exons.size()];
    contig = exon.contig;
    start = exon.start + static_cast<std::int64_t>(random() % 200) - 100;
  }
  std::int64_t total = 0;
  for (auto _ : state) {
    for (const auto& [contig, start] : queries) {
      f.index.for_each_overlap(contig, start, start + 99,
                               [&](std::uint32_t, annotation::StrandMask, std::int64_t bp) { total += bp; });
    }
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * queries.size()));
}
BENCHMARK(BM_FeatureIndexLookup);

void BM_RecordEvaluate(benchmark::State& state) {
  const Fixture& f = fixture();
  const count::RecordEvaluator evaluator(f.index, f.options, f.tid_to_contig, count::Strandedness::kReverse);
  count::MateHits hits;
  for (auto _ : state) {
    for (const auto& record : f.records) {
      evaluator.evaluate(record.get(), hits);
      benchmark::DoNotOptimize(hits.hits.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.records.size()));
}
BENCHMARK(BM_RecordEvaluate);

void BM_FragmentResolve(benchmark::State& state) {
  const Fixture& f = fixture();
  const count::RecordEvaluator evaluator(f.index, f.options, f.tid_to_contig, count::Strandedness::kReverse);
  std::vector<count::MateHits> hits(f.records.size());
  for (std::size_t i = 0; i < f.records.size(); ++i) evaluator.evaluate(f.records[i].get(), hits[i]);
  const count::FragmentResolver resolver(f.options);
  std::vector<count::TargetHit> targets;
  std::int64_t share = 0;
  for (auto _ : state) {
    // Neighbouring records as the two mates: the same work as a real pair.
    for (std::size_t i = 0; i + 1 < hits.size(); i += 2) {
      benchmark::DoNotOptimize(resolver.resolve(hits[i], &hits[i + 1], targets, 1 << 20, share));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * (hits.size() / 2)));
}
BENCHMARK(BM_FragmentResolve);

// Pairing keys as the counter builds them: read name plus 40 bytes of HI and position fields.
std::vector<std::string> pairing_keys(std::size_t n) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < n; ++i) {
    std::string key = "r" + std::to_string(i % 23) + "." + std::to_string(i * 7919 % 10000019);
    key.append(40, static_cast<char>(i & 0x7f));
    keys.push_back(std::move(key));
  }
  return keys;
}

// The counter's MateTable: n mates wait, then each meets its partner (hashes computed beforehand, as the
// counter does in its parallel stage).
void BM_MatePairing(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<std::string> keys = pairing_keys(n);
  std::vector<std::uint64_t> hashes;
  for (const auto& key : keys) hashes.push_back(count::MateTable::hash(key));
  count::MateTable waiting;
  std::string key;
  count::MateHits mate;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {
      key = keys[i];
      waiting.insert(hashes[i], key, mate);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t found = waiting.find(hashes[i], keys[i]);
      benchmark::DoNotOptimize(waiting.entry(found).mate.nh);
      waiting.erase(found);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_MatePairing)->Arg(1 << 12)->Arg(1 << 18);

// Baseline for BM_MatePairing: std::unordered_map<std::string, ...> insert + find/erase on the same keys.
void BM_MatePairingStdMap(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<std::string> keys = pairing_keys(n);
  std::unordered_map<std::string, std::uint32_t> waiting;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) waiting.emplace(keys[i], static_cast<std::uint32_t>(i));
    for (std::size_t i = 0; i < n; ++i) {
      const auto it = waiting.find(keys[i]);
      benchmark::DoNotOptimize(it->second);
      waiting.erase(it);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_MatePairingStdMap)->Arg(1 << 12)->Arg(1 << 18);

}  // namespace
