// Writing one sample's BAM: a TBB pipeline over batches of planned records (plan a contig when the
// previous one runs out, build records in parallel, write in order), HTSlib compressing in its own pool
// and indexing as it writes.
#include <htslib/hts.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <memory>
#include <mutex>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/io/hts.hpp"
#include "record_builder.hpp"
#include "ifnsig/sim/simulator.hpp"

namespace ifnsig::sim {
namespace {

constexpr std::size_t kBatchRecords = 4096;
constexpr int kCsiMinShift = 14;

struct Batch {
  std::shared_ptr<const ContigPlan> plan;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<io::RecordPtr> records;
};

struct WorkerScratch {
  FragmentLayout layout;
  RecordScratch record;
  char name[48];
};

// Reused batches: the pipeline bounds how many are in flight.
class BatchPool {
 public:
  Batch* acquire() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) {
      owned_.push_back(std::make_unique<Batch>());
      for (std::size_t i = 0; i < kBatchRecords; ++i) owned_.back()->records.emplace_back(bam_init1());
      return owned_.back().get();
    }
    Batch* batch = free_.back();
    free_.pop_back();
    return batch;
  }
  void release(Batch* batch) {
    batch->plan.reset();
    std::lock_guard lock(mutex_);
    free_.push_back(batch);
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Batch>> owned_;
  std::vector<Batch*> free_;
};

// Read names without printf: m<multi>, r<contig>.<fragment> and r<contig>.<fragment>.d<copy> for duplicates.
char* append_number(char* out, std::uint32_t value) { return std::to_chars(out, out + 10, value).ptr; }

void multi_name(char* name, std::uint32_t multi) {
  name[0] = 'm';
  *append_number(name + 1, multi) = '\0';
}

void fragment_name(char* name, std::uint32_t contig, std::uint32_t fragment, std::uint32_t copy) {
  name[0] = 'r';
  char* out = append_number(name + 1, contig);
  *out++ = '.';
  out = append_number(out, fragment);
  if (copy > 0) {
    *out++ = '.';
    *out++ = 'd';
    out = append_number(out, copy);
  }
  *out = '\0';
}

std::string header_text(const SampleOutput& output) {
  std::string text = "@HD\tVN:1.6\tSO:coordinate\n";
  for (const auto& contig : output.genome->contigs()) {
    text += "@SQ\tSN:" + contig.name + "\tLN:" + std::to_string(contig.length_bp) + "\n";
  }
  text += "@RG\tID:" + output.sample_id + "\tSM:" + output.sample_id + "\tPL:ILLUMINA\n";
  text += "@PG\tID:ifnsig-simulate\tPN:ifnsig\tVN:" + ifnsig_version() + "\tCL:" + output.options->describe() + "\n";
  return text;
}

void build_batch(const SampleOutput& output, const RecordBuilder& builder, Batch& batch, WorkerScratch& scratch) {
  const ContigPlan& plan = *batch.plan;
  const auto& multis = output.planner->multis();
  for (std::size_t i = batch.begin; i < batch.end; ++i) {
    const RecordPlan& planned = plan.records[i];
    RecordRequest request;
    request.layout = &scratch.layout;
    request.role = static_cast<RecordRole>(planned.role);
    request.name = scratch.name;
    if (planned.multi != 0) {
      const MultiRecipe& multi = multis[planned.index];
      output.layouter->layout(multi.loci[planned.copy], true, scratch.layout);
      request.seed = mix_seed(multi.loci[0].seed, 100 + planned.role);
      request.secondary = planned.copy > 0;
      request.nh = multi.n_loci;
      request.hi = planned.copy + 1;
      multi_name(scratch.name, planned.index);
    } else {
      const FragmentRecipe& recipe = plan.recipes[planned.index];
      output.layouter->layout(recipe, false, scratch.layout);
      request.seed = mix_seed(recipe.seed, 100 + 4u * planned.copy + planned.role);
      request.duplicate = planned.copy > 0;
      fragment_name(scratch.name, plan.contig, planned.index, planned.copy);
    }
    builder.build(request, scratch.record, batch.records[i - batch.begin].get());
  }
}

// Removes the temporary BAM and index unless they were renamed into place.
struct TempFiles {
  std::string bam;
  std::string index;
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove(bam, ignored);
    std::filesystem::remove(index, ignored);
  }
};

}  // namespace

