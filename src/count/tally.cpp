#include "tally.hpp"

#include <algorithm>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "mate_table.hpp"

namespace ifnsig::count {

void reject_paired(const std::string& path, const bam1_t* record) {
  throw InputError(path, "read " + quote_field(bam_get_qname(record)), "paired-end reads found, but -p was not given",
                   "add -p (counts reads) or -p --countReadPairs (counts fragments), as with featureCounts");
}

std::size_t JunctionTally::KeyHash::operator()(const Key& key) const {
  std::uint64_t h = static_cast<std::uint64_t>(key.junction.left) * 0x9E3779B97F4A7C15ULL;
  h ^= (static_cast<std::uint64_t>(key.junction.right) + (h << 6) + (h >> 2)) * 0xC2B2AE3D27D4EB4FULL;
  return static_cast<std::size_t>(h ^ static_cast<std::uint64_t>(key.tid));
}

void JunctionTally::add(const MateHits& first, const MateHits* second) {
  seen_.clear();
  for (const MateHits* mate : {&first, second}) {
    if (mate == nullptr) continue;
    for (const SpliceJunction& junction : mate->junctions) {
      const Key key{mate->tid, junction};
      if (std::find(seen_.begin(), seen_.end(), key) != seen_.end()) continue;
      seen_.push_back(key);
      ++counts_[key];
    }
  }
}

void LoneMates::add(std::string_view key, const MateHits& mate) {
  // A supplementary record's mate fields describe its primary's mate, which pairs with the primary: it is
  // alone in every intact file, so it says nothing about a filtered or truncated one.
  if ((mate.flag & BAM_FSUPPLEMENTARY) != 0) {
    ++supplementary_;
    return;
  }
  const std::string_view name = pairing_key_name(key);
  if (count_++ == 0 || name < first_name_) first_name_ = name;
}

void LoneMates::report(const std::string& path, bool strict_pairs) const {
  if (count_ > 0) {
    const std::string message = std::to_string(count_) + " paired records never met their mate (e.g. read " +
                                quote_field(first_name_) + ")";
    if (strict_pairs) {
      throw InputError(path, "read " + quote_field(first_name_), message,
                       "the file may be filtered or truncated; drop --strict-pairs to count such mates alone");
    }
    log_warning(path + ": " + message + "; counted alone, as featureCounts does");
  }
  if (supplementary_ > 0) {
    log_debug(path + ": " + std::to_string(supplementary_) +
              " supplementary records counted alone (their mate is their primary's), as featureCounts does");
  }
}

}  // namespace ifnsig::count
