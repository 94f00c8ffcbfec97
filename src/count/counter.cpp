#include "ifnsig/count/counter.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/assignment.hpp"
#include "ifnsig/count/strand_detection.hpp"
#include "mate_pairer.hpp"
#include "read_details.hpp"
#include "read_groups.hpp"
#include "record_source.hpp"
#include "tally.hpp"

namespace ifnsig::count {
namespace {

struct Batch {
  RecordBatch input;
  std::vector<MateHits> hits;  // per record
  MateBatch mates;             // --countReadPairs
  DetailLines details;         // -R: the lines of the reads and pairs completed within the batch
  LateDetails late_details;    // -R: those of the pairs its records complete across batches

  // Grows the per-record storage to n records; storage is kept for the next batches.
  void ensure_capacity(std::size_t n) {
    if (hits.size() < n) hits.resize(n);
  }
};

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
  FileCounter(const std::string& path, const annotation::GeneModel& model, const annotation::FeatureIndex& index,
              const CountOptions& options, Strandedness strandedness)
      : options_(options),
        split_(split_threads(options.threads, true)),
        reader_(path, options.reference_fasta, split_.htslib_threads),
        source_(open_record_source(reader_, options.input_md5)),
        contigs_(match_contig_names(model, reader_.header(), path)),
        evaluator_(index, options, contigs_.annotation_contig, strandedness),
        resolver_(options),
        details_(options.read_details
                     ? std::optional<ReadDetails>(std::in_place, model, options,
                                                  read_details_path(path, options.read_details_directory))
                     : std::nullopt),
        pairer_(options.waiting_mate_limit(), options.temp_directory, reader_.path(), details_ ? &*details_ : nullptr),
        n_targets_(index.n_targets()),
        read_groups_(options.by_read_group ? std::optional<ReadGroups>(std::in_place, reader_.header(), path)
                                           : std::nullopt),
        n_columns_(read_groups_ ? read_groups_->ids().size() : 1),
        tallies_([this] { return Tally(n_targets_, n_columns_, options_.junction_counts); }) {
    log_renamed_contigs(path, contigs_);
  }

  FileCounts run() {
    const auto start = std::chrono::steady_clock::now();
    Progress progress("counting " + reader_.path(), "records");
    // An arena of its own (Execution::run), so that several files can be counted at once from different
    // threads, each within its share of the budget.
    options_.run([&] { run_pipeline(progress); });
    source_->finish();
    FileCounts result = finish();
    if (options_.input_md5) result.input_md5 = source_->md5();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.profile = {clocks_.read.seconds(), clocks_.inflate.seconds(), clocks_.link.seconds(),
                      clocks_.assign.seconds(), clocks_.queue.seconds(), clocks_.pairing.seconds()};
    progress.finish(result.records);
    return result;
  }

