#include "ifnsig/count/read_status.hpp"

namespace ifnsig::count {

std::string_view read_status_name(ReadStatus status, bool non_split_only) {
  static constexpr std::array<std::string_view, kReadStatusCount> kNames = {
      "Assigned",           "Unassigned_Unmapped",     "Unassigned_Read_Type",   "Unassigned_Singleton",
      "Unassigned_MappingQuality", "Unassigned_Chimera", "Unassigned_FragmentLength", "Unassigned_Duplicate",
      "Unassigned_MultiMapping",   "Unassigned_Secondary", "Unassigned_NonSplit",   "Unassigned_NoFeatures",
      "Unassigned_Overlapping_Length", "Unassigned_Ambiguity"};
  if (status == ReadStatus::kSplitFilter && non_split_only) return "Unassigned_Split";
  return kNames[static_cast<std::size_t>(status)];
}

std::uint64_t StatusCounts::total() const {
  std::uint64_t sum = 0;
  for (auto count : counts) sum += count;
  return sum;
}

StatusCounts& StatusCounts::operator+=(const StatusCounts& other) {
  for (std::size_t i = 0; i < kReadStatusCount; ++i) counts[i] += other.counts[i];
  return *this;
}

}  // namespace ifnsig::count
