#include "ifnsig/count/mate_table.hpp"

#include <functional>
#include <utility>

namespace ifnsig {
namespace {
constexpr std::size_t kInitialSlots = 1024;
}  // namespace

MateTable::MateTable() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

std::uint64_t MateTable::hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

std::uint32_t MateTable::find(std::uint64_t hash, std::string_view key) const {
  for (std::size_t i = home(hash);; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.entry_plus_one == 0) return kNotFound;
    if (slot.hash == hash && entries_[slot.entry_plus_one - 1].key == key) return static_cast<std::uint32_t>(i);
  }
}

void MateTable::insert(std::uint64_t hash, std::string_view key, const MateHits& mate) {
  if (2 * (size_ + 1) > slots_.size()) grow();
  std::uint32_t index = 0;
  if (free_entries_.empty()) {
    index = static_cast<std::uint32_t>(entries_.size());
    entries_.emplace_back();
  } else {
    index = free_entries_.back();
    free_entries_.pop_back();
  }
  Entry& entry = entries_[index];
  entry.key.assign(key);
  entry.mate = mate;
  std::size_t i = home(hash);
  while (slots_[i].entry_plus_one != 0) i = (i + 1) & mask_;
  slots_[i] = {hash, index + 1};
  ++size_;
}

// Linear probing with backward-shift deletion: entries after the hole move back unless that would put
// them before their home slot, so lookups never need tombstones.
void MateTable::erase(std::uint32_t position) {
  free_entries_.push_back(slots_[position].entry_plus_one - 1);
  std::size_t hole = position;
  for (std::size_t next = (hole + 1) & mask_; slots_[next].entry_plus_one != 0; next = (next + 1) & mask_) {
    const std::size_t next_home = home(slots_[next].hash);
    const bool home_after_hole = ((next - next_home) & mask_) < ((next - hole) & mask_);
    if (home_after_hole) continue;
    slots_[hole] = slots_[next];
    hole = next;
  }
  slots_[hole] = Slot{};
  --size_;
}

std::vector<const MateTable::Entry*> MateTable::waiting() const {
  std::vector<const Entry*> result;
  result.reserve(size_);
  for (const Slot& slot : slots_) {
    if (slot.entry_plus_one != 0) result.push_back(&entries_[slot.entry_plus_one - 1]);
  }
  return result;
}

void MateTable::clear() {
  for (Slot& slot : slots_) {
    if (slot.entry_plus_one != 0) free_entries_.push_back(slot.entry_plus_one - 1);
    slot = Slot{};
  }
  size_ = 0;
}

void MateTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.entry_plus_one == 0) continue;
    std::size_t i = home(slot.hash);
    while (slots_[i].entry_plus_one != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace ifnsig
