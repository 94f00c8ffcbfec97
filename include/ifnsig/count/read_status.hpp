// Owns: the 14 featureCounts summary categories, in featureCounts' order, and a per-file tally of them.
// Thread-safety: StatusCounts is a plain value; each thread keeps its own and they are summed.
// Invariant: the enum order is the row order of the .summary file.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace ifnsig::count {

enum class ReadStatus : std::uint8_t {
  kAssigned,
  kUnmapped,
  kReadType,
  kSingleton,
  kMappingQuality,
  kChimera,
  kFragmentLength,
  kDuplicate,
  kMultiMapping,
  kSecondary,
  kSplitFilter,  // Unassigned_NonSplit, or Unassigned_Split with --nonSplitOnly
  kNoFeatures,
  kOverlappingLength,
  kAmbiguity,
};
inline constexpr std::size_t kReadStatusCount = 14;

// Whether a read or fragment passed featureCounts' read filters (unmapped to split status): assigned, or
// judged on its overlaps only.
inline bool passed_read_filters(ReadStatus status) {
  return status == ReadStatus::kAssigned || status >= ReadStatus::kNoFeatures;
}

// The row name in the .summary file.
std::string_view read_status_name(ReadStatus status, bool non_split_only);

struct StatusCounts {
  std::array<std::uint64_t, kReadStatusCount> counts{};
  void add(ReadStatus status) { ++counts[static_cast<std::size_t>(status)]; }
  std::uint64_t operator[](ReadStatus status) const { return counts[static_cast<std::size_t>(status)]; }
  std::uint64_t total() const;
  StatusCounts& operator+=(const StatusCounts& other);
};

}  // namespace ifnsig::count
