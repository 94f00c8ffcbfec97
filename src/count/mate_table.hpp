// Owns: the pairing key (which records are mates) and the mates waiting for their partner during pairing:
//       an open-addressing hash table from pairing key to a copy of the waiting mate and its key (inline up
//       to 124 bytes), whose storage is recycled (most recently freed first, so it is likely in cache), so
//       steady-state pairing allocates nothing.
// Thread-safety: one thread at a time (MatePairer holds a shard's lock while using its table).
// Invariant: at most one waiting entry per key; hashes are computed by the caller (in the parallel stage).
#pragma once
#include <htslib/sam.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/count/assignment.hpp"

namespace ifnsig::count {

// The key both mates of one alignment pair share: the read name, then five 8-byte fields: HI, and read 1's
// then read 2's contig and position.
inline constexpr std::size_t kPairingKeySuffix = 5 * sizeof(std::int64_t);
inline std::size_t pairing_key_size(std::size_t name_length) { return name_length + kPairingKeySuffix; }
// The read name a pairing key starts with.
inline std::string_view pairing_key_name(std::string_view key) { return key.substr(0, key.size() - kPairingKeySuffix); }
// Writes the key of `record` (whose name is name_length bytes) to out[0, pairing_key_size(name_length)).
inline void write_pairing_key(const bam1_t* record, std::int64_t hi, std::size_t name_length, char* out) {
  const bam1_core_t& core = record->core;
  const bool read2 = (core.flag & BAM_FREAD2) != 0;
  std::memcpy(out, bam_get_qname(record), name_length);
  out += name_length;
  // Field by field: a 5-field array on the stack, read back by wider loads, stalled store forwarding.
  const auto put = [&out](std::int64_t field) {
    std::memcpy(out, &field, sizeof field);
    out += sizeof field;
  };
  put(hi);
  put(read2 ? core.mtid : core.tid);
  put(read2 ? core.mpos : core.pos);
  put(read2 ? core.tid : core.mtid);
  put(read2 ? core.pos : core.mpos);
}
// Where the partner of the record with this key lies (the record being read 2 or not): its contig and
// position, read back from the key.
struct MatePosition {
  std::int64_t tid;
  std::int64_t pos;
};
inline MatePosition partner_position(std::string_view key, bool read2) {
  std::int64_t fields[4];
  std::memcpy(fields, key.data() + key.size() - 4 * sizeof(std::int64_t), sizeof fields);
  return read2 ? MatePosition{fields[0], fields[1]} : MatePosition{fields[2], fields[3]};
}
// Whether records with equal pairing keys are mates rather than one record seen twice: one is read 1, the
// other read 2.
inline bool complementary_reads(std::uint16_t flag_a, std::uint16_t flag_b) {
  return ((flag_a ^ flag_b) & (BAM_FREAD1 | BAM_FREAD2)) == (BAM_FREAD1 | BAM_FREAD2);
}

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

}  // namespace ifnsig::count