 private:
  // Batches in flight bound memory: one per thread plus 4, allocated once and recycled. Serial stages, in
  // batch order, do only what depends on the batch before: claiming the next piece of the input (for BAM
  // files on disk, the next blocks by their headers; through HTSlib, decoding the records), linking a batch to the one
  // before (a record split between them) and queueing its waiting mates on their shards. Reading,
  // inflating, cutting, assigning and pairing run on any thread.
  void run_pipeline(Progress& progress) {
    const std::size_t n_batches = static_cast<std::size_t>(std::max(1, split_.total) + 4);
    for (std::size_t i = 0; i < n_batches; ++i) {
      batches_.push_back(std::make_unique<Batch>());
      batches_.back()->mates.late_details = &batches_.back()->late_details;
      free_batches_.push_back(batches_.back().get());
    }
    const bool pairing = options_.count_fragments;
    const auto read_stage = [&](tbb::flow_control& control) -> Batch* {
      Batch* batch = take_batch();
      if (clocks_.read.time([&] { return source_->claim(batch->input); })) return batch;
      recycle(batch);
      control.stop();
      return nullptr;
    };
    const auto load_stage = [&](Batch* batch) {
      clocks_.inflate.time([&] { source_->load(batch->input); });
      return batch;
    };
    const auto link_stage = [&](Batch* batch) {
      clocks_.link.time([&] { source_->link(batch->input); });
      progress.update(source_->records_read());
      return batch;
    };
    const auto assign_stage = [&](Batch* batch) {
      clocks_.assign.time([&] {
        source_->parse(batch->input);
        batch->ensure_capacity(batch->input.size);
        assign(*batch, tallies_.local());
      });
      return batch;
    };
    const auto queue_stage = [&](Batch* batch) {
      if (pairing) clocks_.queue.time([&] { pairer_.queue(batch->mates); });
      return batch;
    };
    const auto pairing_stage = [&](Batch* batch) {
      if (pairing) clocks_.pairing.time([&] { pairer_.pair(batch->mates, resolver_, tallies_.local()); });
      return batch;
    };
    // -R: a batch's lines once its pairs across batches are complete, in batch order.
    const auto details_stage = [&](Batch* batch) {
      if (details_) {
        details_->write_batch(batch->details, batch->late_details.lines);
        batch->details.clear();
      }
      recycle(batch);
    };
    tbb::parallel_pipeline(n_batches,
                           tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order, read_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, load_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::serial_in_order, link_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, assign_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::serial_in_order, queue_stage) &
                               tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, pairing_stage) &
                               tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, details_stage));
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

  void assign(Batch& batch, Tally& tally) const {
    const RecordBatch& input = batch.input;
    if (!options_.count_fragments) {
      for (std::size_t i = 0; i < input.size; ++i) {
        const bam1_t* record = input.record(i);
        if (!options_.paired && (record->core.flag & BAM_FPAIRED)) reject_paired(reader_.path(), record);
        evaluator_.evaluate(record, batch.hits[i]);
        if (read_groups_) batch.hits[i].read_group = read_groups_->of(record);
        count(batch, i, tally, batch.hits[i], nullptr);
      }
      return;
    }
    batch.mates.reset(input.size, batch.hits.data());
    for (std::size_t i = 0; i < input.size; ++i) {
      const bam1_t* record = input.record(i);
      evaluator_.evaluate(record, batch.hits[i]);
      if (read_groups_) batch.hits[i].read_group = read_groups_->of(record);
      if ((record->core.flag & BAM_FPAIRED) == 0) {
        count(batch, i, tally, batch.hits[i], nullptr);
        continue;
      }
      const std::size_t mate = batch.mates.offer(record, i);
      if (mate != MateBatch::kNoMate) count(batch, i, tally, batch.hits[mate], &batch.hits[i]);
    }
    batch.mates.close();
  }

  // A read or pair completed by record i of the batch.
  void count(Batch& batch, std::size_t i, Tally& tally, const MateHits& first, const MateHits* second) const {
    const auto status = tally.record(resolver_, first, second);
    if (!details_ || !status) return;
    details_->add(batch.details, i, bam_get_qname(batch.input.record(i)), *status, tally.targets);
  }

  FileCounts finish() {
    Tally alone(n_targets_, n_columns_, options_.junction_counts);
    DetailLines end_lines;
    const LoneMates lone = pairer_.finish(resolver_, alone, end_lines);
    lone.report(reader_.path(), options_.strict_pairs);
    if (details_) {
      details_->write_lines(end_lines);
      details_->commit();
    }
    FileCounts result;
    result.path = reader_.path();
    result.format = reader_.format_name();
    result.records = source_->records_read();
    result.lone_mates = lone.count();
    result.lone_supplementary = lone.supplementary();
    result.renamed_contigs = contigs_.renamed;
    for (const Tally& tally : tallies_) {
      for (std::size_t u = 0; u < alone.units.size(); ++u) alone.units[u] += tally.units[u];
      for (std::size_t c = 0; c < n_columns_; ++c) alone.status[c] += tally.status[c];
    }
    if (options_.junction_counts) result.junctions = merged_junctions(alone);
    if (!read_groups_) {
      result.target_units = std::move(alone.units);
      result.status = alone.status.front();
      return result;
    }
    result.target_units.assign(n_targets_, 0);
    for (std::size_t c = 0; c < n_columns_; ++c) {
      ReadGroupCounts& group = result.read_groups.emplace_back();
      group.id = read_groups_->ids()[c];
      group.target_units.assign(alone.units.begin() + static_cast<std::ptrdiff_t>(c * n_targets_),
                                alone.units.begin() + static_cast<std::ptrdiff_t>((c + 1) * n_targets_));
      group.status = alone.status[c];
      for (std::size_t t = 0; t < n_targets_; ++t) result.target_units[t] += group.target_units[t];
      result.status += group.status;
    }
    return result;
  }

  // The junctions of every thread's tally and of `alone`'s, summed, with the alignments' contig names.
  std::vector<JunctionCount> merged_junctions(const Tally& alone) const {
    JunctionTally::Counts sums = alone.junctions.counts();
    for (const Tally& tally : tallies_) {
      for (const auto& [key, count] : tally.junctions.counts()) sums[key] += count;
    }
    std::vector<JunctionCount> junctions;
    junctions.reserve(sums.size());
    for (const auto& [key, count] : sums) {
      junctions.push_back({sam_hdr_tid2name(reader_.header(), key.tid), key.junction, count});
    }
    return junctions;
  }

  const CountOptions& options_;
  ThreadSplit split_;
  AlignmentReader reader_;
  std::unique_ptr<RecordSource> source_;
  struct {
    StageClock read, inflate, link, assign, queue, pairing;
  } clocks_;
  ContigMatching contigs_;
  RecordEvaluator evaluator_;
  FragmentResolver resolver_;
  std::optional<ReadDetails> details_;  // -R
  MatePairer pairer_;
  std::size_t n_targets_;
  std::optional<ReadGroups> read_groups_;  // --byReadGroup
  std::size_t n_columns_;                  // of each tally: the read groups, else 1
  tbb::enumerable_thread_specific<Tally> tallies_;
  std::vector<std::unique_ptr<Batch>> batches_;
  std::vector<Batch*> free_batches_;
  std::mutex free_mutex_;
};

}  // namespace

