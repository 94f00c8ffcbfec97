#include "ifnsig/count/counter.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>

#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/assignment.hpp"
#include "ifnsig/count/bam_chunk_reader.hpp"
#include "ifnsig/count/mate_spill.hpp"
#include "ifnsig/count/mate_table.hpp"
#include "ifnsig/count/strand_detection.hpp"
#include "tally.hpp"

namespace ifnsig {
namespace {

// Records per batch read through HTSlib; BAM files on disk are cut into batches at chunks of BGZF blocks.
// Either way batch boundaries depend on the file alone, never on the thread count.
constexpr std::size_t kBatchRecords = 4096;

struct Batch {
  BamChunk chunk;  // BAM files on disk: the blocks the records are cut from, and the records
  std::vector<RecordPtr> records;  // other inputs: records read through HTSlib
  std::vector<MateHits> hits;
  // Pairing keys of paired records, back to back in one buffer: record i's is key_bytes[key_starts[i],
  // key_starts[i] + key_lengths[i]). Writing them in sequence keeps them in cache for the pairing stage.
  // The buffer only grows (a string's resize would zero every key's bytes before they are written).
  std::string key_bytes;
  std::size_t key_bytes_used = 0;
  std::vector<std::uint32_t> key_starts;
  std::vector<std::uint32_t> key_lengths;
  std::vector<std::uint64_t> key_hashes;
  std::size_t size = 0;
  // Slots of mates not paired inside the batch, handed to the serial pairing stage.
  std::vector<std::size_t> leftovers;

  const bam1_t* record(std::size_t i) const { return chunk.records.empty() ? records[i].get() : &chunk.records[i]; }

  // Grows the per-record storage to n records; storage is kept for the next batches.
  void ensure_capacity(std::size_t n) {
    if (hits.size() < n) {
      hits.resize(n);
      key_starts.resize(n);
      key_lengths.resize(n);
      key_hashes.resize(n);
    }
  }

  std::string_view key(std::size_t i) const { return {key_bytes.data() + key_starts[i], key_lengths[i]}; }
};

// Appends the pairing key of `record` to the batch's key buffer.
void add_pairing_key(const bam1_t* record, const MateHits& hits, std::size_t i, Batch& batch) {
  const std::size_t name_length = std::strlen(bam_get_qname(record));
  const std::size_t start = batch.key_bytes_used;
  batch.key_bytes_used += pairing_key_size(name_length);
  std::string& bytes = batch.key_bytes;
  if (bytes.size() < batch.key_bytes_used) bytes.resize(std::max(2 * bytes.size(), batch.key_bytes_used));
  write_pairing_key(record, hits.hi, name_length, bytes.data() + start);
  batch.key_starts[i] = static_cast<std::uint32_t>(start);
  batch.key_lengths[i] = static_cast<std::uint32_t>(pairing_key_size(name_length));
}

// Whether two neighbouring records with equal pairing keys are mates. The positions are part of the key;
// comparing them first rejects neighbours of coordinate-sorted input without comparing their keys.
bool are_mates(const bam1_t* a, const bam1_t* b) {
  return complementary_reads(a->core.flag, b->core.flag) && a->core.pos == b->core.mpos &&
         a->core.mpos == b->core.pos && a->core.tid == b->core.mtid && a->core.mtid == b->core.tid;
}

// Accumulates a stage's CPU and wall time over its invocations, from any thread.
class StageClock {
 public:
  template <typename Work>
  auto time(Work&& work) {
    const std::int64_t cpu = thread_cpu_ns();
    const auto wall = std::chrono::steady_clock::now();
    struct Stop {
      StageClock& clock;
      std::int64_t cpu;
      std::chrono::steady_clock::time_point wall;
      ~Stop() {
        clock.cpu_ns_ += thread_cpu_ns() - cpu;
        clock.wall_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall).count();
      }
    } stop{*this, cpu, wall};
    return work();
  }
  StageTime seconds() const { return {static_cast<double>(cpu_ns_) * 1e-9, static_cast<double>(wall_ns_) * 1e-9}; }

 private:
  static std::int64_t thread_cpu_ns() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
  }
  std::atomic<std::int64_t> cpu_ns_{0};
  std::atomic<std::int64_t> wall_ns_{0};
};

class FileCounter {
 public:
  FileCounter(const std::string& path, const GeneModel& model, const FeatureIndex& index,
              const CountOptions& options, Strandedness strandedness)
      : options_(options),
        split_(split_threads(options.threads, true)),
        reader_(path, options.reference_fasta, split_.htslib_threads),
        chunks_(reader_.first_record_offset()
                    ? std::make_optional<BamChunkReader>(path, *reader_.first_record_offset(), sam_hdr_nref(reader_.header()),
                                                      options.input_md5)
                    : std::nullopt),
        evaluator_(index, options, match_contigs(model, reader_.header(), path), strandedness),
        resolver_(options),
        waiting_mate_limit_(options.waiting_mate_limit()),
        n_targets_(index.n_targets()),
        tallies_([this] { return Tally(n_targets_); }),
        pairing_tally_(n_targets_) {}

