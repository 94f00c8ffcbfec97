// Counting chosen targets only (count_file_targets). A read can count for a target only if one of its
// aligned blocks overlaps one of the target's exons, so the records read through the index are those
// overlapping the exons (widened by any read extension). Each is evaluated against the whole annotation, so
// that ambiguity, -O, --largestOverlap and --fraction see every gene it overlaps. With --countReadPairs a
// fragment is resolved from both mates, so a mate lying elsewhere is fetched at the position its partner's
// record gives (and, when that record gives none, looked for among the unplaced reads at the end of the
// file); only what is still unpaired after that is counted alone, as whole-file counting does.
#include <htslib/sam.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/assignment.hpp"
#include "ifnsig/count/counter.hpp"
#include "mate_table.hpp"
#include "remote_bam_copy.hpp"
#include "ifnsig/count/strand_detection.hpp"
#include "tally.hpp"

namespace ifnsig::count {
namespace {

using Interval = std::pair<std::int64_t, std::int64_t>;

// Sorts each contig's intervals and merges those that overlap or touch; drops empty contigs.
std::vector<ContigRegions> merged(std::vector<ContigRegions> regions) {
  std::vector<ContigRegions> out;
  std::sort(regions.begin(), regions.end(), [](const auto& a, const auto& b) { return a.tid < b.tid; });
  for (auto& contig : regions) {
    if (contig.intervals.empty()) continue;
    std::sort(contig.intervals.begin(), contig.intervals.end());
    std::vector<Interval> joined;
    for (const Interval& interval : contig.intervals) {
      if (!joined.empty() && interval.first <= joined.back().second) {
        joined.back().second = std::max(joined.back().second, interval.second);
      } else {
        joined.push_back(interval);
      }
    }
    contig.intervals = std::move(joined);
    out.push_back(std::move(contig));
  }
  return out;
}

class TargetedCounter {
 public:
  // remote: the copy of an http(s) file that `path` names, or nullptr.
  TargetedCounter(const std::string& path, RemoteBamCopy* remote, const annotation::GeneModel& model,
                  const annotation::FeatureIndex& index, const CountOptions& options, Strandedness strandedness)
      : options_(options),
        path_(path),
        remote_(remote),
        // No HTSlib thread pool: with one, HTSlib's CRAM region queries can miss reads, varying from run to run
        // (seen here on a generated CRAM; samtools issue 2285). A local BAM is decoded on this thread anyway.
        reader_(remote != nullptr ? remote->local_path() : path, options.reference_fasta, 0),
        contigs_(match_contig_names(model, reader_.header(), path)),
        evaluator_(index, options, contigs_.annotation_contig, strandedness),
        resolver_(options),
        tally_(index.n_targets()),
        record_(io::new_record()) {
    log_renamed_contigs(path, contigs_);
    std::error_code error;
    const auto size = std::filesystem::file_size(reader_.path(), error);
    if (!error) file_bytes_ = size;
  }

  FileCounts run(const annotation::GeneModel& model, const std::vector<std::uint32_t>& targets) {
    TargetedReading reading;
    reading.targets = targets.size();
    const std::vector<ContigRegions> regions = target_regions(model, targets);
    load_index_for(regions);
    for (const auto& contig : regions) {
      reading.regions += contig.intervals.size();
      for (const auto& [begin, end] : contig.intervals) reading.region_bases += static_cast<std::uint64_t>(end - begin);
    }
    reading.region_records = read_regions(regions, reading);
    if (options_.count_fragments) fetch_distant_mates(reading);
    LoneMates lone;
    for (const auto* entry : waiting_.waiting()) {
      tally_.record(resolver_, entry->mate, nullptr);
      lone.add(entry->key(), entry->mate);
    }
    lone.report(path_, options_.strict_pairs);
    index_totals(reading);
    if (remote_ != nullptr) {
      reading.remote_bytes = remote_->bytes_fetched();
      reading.remote_requests = remote_->requests();
    }

    FileCounts result;
    result.path = path_;
    result.format = reader_.format_name();
    result.records = reader_.records_read();
    result.lone_mates = lone.count();
    result.lone_supplementary = lone.supplementary();
    result.target_units = std::move(tally_.units);
    result.status = tally_.status.front();
    result.targeted = std::move(reading);
    result.renamed_contigs = contigs_.renamed;
    return result;
  }