double CountProfile::serial_share() const {
  const double serial = read.cpu_seconds + link.cpu_seconds + queue.cpu_seconds;
  const double total = serial + inflate.cpu_seconds + assign.cpu_seconds + pairing.cpu_seconds;
  return total > 0 ? serial / total : 0.0;
}

double StrandEvidence::forward_fraction() const {
  const std::uint64_t informative = same_strand + opposite_strand;
  return informative == 0 ? 0.5 : static_cast<double>(same_strand) / static_cast<double>(informative);
}

const char* renamed_contig_rule_name(annotation::ContigRule rule) {
  switch (rule) {
    case annotation::ContigRule::kAlias: return "alias";
    case annotation::ContigRule::kChrRemoved: return "chr removed";
    case annotation::ContigRule::kChrAdded: return "chr added";
    case annotation::ContigRule::kSameName: break;
  }
  return "same name";
}

namespace {

// "<path>: 2 contigs matched ...: 'chr4' as '4', ..." for the renamed contigs of the given rules.
void log_renamed(const std::string& path, const std::vector<RenamedContig>& renamed, bool aliases,
                 const char* how) {
  constexpr std::size_t kExamples = 4;
  std::size_t count = 0;
  std::string examples;
  for (const auto& contig : renamed) {
    if ((contig.rule == annotation::ContigRule::kAlias) != aliases) continue;
    if (count++ < kExamples) {
      examples += (examples.empty() ? "" : ", ") + quote_field(contig.alignment) + " as " + quote_field(contig.annotation);
    }
  }
  if (count == 0) return;
  log_info(path + ": " + std::to_string(count) + (count == 1 ? " contig" : " contigs") + " matched to the annotation's " +
           how + ": " + examples + (count > kExamples ? ", ..." : ""));
}

}  // namespace

ContigMatching match_contig_names(const annotation::GeneModel& model, const sam_hdr_t* header,
                                  const std::string& path) {
  const int n_targets = sam_hdr_nref(header);
  ContigMatching matching;
  matching.annotation_contig.assign(static_cast<std::size_t>(std::max(0, n_targets)), -1);
  bool any = false;
  for (int tid = 0; tid < n_targets; ++tid) {
    const std::string name = sam_hdr_tid2name(header, tid);
    const auto match = model.find_contig(name);
    if (!match) continue;
    matching.annotation_contig[static_cast<std::size_t>(tid)] = static_cast<std::int32_t>(match->contig);
    any = true;
    if (match->rule != annotation::ContigRule::kSameName) {
      matching.renamed.push_back({name, model.contigs()[match->contig], match->rule});
    }
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
  return matching;
}

void log_renamed_contigs(const std::string& path, const ContigMatching& matching) {
  log_renamed(path, matching.renamed, true, "through the aliases of -A");
  log_renamed(path, matching.renamed, false, "by adding or removing 'chr', as featureCounts does");
}

FileCounts count_file(const std::string& path, const annotation::GeneModel& model,
                      const annotation::FeatureIndex& index, const CountOptions& options, Strandedness strandedness) {
  StrandEvidence evidence;
  strandedness = resolve_strandedness(path, model, index, options, strandedness, evidence);
  FileCounter counter(path, model, index, options, strandedness);
  FileCounts result = counter.run();
  result.strandedness = strandedness;
  result.strand_evidence = evidence;
  return result;
}

}  // namespace ifnsig::count
