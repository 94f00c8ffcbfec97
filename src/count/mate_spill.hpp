// Owns: bounding the memory of mates waiting for their partner: sorted runs of waiting mates spilled to
//       temporary files, and the final merge that pairs equal keys across runs.
// Thread-safety: one thread at a time (a MatePairer shard's, under its lock); several objects may share a directory (run files
//                get unique names).
// Invariant: every spilled mate is resolved exactly once by merge(), as a pair (equal keys) or alone, or
//            merge() throws: a run file that cannot be created, written, reopened or read is an InputError
//            naming it and the system's reason, never skipped. At most max_open_runs run files are open at
//            once (more runs are merged in passes). Temporary files are removed when the object is destroyed.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/count/assignment.hpp"
#include "mate_table.hpp"

namespace ifnsig::count {

class MateSpill {
 public:
  // A quarter of the soft open-file limit (ulimit -n), at least 2 and at most 32, so that files counted at
  // once and the process's other files keep room.
  static std::size_t default_max_open_runs();

  explicit MateSpill(std::filesystem::path directory, std::size_t max_open_runs = default_max_open_runs());
  ~MateSpill();
  MateSpill(const MateSpill&) = delete;
  MateSpill& operator=(const MateSpill&) = delete;

  // Writes all waiting mates, sorted by key, to a new run file and empties the table.
  void spill(MateTable& waiting);
  bool empty() const { return runs_.empty(); }
  std::size_t n_runs() const { return runs_.size(); }

  using PairCallback = std::function<void(std::string_view, const MateHits&, const MateHits&)>;
  using LoneCallback = std::function<void(std::string_view, const MateHits&)>;
  // Merges the runs with the mates still waiting in memory; calls on_pair(key, a, b) for equal keys and
  // on_lone(key, mate) for keys seen once. While there are more runs than max_open_runs, the oldest are
  // merged into one run first (pairs found there are reported, the mates left alone are written).
  void merge(MateTable& waiting, const PairCallback& on_pair, const LoneCallback& on_lone);

 private:
  std::filesystem::path directory_;
  std::size_t max_open_runs_;
  std::vector<std::filesystem::path> runs_;
};

}  // namespace ifnsig::count