 private:
  // The targets' exons on the alignment file's contigs (several when -A or the "chr" rule maps more than
  // one alignment contig to an annotation contig), widened by the read extension.
  std::vector<ContigRegions> target_regions(const annotation::GeneModel& model,
                                            const std::vector<std::uint32_t>& targets) const {
    std::vector<std::vector<int>> tids_of_contig(model.contigs().size());
    for (std::size_t tid = 0; tid < contigs_.annotation_contig.size(); ++tid) {
      const std::int32_t contig = contigs_.annotation_contig[tid];
      if (contig >= 0) tids_of_contig[static_cast<std::size_t>(contig)].push_back(static_cast<int>(tid));
    }
    std::vector<ContigRegions> regions(contigs_.annotation_contig.size());
    for (std::size_t tid = 0; tid < regions.size(); ++tid) regions[tid].tid = static_cast<int>(tid);
    const std::int64_t widen = std::max(options_.extend_5prime_bp, options_.extend_3prime_bp);
    const auto add_exon = [&](std::uint32_t e) {
      const annotation::Exon& exon = model.exons()[e];
      for (const int tid : tids_of_contig[exon.contig]) {
        regions[static_cast<std::size_t>(tid)].intervals.emplace_back(std::max<std::int64_t>(0, exon.start - 1 - widen),
                                                                      exon.end + widen);
      }
    };
    for (const std::uint32_t target : targets) {
      if (options_.feature_level) {
        add_exon(target);
      } else {
        for (const std::uint32_t e : model.genes()[target].exons) add_exon(e);
      }
    }
    return merged(std::move(regions));
  }

  // Loads the index for a query of the regions (again for each query of a remote file, whose index holds only
  // the linear-index entries fetched for the queries so far).
  void load_index_for(const std::vector<ContigRegions>& regions) {
    if (remote_ != nullptr) {
      remote_->fetch_index_windows(regions);
    } else if (reader_.index() != nullptr) {
      return;
    }
    reader_.load_index();
  }

  // Before an iterator's first read: counts the compressed bytes it will read and, for a remote file, fetches
  // them.
  void prepare(const hts_itr_t* iterator, TargetedReading& reading) {
    const std::vector<VirtualChunk> chunks = chunks_read_by(iterator);
    reading.compressed_bytes += compressed_span(chunks, file_bytes_);
    if (remote_ != nullptr) remote_->fetch(chunks);
  }

  // Reads and counts every record overlapping the regions; returns how many.
  std::uint64_t read_regions(const std::vector<ContigRegions>& regions, TargetedReading& reading) {
    RegionQuery query = reader_.query(regions);
    if (query.empty()) return 0;
    prepare(query.multi_iterator(), reading);
    std::uint64_t n = 0;
    MateHits hits;
    while (reader_.read(query, record_.get())) {
      ++n;
      const bam1_t* record = record_.get();
      evaluator_.evaluate(record, hits);
      if (!options_.count_fragments) {
        if (!options_.paired && (record->core.flag & BAM_FPAIRED)) reject_paired(path_, record);
        tally_.record(resolver_, hits, nullptr);
      } else if ((record->core.flag & BAM_FPAIRED) == 0) {
        tally_.record(resolver_, hits, nullptr);
      } else {
        pair_or_wait(record, hits, false);
      }
    }
    return n;
  }

  // Mates seen so far either pair or wait. Among the records fetched for mates only those completing a
  // waiting record count: a record that was read with the regions and still waits is found under its own
  // key, and is not its own mate.
  void pair_or_wait(const bam1_t* record, const MateHits& hits, bool only_complete) {
    const std::size_t name_length = std::strlen(bam_get_qname(record));
    key_.resize(pairing_key_size(name_length));
    write_pairing_key(record, hits.hi, name_length, key_.data());
    const std::uint64_t hash = MateTable::hash(key_);
    const std::uint32_t waiting = waiting_.find(hash, key_);
    if (waiting != MateTable::kNotFound &&
        (!only_complete || complementary_reads(waiting_.entry(waiting).mate.flag, record->core.flag))) {
      tally_.record(resolver_, waiting_.entry(waiting).mate, &hits);
      waiting_.erase(waiting);
      return;
    }
    if (!only_complete && waiting == MateTable::kNotFound) waiting_.insert(hash, key_, hits);
  }