  FileCounts run() {
    const auto start = std::chrono::steady_clock::now();
    Progress progress("counting " + reader_.path(), "records");
    // An arena of its own, so that several files can be counted at once from different threads, each
    // within its share of the budget (split_threads gives TBB the whole budget for every input).
    tbb::task_arena arena(split_.total);
    arena.execute([&] { run_pipeline(progress); });
    if (chunks_) chunks_->finish();
    FileCounts result = finish();
    if (options_.input_md5) {  // BAM files on disk were hashed as they were read
      result.input_md5 = chunks_ ? chunks_->md5() : reader_.path() == "-" ? std::string() : md5_of_file(reader_.path());
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.profile = {clocks_.read.seconds(), clocks_.inflate.seconds(), clocks_.cut.seconds(),
                      clocks_.assign.seconds(), clocks_.pairing.seconds()};
    progress.finish(result.records);
    return result;
  }

 private:
  // Batches in flight bound memory: one per thread plus 4, allocated once and recycled (plus 2 measured about
  // 4% more CPU outside inflating, threads idling behind the serial stages). BAM files on disk go
  // through two more stages: blocks are read serially, inflated in parallel, then cut into records serially
  // (finding where each starts), and parsed at the start of the parallel assignment; other inputs are read
  // record by record through HTSlib in the first stage.
  void run_pipeline(Progress& progress) {
    const std::size_t n_batches = static_cast<std::size_t>(std::max(1, split_.total) + 4);
    for (std::size_t i = 0; i < n_batches; ++i) {
      batches_.push_back(std::make_unique<Batch>());
      free_batches_.push_back(batches_.back().get());
    }
    const auto read_stage = [&](tbb::flow_control& control) -> Batch* {
      Batch* batch = take_batch();
      batch->leftovers.clear();
      if (clocks_.read.time([&] { return chunks_ ? chunks_->read_blocks(batch->chunk) : fill(*batch); })) return batch;
      recycle(batch);
      control.stop();
      return nullptr;
    };
    const auto inflate_stage = [&](Batch* batch) {
      if (chunks_) clocks_.inflate.time([&] { chunks_->inflate(batch->chunk); });
      return batch;
    };
    const auto cut_stage = [&](Batch* batch) {
      if (chunks_) batch->size = clocks_.cut.time([&] { return chunks_->cut_records(batch->chunk); });
      progress.update(records_read());
      return batch;
    };
    const auto assign_stage = [&](Batch* batch) {
      clocks_.assign.time([&] {
        if (chunks_) {
          chunks_->parse_records(batch->chunk);
          batch->ensure_capacity(batch->size);
        }
        assign(*batch, tallies_.local());
      });
      return batch;
    };
    const auto pairing_stage = [&](Batch* batch) {
      clocks_.pairing.time([&] { pair_leftovers(*batch); });
      recycle(batch);
    };
    tbb::parallel_pipeline(n_batches,
                           tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order, read_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, inflate_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::serial_in_order, cut_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, assign_stage) &
                               tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, pairing_stage));
  }

  Batch* take_batch() {
    std::lock_guard lock(free_mutex_);
    Batch* batch = free_batches_.back();
    free_batches_.pop_back();
    return batch;
  }

  void recycle(Batch* batch) {
    std::lock_guard lock(free_mutex_);
    free_batches_.push_back(batch);
  }

  std::uint64_t records_read() const { return chunks_ ? chunks_->records_read() : reader_.records_read(); }

  // Reads up to kBatchRecords records through HTSlib; false at the end of the file.
  bool fill(Batch& batch) {
    batch.ensure_capacity(kBatchRecords);
    while (batch.records.size() < kBatchRecords) batch.records.push_back(new_record());
    batch.size = 0;
    while (batch.size < kBatchRecords && reader_.read(batch.records[batch.size].get())) ++batch.size;
    return batch.size > 0;
  }

  void assign(Batch& batch, Tally& tally) const {
    if (!options_.count_fragments) {
      for (std::size_t i = 0; i < batch.size; ++i) {
        const bam1_t* record = batch.record(i);
        if (!options_.paired && (record->core.flag & BAM_FPAIRED)) reject_paired(reader_.path(), record);
        evaluator_.evaluate(record, batch.hits[i]);
        tally.record(resolver_, batch.hits[i], nullptr);
      }
      return;
    }
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::size_t pending = kNone;
    batch.key_bytes_used = 0;
    for (std::size_t i = 0; i < batch.size; ++i) {
      const bam1_t* record = batch.record(i);
      evaluator_.evaluate(record, batch.hits[i]);
      if ((record->core.flag & BAM_FPAIRED) == 0) {
        tally.record(resolver_, batch.hits[i], nullptr);
        continue;
      }
      add_pairing_key(record, batch.hits[i], i, batch);
      if (pending != kNone && are_mates(batch.record(pending), record) && batch.key(i) == batch.key(pending)) {
        tally.record(resolver_, batch.hits[pending], &batch.hits[i]);
        pending = kNone;
        continue;
      }
      if (pending != kNone) leave_for_pairing(batch, pending);
      pending = i;
    }
    if (pending != kNone) leave_for_pairing(batch, pending);
  }

  static void leave_for_pairing(Batch& batch, std::size_t slot) {
    batch.key_hashes[slot] = MateTable::hash(batch.key(slot));
    batch.leftovers.push_back(slot);
  }

  // A mate either completes the pair waiting under its key or waits itself (copied into the table's
  // recycled storage, so steady-state pairing does not allocate).
  void pair_leftovers(Batch& batch) {
    // Lookups miss the cache (the table outgrows it with the mates that wait long), so the slots of the
    // mates a few places ahead are requested early.
    constexpr std::size_t kPrefetchAhead = 8;
    const std::vector<std::size_t>& leftovers = batch.leftovers;
    for (std::size_t i = 0; i < std::min(kPrefetchAhead, leftovers.size()); ++i) {
      waiting_mates_.prefetch(batch.key_hashes[leftovers[i]]);
    }
    for (std::size_t i = 0; i < leftovers.size(); ++i) {
      if (i + kPrefetchAhead < leftovers.size()) waiting_mates_.prefetch(batch.key_hashes[leftovers[i + kPrefetchAhead]]);
      if (i + kPrefetchAhead / 2 < leftovers.size()) {
        waiting_mates_.prefetch_entry(batch.key_hashes[leftovers[i + kPrefetchAhead / 2]]);
      }
      const std::size_t slot = leftovers[i];
      const std::uint32_t waiting = waiting_mates_.find(batch.key_hashes[slot], batch.key(slot));
      if (waiting == MateTable::kNotFound) {
        waiting_mates_.insert(batch.key_hashes[slot], batch.key(slot), batch.hits[slot]);
        if (waiting_mates_.size() >= waiting_mate_limit_) spill_waiting_mates();
        continue;
      }
      pairing_tally_.record(resolver_, waiting_mates_.entry(waiting).mate, &batch.hits[slot]);
      waiting_mates_.erase(waiting);
    }
  }

  void spill_waiting_mates() {
    if (!spill_) spill_ = std::make_unique<MateSpill>(options_.temp_directory);
    log_info(reader_.path() + ": " + std::to_string(waiting_mates_.size()) +
             " mates wait for their partner; writing them to " + options_.temp_directory.string());
    spill_->spill(waiting_mates_);
  }

  FileCounts finish() {
    LoneMates lone;
    const auto on_lone = [&](std::string_view key, const MateHits& mate) {
      pairing_tally_.record(resolver_, mate, nullptr);
      lone.add(key, mate);
    };
    if (spill_) {
      spill_->merge(
          waiting_mates_, [&](const MateHits& a, const MateHits& b) { pairing_tally_.record(resolver_, a, &b); },
          on_lone);
    } else {
      for (const auto* entry : waiting_mates_.waiting()) on_lone(entry->key(), entry->mate);
    }
    lone.report(reader_.path(), options_.strict_pairs);
    FileCounts result;
    result.path = reader_.path();
    result.format = reader_.format_name();
    result.records = records_read();
    result.lone_mates = lone.count();
    result.lone_supplementary = lone.supplementary();
    result.target_units = std::move(pairing_tally_.units);
    result.status = pairing_tally_.status;
    for (const Tally& tally : tallies_) {
      for (std::size_t t = 0; t < n_targets_; ++t) result.target_units[t] += tally.units[t];
      result.status += tally.status;
    }
    return result;
  }

  const CountOptions& options_;
  ThreadSplit split_;
  AlignmentReader reader_;
  std::optional<BamChunkReader> chunks_;  // BAM files on disk: blocks read and inflated by the pipeline
  struct {
    StageClock read, inflate, cut, assign, pairing;
  } clocks_;
  RecordEvaluator evaluator_;
  FragmentResolver resolver_;
  std::size_t waiting_mate_limit_;
  std::size_t n_targets_;
  tbb::enumerable_thread_specific<Tally> tallies_;
  Tally pairing_tally_;
  MateTable waiting_mates_;
  std::unique_ptr<MateSpill> spill_;               // created when the waiting mates exceed the bound
  std::vector<std::unique_ptr<Batch>> batches_;
  std::vector<Batch*> free_batches_;
  std::mutex free_mutex_;
};

}  // namespace

