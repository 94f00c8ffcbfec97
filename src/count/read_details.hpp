// Owns (inside count): -R CORE, the per-read assignment file <input name>.featureCounts: its lines in
//       featureCounts 2.0.3's format ("name<TAB>status<TAB>n<TAB>targets"), gathered per batch and written in
//       an order that does not depend on the thread count.
// Thread-safety: ReadDetails::add from any thread into a DetailLines of its own (LateDetails under its
//                mutex); write_batch and write_lines from one thread at a time, in batch order.
// Invariant: a line sits at the place of the record that completed its read or pair (in-batch lines in record
//            order, the batch's pairs completed across batches merged in by that record's slot); the pairs
//            paired from spilled runs and the mates counted alone at the end follow the last batch.
#pragma once
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/count/assignment.hpp"
#include "ifnsig/count/count_options.hpp"
#include "ifnsig/count/read_status.hpp"

namespace ifnsig::count {

// Lines, each with the slot (in its batch) of the record that completed it.
struct DetailLines {
  std::string text;
  std::vector<std::uint32_t> slots;
  std::vector<std::size_t> ends;  // of each line in text
  void clear();
};

// The lines of a batch's pairs completed across batches, added by whichever thread pairs them.
struct LateDetails {
  std::mutex mutex;
  DetailLines lines;
};

class ReadDetails {
 public:
  ReadDetails(const annotation::GeneModel& model, const CountOptions& options, const std::filesystem::path& file);

  // A read's or pair's line; `targets` (sorted here by target) are those it was assigned to.
  void add(DetailLines& lines, std::size_t slot, std::string_view name, ReadStatus status,
           std::vector<TargetHit>& targets) const;
  // A batch's lines: `in_batch` in slot order, `late` merged in by slot (and cleared).
  void write_batch(const DetailLines& in_batch, DetailLines& late);
  void write_lines(const DetailLines& lines);
  void commit() { file_.commit(); }

 private:
  std::vector<std::string> target_names_;  // gene ids (features: their gene's id)
  bool non_split_only_;
  AtomicFile file_;
  std::vector<std::uint32_t> order_;  // scratch
};

}  // namespace ifnsig::count
