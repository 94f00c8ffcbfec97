// Owns: bounding the memory of mates waiting for their partner: sorted runs of waiting mates spilled to
//       temporary files, and the final merge that pairs equal keys across runs.
// Thread-safety: used by the serial pairing stage only.
// Invariant: every spilled mate is resolved exactly once by merge(), as a pair (equal keys) or alone;
//            temporary files are removed when the object is destroyed.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/count/assignment.hpp"
#include "ifnsig/count/mate_table.hpp"

namespace ifnsig {

class MateSpill {
 public:
  explicit MateSpill(std::filesystem::path directory) : directory_(std::move(directory)) {}
  ~MateSpill();
  MateSpill(const MateSpill&) = delete;
  MateSpill& operator=(const MateSpill&) = delete;

  // Writes all waiting mates, sorted by key, to a new run file and empties the table.
  void spill(MateTable& waiting);
  bool empty() const { return runs_.empty(); }
  std::size_t n_runs() const { return runs_.size(); }

  // Merges the runs with the mates still waiting in memory; calls on_pair(a, b) for equal keys and
  // on_lone(key, mate) for keys seen once.
  void merge(MateTable& waiting,
             const std::function<void(const MateHits&, const MateHits&)>& on_pair,
             const std::function<void(std::string_view, const MateHits&)>& on_lone);

 private:
  std::filesystem::path directory_;
  std::vector<std::filesystem::path> runs_;
};

}  // namespace ifnsig