void reject_paired(const std::string& path, const bam1_t* record) {
  throw InputError(path, "read " + quote_field(bam_get_qname(record)), "paired-end reads found, but -p was not given",
                   "add -p (counts reads) or -p --countReadPairs (counts fragments), as with featureCounts");
}

void LoneMates::add(std::string_view key, const MateHits& mate) {
  // A supplementary record's mate fields describe its primary's mate, which pairs with the primary: it is
  // alone in every intact file, so it says nothing about a filtered or truncated one.
  if ((mate.flag & BAM_FSUPPLEMENTARY) != 0) {
    ++supplementary_;
    return;
  }
  const std::string_view name = key.substr(0, key.size() - kPairingKeySuffix);
  if (count_++ == 0 || name < first_name_) first_name_ = name;
}

void LoneMates::report(const std::string& path, bool strict_pairs) const {
  if (count_ > 0) {
    const std::string message = std::to_string(count_) + " paired records never met their mate (e.g. read " +
                                quote_field(first_name_) + ")";
    if (strict_pairs) {
      throw InputError(path, "read " + quote_field(first_name_), message,
                       "the file may be filtered or truncated; drop --strict-pairs to count such mates alone");
    }
    log_warning(path + ": " + message + "; counted alone, as featureCounts does");
  }
  if (supplementary_ > 0) {
    log_debug(path + ": " + std::to_string(supplementary_) +
              " supplementary records counted alone (their mate is their primary's), as featureCounts does");
  }
}

