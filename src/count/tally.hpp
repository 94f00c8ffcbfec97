// Owns (inside count): what whole-file and targeted counting share once a record is read: the error for
//       paired reads counted without -p, a read's or fragment's outcome added to a tally (per-target units,
//       the status and, with -J, its junctions), and the records whose mate never appeared, counted alone and
//       reported once.
// Thread-safety: a Tally or LoneMates belongs to one thread.
// Invariant: units are kCountScale fixed point, so sums do not depend on the order outcomes arrive in.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ifnsig/count/assignment.hpp"
#include "ifnsig/count/counter.hpp"
#include "ifnsig/count/read_status.hpp"
#include "read_groups.hpp"

namespace ifnsig::count {

// A paired record in a count without -p: featureCounts' rule, stated as an error naming the read.
[[noreturn]] void reject_paired(const std::string& path, const bam1_t* record);

// -J: the junctions of the reads or fragments that passed featureCounts' read filters, assigned or not; a
// fragment counts once for a junction both mates carry.
class JunctionTally {
 public:
  struct Key {
    std::int32_t tid = -1;  // the alignment header's contig
    SpliceJunction junction;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  using Counts = std::unordered_map<Key, std::uint64_t, KeyHash>;

  void add(const MateHits& first, const MateHits* second);
  const Counts& counts() const { return counts_; }

 private:
  Counts counts_;
  std::vector<Key> seen_;  // scratch: the fragment's junctions so far
};

// Counts of one column, or with --byReadGroup of each read group's column (MateHits::read_group; read_groups.hpp
// says which reads count where), group after group.
struct Tally {
  std::size_t n_targets;
  std::vector<std::int64_t> units;    // column c's target t: units[c * n_targets + t]
  std::vector<StatusCounts> status;   // per column
  std::vector<TargetHit> targets;  // scratch
  bool count_junctions = false;    // -J
  JunctionTally junctions;

  explicit Tally(std::size_t n_targets_, std::size_t n_columns = 1, bool with_junctions = false)
      : n_targets(n_targets_),
        units(n_targets_ * n_columns, 0),
        status(n_columns),
        count_junctions(with_junctions) {}

  // A read (second == nullptr when single or counted alone) or a fragment. Returns its status (targets then
  // holds the targets of an assigned one), or nothing when --byReadGroup skips it (a record without a group);
  // one of a group the header does not name is resolved (-R writes its line) but counted in no column.
  std::optional<ReadStatus> record(const FragmentResolver& resolver, const MateHits& first, const MateHits* second) {
    if (first.read_group == kNoReadGroup || (second != nullptr && second->read_group == kNoReadGroup)) {
      return std::nullopt;
    }
    std::int64_t share = 0;
    const ReadStatus outcome = resolver.resolve(first, second, targets, kCountScale, share);
    if (count_junctions && passed_read_filters(outcome)) junctions.add(first, second);
    if (first.read_group == kUnknownReadGroup) return outcome;
    status[first.read_group].add(outcome);
    if (outcome != ReadStatus::kAssigned) return outcome;
    std::int64_t* column = units.data() + first.read_group * n_targets;
    for (const auto& hit : targets) column[hit.target] += share;
    return outcome;
  }
};

// --countReadPairs: the records left waiting for a mate at the end of a file, which featureCounts counts
// alone.
class LoneMates {
 public:
  // `key` is the record's pairing key.
  void add(std::string_view key, const MateHits& mate);
  // Warns (or, with strict pairs, throws) when a record other than a supplementary one was alone.
  void report(const std::string& path, bool strict_pairs) const;
  std::uint64_t count() const { return count_; }
  std::uint64_t supplementary() const { return supplementary_; }

 private:
  std::uint64_t count_ = 0;
  std::uint64_t supplementary_ = 0;
  std::string first_name_;  // the smallest name, so the message does not depend on hash order
};

}  // namespace ifnsig::count
