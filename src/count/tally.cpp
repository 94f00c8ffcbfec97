#include "tally.hpp"

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "mate_table.hpp"

namespace ifnsig::count {

void reject_paired(const std::string& path, const bam1_t* record) {
  throw InputError(path, "read " + quote_field(bam_get_qname(record)), "paired-end reads found, but -p was not given",
                   "add -p (counts reads) or -p --countReadPairs (counts fragments), as with featureCounts");
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
