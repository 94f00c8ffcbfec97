#include "mate_pairer.hpp"

#include <algorithm>
#include <cstring>

#include "ifnsig/core/log.hpp"

namespace ifnsig::count {
namespace {

// Whether two neighbouring records with equal pairing keys are mates. The positions are part of the key;
// comparing them first rejects neighbours of coordinate-sorted input without comparing their keys.
bool are_mates(const bam1_t* a, const bam1_t* b) {
  return complementary_reads(a->core.flag, b->core.flag) && a->core.pos == b->core.mpos &&
         a->core.mpos == b->core.pos && a->core.tid == b->core.mtid && a->core.mtid == b->core.tid;
}

// The shard of a key: the hash's top bits (a MateTable places keys by its low bits).
std::size_t shard_of(std::uint64_t hash) { return static_cast<std::size_t>(hash >> 60) % kMateShards; }
static_assert(kMateShards <= 16, "shard_of takes the top 4 bits of the hash");

}  // namespace

void MateBatch::reset(std::size_t n_records, const MateHits* hits) {
  hits_ = hits;
  if (key_starts_.size() < n_records) {
    key_starts_.resize(n_records);
    key_lengths_.resize(n_records);
    key_hashes_.resize(n_records);
  }
  key_bytes_used_ = 0;
  pending_ = kNoMate;
  pending_record_ = nullptr;
  leftovers_.clear();
}

std::size_t MateBatch::offer(const bam1_t* record, std::size_t i) {
  const std::size_t name_length = std::strlen(bam_get_qname(record));
  const std::size_t start = key_bytes_used_;
  key_bytes_used_ += pairing_key_size(name_length);
  if (key_bytes_.size() < key_bytes_used_) key_bytes_.resize(std::max(2 * key_bytes_.size(), key_bytes_used_));
  write_pairing_key(record, hits_[i].hi, name_length, key_bytes_.data() + start);
  key_starts_[i] = static_cast<std::uint32_t>(start);
  key_lengths_[i] = static_cast<std::uint32_t>(pairing_key_size(name_length));
  if (pending_ != kNoMate && are_mates(pending_record_, record) && key(i) == key(pending_)) {
    const std::size_t mate = pending_;
    pending_ = kNoMate;
    return mate;
  }
  if (pending_ != kNoMate) leave(pending_);
  pending_ = i;
  pending_record_ = record;
  return kNoMate;
}

void MateBatch::leave(std::size_t slot) {
  key_hashes_[slot] = MateTable::hash(key(slot));
  leftovers_.push_back(slot);
}

void MateBatch::close() {
  if (pending_ != kNoMate) leave(pending_);
  pending_ = kNoMate;
  // A stable counting sort by shard: each shard's records stay in file order.
  std::array<std::uint32_t, kMateShards + 1> counts{};
  for (const std::size_t slot : leftovers_) ++counts[shard_of(key_hashes_[slot]) + 1];
  for (std::size_t s = 0; s < kMateShards; ++s) counts[s + 1] += counts[s];
  shard_starts_ = counts;
  scratch_.resize(leftovers_.size());
  for (const std::size_t slot : leftovers_) scratch_[counts[shard_of(key_hashes_[slot])]++] = slot;
  leftovers_.swap(scratch_);
}

MatePairer::MatePairer(std::size_t waiting_limit, std::filesystem::path temp_directory, std::string path,
                       const ReadDetails* details)
    : shard_limit_(std::max<std::size_t>(1, waiting_limit / kMateShards)),
      temp_directory_(std::move(temp_directory)),
      path_(std::move(path)),
      details_(details) {}

void MatePairer::queue(const MateBatch& batch) {
  for (std::size_t s = 0; s < kMateShards; ++s) {
    if (batch.shard_starts_[s] == batch.shard_starts_[s + 1]) continue;
    std::lock_guard lock(shards_[s].mutex);
    shards_[s].queue.push_back({&batch, batch.shard_starts_[s], batch.shard_starts_[s + 1]});
  }
}

void MatePairer::pair(const MateBatch& batch, const FragmentResolver& resolver, Tally& tally) {
  for (std::size_t s = 0; s < kMateShards; ++s) {
    if (batch.shard_starts_[s] == batch.shard_starts_[s + 1]) continue;
    drain(shards_[s], resolver, tally);  // this batch's group, if another thread has not paired it already
  }
}

void MatePairer::drain(Shard& shard, const FragmentResolver& resolver, Tally& tally) {
  std::lock_guard lock(shard.mutex);
  while (!shard.queue.empty()) {
    pair_group(shard, shard.queue.front(), resolver, tally);
    shard.queue.pop_front();
  }
}

// A mate either completes the pair waiting under its key or waits itself (copied into the table's recycled
// storage, so steady-state pairing does not allocate).
void MatePairer::pair_group(Shard& shard, const Group& group, const FragmentResolver& resolver, Tally& tally) {
  // Lookups miss the cache (the table outgrows it with the mates that wait long), so the slots of the mates a
  // few places ahead are requested early.
  constexpr std::size_t kPrefetchAhead = 8;
  const MateBatch& batch = *group.batch;
  MateTable& table = shard.table;
  const auto hash_at = [&](std::size_t i) { return batch.key_hashes_[batch.leftovers_[i]]; };
  for (std::size_t i = group.begin; i < std::min<std::size_t>(group.begin + kPrefetchAhead, group.end); ++i) {
    table.prefetch(hash_at(i));
  }
  for (std::size_t i = group.begin; i < group.end; ++i) {
    if (i + kPrefetchAhead < group.end) table.prefetch(hash_at(i + kPrefetchAhead));
    if (i + kPrefetchAhead / 2 < group.end) table.prefetch_entry(hash_at(i + kPrefetchAhead / 2));
    const std::size_t slot = batch.leftovers_[i];
    const std::uint32_t waiting = table.find(batch.key_hashes_[slot], batch.key(slot));
    if (waiting == MateTable::kNotFound) {
      table.insert(batch.key_hashes_[slot], batch.key(slot), batch.hits_[slot]);
      if (table.size() >= shard_limit_) {
        std::call_once(spill_logged_, [&] {
          log_info(path_ + ": more than " + std::to_string(shard_limit_ * kMateShards) +
                   " mates wait for their partner; writing them to " + temp_directory_.string());
        });
        if (!shard.spill) shard.spill = std::make_unique<MateSpill>(temp_directory_);
        shard.spill->spill(table);
      }
      continue;
    }
    const auto status = tally.record(resolver, table.entry(waiting).mate, &batch.hits_[slot]);
    if (details_ != nullptr && status) {
      std::lock_guard lock(batch.late_details->mutex);
      details_->add(batch.late_details->lines, slot, pairing_key_name(batch.key(slot)), *status, tally.targets);
    }
    table.erase(waiting);
  }
}

LoneMates MatePairer::finish(const FragmentResolver& resolver, Tally& tally, DetailLines& end_lines) {
  LoneMates lone;
  const auto count = [&](std::string_view key, const MateHits& first, const MateHits* second) {
    const auto status = tally.record(resolver, first, second);
    if (details_ != nullptr && status) details_->add(end_lines, 0, pairing_key_name(key), *status, tally.targets);
  };
  const auto on_lone = [&](std::string_view key, const MateHits& mate) {
    count(key, mate, nullptr);
    lone.add(key, mate);
  };
  for (Shard& shard : shards_) {
    if (shard.spill) {
      shard.spill->merge(
          shard.table, [&](std::string_view key, const MateHits& a, const MateHits& b) { count(key, a, &b); }, on_lone);
    } else {
      for (const auto* entry : shard.table.waiting()) on_lone(entry->key(), entry->mate);
    }
  }
  return lone;
}

}  // namespace ifnsig::count
