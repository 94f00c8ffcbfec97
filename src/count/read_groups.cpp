#include "read_groups.hpp"

#include <cstring>
#include <string_view>

#include "ifnsig/core/error.hpp"

namespace ifnsig::count {

ReadGroups::ReadGroups(const sam_hdr_t* header, const std::string& path) {
  sam_hdr_t* readable = const_cast<sam_hdr_t*>(header);  // HTSlib's accessors take a non-const header
  const int n_groups = sam_hdr_count_lines(readable, "RG");
  if (n_groups >= kUnknownReadGroup) {
    throw InputError(path, "header", std::to_string(n_groups) + " @RG lines, more than --byReadGroup can count",
                     "count the file without --byReadGroup, or split it by read group first");
  }
  for (int i = 0; i < n_groups; ++i) {
    const char* id = sam_hdr_line_name(readable, "RG", i);
    ids_.emplace_back(id != nullptr ? id : "");
  }
}

std::uint16_t ReadGroups::of(const bam1_t* record) const {
  const std::uint8_t* tag = bam_aux_get(record, "RG");
  if (tag == nullptr || *tag != 'Z') return kNoReadGroup;
  const std::string_view id(reinterpret_cast<const char*>(tag + 1));
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (ids_[i] == id) return static_cast<std::uint16_t>(i);
  }
  return kUnknownReadGroup;
}

}  // namespace ifnsig::count
