// Owns (inside count): --countReadPairs pairing in whole-file counting: each batch's pairing keys and the
//       pairs completed by neighbouring records within it (MateBatch); the records left over, waiting for
//       their mate across batches in shards chosen by key hash, each a MateTable spilled to disk past its
//       share of the bound (MatePairer); and the records whose mate never appeared, counted alone at the end.
// Thread-safety: a MateBatch belongs to one batch at a time. MatePairer::queue in batch order from one thread
//                at a time; pair() from any thread after its batch was queued; finish() once, at the end.
// Invariant: each shard takes its records in file order (batches queued in order, each drained under the
//            shard's lock), so which record waits and which completes a pair, when a shard spills, and so
//            every count, do not depend on the thread count.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mate_spill.hpp"
#include "mate_table.hpp"
#include "read_details.hpp"
#include "tally.hpp"

namespace ifnsig::count {

inline constexpr std::size_t kMateShards = 16;

class MateBatch {
 public:
  static constexpr std::size_t kNoMate = static_cast<std::size_t>(-1);

  // Before a batch of n records whose hits are hits[0, n).
  void reset(std::size_t n_records, const MateHits* hits);
  // Paired record i, in file order: returns the slot of the earlier record of this batch it completes a pair
  // with, or kNoMate (it waits: for the next record, then for pairing across batches).
  std::size_t offer(const bam1_t* record, std::size_t i);
  // After the batch's last record: the records still waiting are grouped by shard for MatePairer.
  void close();

 private:
  friend class MatePairer;
  std::string_view key(std::size_t i) const { return {key_bytes_.data() + key_starts_[i], key_lengths_[i]}; }
  void leave(std::size_t slot);

  const MateHits* hits_ = nullptr;
  // Pairing keys of paired records, back to back in one buffer: record i's is key_bytes_[key_starts_[i],
  // key_starts_[i] + key_lengths_[i]). The buffer only grows (a string's resize would zero every key's bytes
  // before they are written).
  std::string key_bytes_;
  std::size_t key_bytes_used_ = 0;
  std::vector<std::uint32_t> key_starts_;
  std::vector<std::uint32_t> key_lengths_;
  std::vector<std::uint64_t> key_hashes_;
  std::size_t pending_ = kNoMate;  // the last paired record, not yet paired
  const bam1_t* pending_record_ = nullptr;
  std::vector<std::size_t> leftovers_;  // slots waiting for pairing across batches, by shard once closed
  std::array<std::uint32_t, kMateShards + 1> shard_starts_{};  // leftovers_[shard_starts_[s], shard_starts_[s + 1])
  std::vector<std::size_t> scratch_;

 public:
  LateDetails* late_details = nullptr;  // -R: the lines of the pairs this batch's records complete across batches
};

class MatePairer {
 public:
  // waiting_limit: mates held in memory before spilling to temp_directory. path: the input, for messages.
  // details: -R's lines, else nullptr.
  MatePairer(std::size_t waiting_limit, std::filesystem::path temp_directory, std::string path,
             const ReadDetails* details);

  void queue(const MateBatch& batch);
  // Pairs the batch's waiting records (and any queued before them in their shards) with the mates waiting
  // there, tallying complete pairs; on return the batch is no longer referenced.
  void pair(const MateBatch& batch, const FragmentResolver& resolver, Tally& tally);
  // After the last batch: pairs the spilled mates, counts alone (and tallies) the records whose mate never
  // appeared; with -R, their lines go to end_lines.
  LoneMates finish(const FragmentResolver& resolver, Tally& tally, DetailLines& end_lines);

 private:
  struct Group {
    const MateBatch* batch;
    std::uint32_t begin, end;  // in batch->leftovers_
  };
  struct Shard {
    std::mutex mutex;
    std::deque<Group> queue;
    MateTable table;
    std::unique_ptr<MateSpill> spill;
  };
  void drain(Shard& shard, const FragmentResolver& resolver, Tally& tally);
  void pair_group(Shard& shard, const Group& group, const FragmentResolver& resolver, Tally& tally);

  std::size_t shard_limit_;
  std::filesystem::path temp_directory_;
  std::string path_;
  const ReadDetails* details_;
  std::once_flag spill_logged_;
  std::array<Shard, kMateShards> shards_;
};

}  // namespace ifnsig::count
