// Owns: the mates waiting for their partner during pairing: an open-addressing hash table from pairing key
//       to a copy of the waiting mate, whose key and hit storage is recycled (most recently freed first, so
//       it is likely in cache), so steady-state pairing allocates nothing.
// Thread-safety: used by the serial pairing stage only.
// Invariant: at most one waiting entry per key; hashes are computed by the caller (in the parallel stage).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/count/assignment.hpp"

namespace ifnsig {

class MateTable {
 public:
  struct Entry {
    std::string key;
    MateHits mate;
  };
  static constexpr std::uint32_t kNotFound = static_cast<std::uint32_t>(-1);

  MateTable();

  static std::uint64_t hash(std::string_view key);

  // Hints the processor to load the slot where a lookup of this hash starts.
  void prefetch(std::uint64_t hash) const { __builtin_prefetch(&slots_[home(hash)]); }
  // The position of the entry waiting under this key, or kNotFound. Positions are valid until the next
  // insert or erase.
  std::uint32_t find(std::uint64_t hash, std::string_view key) const;
  // Adds a copy of a waiting mate under a key not in the table.
  void insert(std::uint64_t hash, std::string_view key, const MateHits& mate);
  // Removes the entry at a position found by find(); its storage is kept for reuse.
  void erase(std::uint32_t position);

  const Entry& entry(std::uint32_t position) const { return entries_[slots_[position].entry_plus_one - 1]; }
  std::size_t size() const { return size_; }
  // The waiting entries, in table order.
  std::vector<const Entry*> waiting() const;
  void clear();

 private:
  // The full hash sits in the slot: a lookup reads an entry only when all 64 bits match, and erasing or
  // growing never reads entries.
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t entry_plus_one = 0;  // 0: empty
  };
  std::size_t home(std::uint64_t hash) const { return static_cast<std::size_t>(hash) & mask_; }
  void grow();

  std::vector<Slot> slots_;
  std::size_t mask_;
  std::size_t size_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_entries_;
};

}  // namespace ifnsig