  // Looks up, at the positions their partners' records give, the mates of the records still waiting; then,
  // for those whose record gives no position, the unplaced reads. Supplementary records wait for no mate.
  void fetch_distant_mates(TargetedReading& reading) {
    std::vector<ContigRegions> positions(contigs_.annotation_contig.size());
    for (std::size_t tid = 0; tid < positions.size(); ++tid) positions[tid].tid = static_cast<int>(tid);
    bool unplaced = false;
    for (const auto* entry : waiting_.waiting()) {
      if (entry->mate.flag & BAM_FSUPPLEMENTARY) continue;
      const MatePosition mate = partner_position(entry->key(), (entry->mate.flag & BAM_FREAD2) != 0);
      if (mate.tid < 0 || static_cast<std::size_t>(mate.tid) >= positions.size() || mate.pos < 0) {
        unplaced = true;
        continue;
      }
      positions[static_cast<std::size_t>(mate.tid)].intervals.emplace_back(mate.pos, mate.pos + 1);
      ++reading.mate_positions;
    }
    const std::uint64_t before = reader_.records_read();
    positions = merged(std::move(positions));
    load_index_for(positions);
    if (RegionQuery query = reader_.query(positions); !query.empty()) {
      prepare(query.multi_iterator(), reading);
      read_mates(query);
    }
    reading.mate_records = reader_.records_read() - before;
    if (!unplaced) return;
    RegionQuery query = reader_.query_unplaced();
    prepare(query.multi_iterator(), reading);
    read_mates(query);
    reading.unplaced_records = reader_.records_read() - before - reading.mate_records;
  }

  void read_mates(RegionQuery& query) {
    MateHits hits;
    while (waiting_.size() > 0 && reader_.read(query, record_.get())) {
      if ((record_->core.flag & BAM_FPAIRED) == 0) continue;
      evaluator_.evaluate(record_.get(), hits);
      pair_or_wait(record_.get(), hits, true);
    }
  }

  // The index's mapped and unmapped totals per contig, as samtools idxstats (BAM indexes keep them; a contig
  // without reads has none, and counts 0), and the file's size.
  void index_totals(TargetedReading& reading) const {
    reading.file_bytes = file_bytes_;
    if (std::string_view(reader_.format_name()) != "BAM") return;
    const sam_hdr_t* header = reader_.header();
    for (int tid = 0; tid < sam_hdr_nref(header); ++tid) {
      std::uint64_t mapped = 0;
      std::uint64_t unmapped = 0;
      if (hts_idx_get_stat(reader_.index(), tid, &mapped, &unmapped) < 0) mapped = unmapped = 0;
      reading.index_totals.push_back({sam_hdr_tid2name(header, tid), mapped, unmapped});
    }
    reading.unplaced = hts_idx_get_n_no_coor(reader_.index());
  }

  const CountOptions& options_;
  std::string path_;        // as given: a remote file's URL, not its copy's path
  RemoteBamCopy* remote_;
  AlignmentReader reader_;
  std::uint64_t file_bytes_ = 0;
  ContigMatching contigs_;
  RecordEvaluator evaluator_;
  FragmentResolver resolver_;
  Tally tally_;
  MateTable waiting_;
  io::RecordPtr record_;
  std::string key_;
};

}  // namespace

std::vector<std::uint32_t> targets_of_genes(const annotation::GeneModel& model, bool feature_level,
                                            const std::vector<std::uint32_t>& genes) {
  std::vector<std::uint32_t> targets;
  for (const std::uint32_t gene : genes) {
    if (!feature_level) {
      targets.push_back(gene);
      continue;
    }
    const auto& exons = model.genes()[gene].exons;
    targets.insert(targets.end(), exons.begin(), exons.end());
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  return targets;
}

FileCounts count_file_targets(const std::string& path, const annotation::GeneModel& model,
                              const annotation::FeatureIndex& index, const CountOptions& options,
                              Strandedness strandedness, const std::vector<std::uint32_t>& targets) {
  if (path == "-") {
    throw UsageError("--genes reads by region, which standard input cannot do", "give the path of an indexed BAM or CRAM");
  }
  const auto start = std::chrono::steady_clock::now();
  StrandEvidence evidence;
  strandedness = resolve_strandedness(path, model, index, options, strandedness, evidence);
  const std::unique_ptr<RemoteBamCopy> remote =
      RemoteBamCopy::handles(path) ? RemoteBamCopy::open(path, options.temp_directory) : nullptr;
  TargetedCounter counter(path, remote.get(), model, index, options, strandedness);
  FileCounts result = counter.run(model, targets);
  result.strandedness = strandedness;
  result.strand_evidence = evidence;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ifnsig::count
