#include "ifnsig/core/threads.hpp"

#include <tbb/global_control.h>

#include <algorithm>

namespace ifnsig {

ThreadSplit split_threads(int total, bool compressed_input) {
  ThreadSplit split;
  split.total = std::max(1, total);
  if (!compressed_input || split.total == 1) {
    split.tbb_threads = split.total;
    return split;
  }
  // The reading stage mostly waits for HTSlib's pool to inflate blocks, so the reading thread and one pool
  // thread share a core: T=2 runs 1 pool thread beside 2 TBB threads, T=8 runs 2 beside 7.
  split.htslib_threads = std::max(1, split.total / 3);
  split.tbb_threads = split.total - split.htslib_threads + 1;
  return split;
}

ThreadScope::ThreadScope(int tbb_threads)
    : control_(std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                     static_cast<std::size_t>(std::max(1, tbb_threads)))) {}

ThreadScope::~ThreadScope() = default;

}  // namespace ifnsig
