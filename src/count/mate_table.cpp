#include "mate_table.hpp"

#include <cstring>
#include <utility>

namespace ifnsig::count {
namespace {
constexpr std::size_t kInitialSlots = 1024;
}  // namespace

MateTable::MateTable() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

// 8 bytes at a time: each word is scrambled on its own and then multiplied into the state (the chain from
// word to word is one xor and one multiply); the last word overlaps the one before instead of being padded.
// MurmurHash3's finaliser makes the low bits (the home slot) depend on every byte. Cheaper than std::hash
// (libstdc++'s MurmurHash2 loop) on these 50-byte keys.
std::uint64_t MateTable::hash(std::string_view key) {
  constexpr std::uint64_t kWordMultiplier = 0x9E3779B97F4A7C15ULL;
  constexpr std::uint64_t kStateMultiplier = 0xBF58476D1CE4E5B9ULL;
  std::uint64_t h = key.size();
  const auto mix = [&h](std::uint64_t word) {
    word *= kWordMultiplier;
    word ^= word >> 32;
    h = (h ^ word) * kStateMultiplier;
  };
  const auto word_at = [&key](std::size_t i) {
    std::uint64_t word;
    std::memcpy(&word, key.data() + i, sizeof word);
    return word;
  };
  if (key.size() >= 8) {
    for (std::size_t i = 0; i + 8 < key.size(); i += 8) mix(word_at(i));
    mix(word_at(key.size() - 8));
  } else {
    for (const char c : key) mix(static_cast<unsigned char>(c));
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

void MateTable::Entry::set_key(std::string_view key) {
  key_size_ = static_cast<std::uint32_t>(key.size());
  if (key.size() <= kInlineKeyBytes) {
    std::memcpy(inline_key_, key.data(), key.size());
  } else {
    long_key_.assign(key);
  }
}

std::uint32_t MateTable::find(std::uint64_t hash, std::string_view key) const {
  for (std::size_t i = home(hash);; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.entry_plus_one == 0) return kNotFound;
    if (slot.hash == hash && entries_[slot.entry_plus_one - 1].key() == key) return static_cast<std::uint32_t>(i);
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
  entry.set_key(key);
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

}  // namespace ifnsig::count