double CountProfile::serial_share() const {
  const double serial = read.cpu_seconds + cut.cpu_seconds + pairing.cpu_seconds;
  const double total = serial + inflate.cpu_seconds + assign.cpu_seconds;
  return total > 0 ? serial / total : 0.0;
}

double StrandEvidence::forward_fraction() const {
  const std::uint64_t informative = same_strand + opposite_strand;
  return informative == 0 ? 0.5 : static_cast<double>(same_strand) / static_cast<double>(informative);
}

std::vector<std::int32_t> match_contigs(const GeneModel& model, const sam_hdr_t* header, const std::string& path) {
  const int n_targets = sam_hdr_nref(header);
  std::vector<std::int32_t> mapping(static_cast<std::size_t>(std::max(0, n_targets)), -1);
  bool any = false;
  std::size_t by_prefix = 0;
  std::string examples;  // of the contigs matched by a "chr" prefix, the first few
  constexpr std::size_t kExamples = 4;
  for (int tid = 0; tid < n_targets; ++tid) {
    const std::string name = sam_hdr_tid2name(header, tid);
    const auto match = model.find_contig(name);
    if (!match) continue;
    mapping[static_cast<std::size_t>(tid)] = static_cast<std::int32_t>(match->contig);
    any = true;
    if (match->rule != ContigRule::kChrRemoved && match->rule != ContigRule::kChrAdded) continue;
    if (by_prefix++ < kExamples) {
      examples += (examples.empty() ? "" : ", ") + quote_field(name) + " as " + quote_field(model.contigs()[match->contig]);
    }
  }
  if (by_prefix > 0) {
    log_info(path + ": " + std::to_string(by_prefix) + (by_prefix == 1 ? " contig" : " contigs") +
             " matched to the annotation's by adding or removing 'chr', as featureCounts does: " + examples +
             (by_prefix > kExamples ? ", ..." : ""));
  }
  if (!any && n_targets > 0 && !model.contigs().empty()) {
    const std::string bam_name = sam_hdr_tid2name(header, 0);
    const std::string annotation_name = model.contigs().front();
    throw InputError(path, "header",
                     "no contig name is shared with the annotation (alignments: " + quote_field(bam_name) +
                         ", ...; annotation: " + quote_field(annotation_name) + ", ...)",
                     "use the annotation of the same genome build, or map names with an alias file "
                     "(-A aliases.csv, lines 'annotation_name,alignment_name', e.g. " + quote_field(annotation_name + "," + bam_name) + ")");
  }
  return mapping;
}

FileCounts count_file(const std::string& path, const GeneModel& model, const FeatureIndex& index,
                      const CountOptions& options, Strandedness strandedness) {
  StrandEvidence evidence;
  strandedness = resolve_strandedness(path, model, index, options, strandedness, evidence);
  FileCounter counter(path, model, index, options, strandedness);
  FileCounts result = counter.run();
  result.strandedness = strandedness;
  result.strand_evidence = evidence;
  return result;
}

}  // namespace ifnsig
