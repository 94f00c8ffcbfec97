// Owns: the mates waiting for their partner during pairing: an open-addressing hash table from pairing key
//       to a copy of the waiting mate and its key (inline up to 124 bytes), whose storage is recycled (most
//       recently freed first, so it is likely in cache), so steady-state pairing allocates nothing.
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
  // A waiting mate and its key. Keys of up to kInlineKeyBytes (a read name of up to 84 characters and the
  // 40 bytes of positions) sit in the entry itself, ahead of the mate, so that a lookup touches one block
  // of memory, which the pairing stage can prefetch; longer ones go to the heap.
  class alignas(64) Entry {
   public:
    std::string_view key() const {
      return key_size_ <= kInlineKeyBytes ? std::string_view(inline_key_, key_size_) : std::string_view(long_key_);
    }
    void set_key(std::string_view key);

   private:
    static constexpr std::size_t kInlineKeyBytes = 124;
    std::uint32_t key_size_ = 0;
    char inline_key_[kInlineKeyBytes];
    std::string long_key_;

   public:
    MateHits mate;
  };
  static constexpr std::uint32_t kNotFound = static_cast<std::uint32_t>(-1);

  MateTable();

  static std::uint64_t hash(std::string_view key);
  // The most memory an entry can take: its storage in a vector that doubles, slots at most a quarter full
  // just after growing, its place on the free list.
  static constexpr std::size_t max_bytes_per_entry() {
    return 2 * sizeof(Entry) + 4 * sizeof(Slot) + sizeof(std::uint32_t);
  }

  // Hints the processor to load the slot where a lookup of this hash starts.
  void prefetch(std::uint64_t hash) const { __builtin_prefetch(&slots_[home(hash)]); }
  // Once that slot is loaded: hints the processor to load the entry there if its hash matches (the key and
  // the start of the mate).
  void prefetch_entry(std::uint64_t hash) const {
    const Slot& slot = slots_[home(hash)];
    if (slot.hash != hash || slot.entry_plus_one == 0) return;
    const char* entry = reinterpret_cast<const char*>(&entries_[slot.entry_plus_one - 1]);
    __builtin_prefetch(entry);
    __builtin_prefetch(entry + 64);
    __builtin_prefetch(entry + 128);
  }
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
