// Owns (inside count): --byReadGroup's read groups of one alignment file: the @RG IDs of its header, in
//       header order, and the group a record belongs to by its RG tag.
// Thread-safety: immutable once built; of() from any thread.
// Invariant: as featureCounts 2.0.3 counts them, a read whose RG:Z tag is absent (kNoReadGroup) or names no
//            @RG line of the header (kUnknownReadGroup) is counted nowhere (neither the table nor the
//            summary); a pair counts for its first record's group, and nowhere when either record has no tag.
#pragma once
#include <htslib/sam.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ifnsig::count {

inline constexpr std::uint16_t kNoReadGroup = 0xffff;
inline constexpr std::uint16_t kUnknownReadGroup = 0xfffe;

class ReadGroups {
 public:
  // Throws InputError naming `path` when the header has kUnknownReadGroup or more @RG lines.
  ReadGroups(const sam_hdr_t* header, const std::string& path);
  const std::vector<std::string>& ids() const { return ids_; }
  // The index in ids() of the record's RG:Z tag, kUnknownReadGroup when none matches, kNoReadGroup without
  // the tag; a search of the few IDs, no allocation.
  std::uint16_t of(const bam1_t* record) const;

 private:
  std::vector<std::string> ids_;
};

}  // namespace ifnsig::count