PlanCounts write_sample_bam(const SampleOutput& output) {
  const std::string index_suffix = output.options->csi_index ? ".csi" : ".bai";
  const std::string temp_base = output.path + ".tmp." + std::to_string(getpid());
  const TempFiles temp{temp_base, temp_base + index_suffix};
  const std::string& temp_bam = temp.bam;
  const std::string& temp_index = temp.index;
  const std::string mode = "wb" + std::to_string(output.options->compression_level);
  io::HtsFilePtr file(hts_open(temp_bam.c_str(), mode.c_str()));
  if (!file) throw InputError(output.path, "", "cannot create the BAM file", "check that the directory is writable");
  if (output.htslib_threads > 0) hts_set_threads(file.get(), output.htslib_threads);
  const std::string text = header_text(output);
  io::HeaderPtr header(sam_hdr_parse(text.size(), text.c_str()));
  if (!header || sam_hdr_write(file.get(), header.get()) < 0) throw Error("cannot write the BAM header of " + output.path);
  // A single-threaded writer indexes while writing, so the BAM is not read back. With HTSlib's writing
  // threads, HTSlib 1.16's on-the-fly index is sometimes wrong (about one run in six on the determinism
  // test's BAM differed from `samtools index`), so the BAM is indexed once written.
  const int min_shift = output.options->csi_index ? kCsiMinShift : 0;
  const bool index_while_writing = output.htslib_threads == 0;
  if (index_while_writing && sam_idx_init(file.get(), header.get(), min_shift, temp_index.c_str()) != 0) {
    throw Error("cannot start the index of " + output.path);
  }

  const RecordBuilder builder(*output.genome, *output.options);
  const auto n_contigs = static_cast<std::uint32_t>(output.genome->contigs().size());
  tbb::enumerable_thread_specific<WorkerScratch> scratch;
  BatchPool pool;
  PlanCounts counts;
  counts.multimappers = output.planner->multis().size();
  std::uint32_t next_contig = 0;
  std::shared_ptr<const ContigPlan> current;
  std::size_t next_record = 0;
  std::uint64_t written = 0;
  Progress progress("simulate " + output.sample_id, "records");
  tbb::parallel_pipeline(
      static_cast<std::size_t>(4 * output.tbb_threads),
      tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& control) -> Batch* {
                                       while (!current || next_record == current->records.size()) {
                                         if (next_contig == n_contigs) {
                                           control.stop();
                                           return nullptr;
                                         }
                                         auto plan = std::make_shared<ContigPlan>(output.planner->plan_contig(next_contig++));
                                         SamplePlanner::tally(*plan, counts);
                                         current = std::move(plan);
                                         next_record = 0;
                                       }
                                       Batch* batch = pool.acquire();
                                       batch->plan = current;
                                       batch->begin = next_record;
                                       batch->end = std::min(next_record + kBatchRecords, current->records.size());
                                       next_record = batch->end;
                                       return batch;
                                     }) &
          tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                           [&](Batch* batch) {
                                             build_batch(output, builder, *batch, scratch.local());
                                             return batch;
                                           }) &
          tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* batch) {
            for (std::size_t i = 0; i < batch->end - batch->begin; ++i) {
              if (sam_write1(file.get(), header.get(), batch->records[i].get()) < 0) {
                throw Error("cannot write to " + temp_bam, "is the disk full?");
              }
            }
            written += batch->end - batch->begin;
            progress.update(written);
            pool.release(batch);
          }));
  if (index_while_writing && sam_idx_save(file.get()) != 0) {
    throw Error("cannot write the index of " + temp_bam, "is the disk full?");
  }
  if (hts_close(file.release()) != 0) throw Error("cannot finish writing " + temp_bam, "is the disk full?");
  if (!index_while_writing &&
      sam_index_build3(temp_bam.c_str(), temp_index.c_str(), min_shift, output.htslib_threads) != 0) {
    throw Error("cannot write the index of " + temp_bam, "is the disk full?");
  }
  progress.finish(written);
  std::filesystem::rename(temp_bam, output.path);
  std::filesystem::rename(temp_index, output.path + index_suffix);
  return counts;
}

}  // namespace ifnsig::sim
