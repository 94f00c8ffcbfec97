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
  split.htslib_threads = std::max(1, split.total / 3);
  split.tbb_threads = std::max(1, split.total - split.htslib_threads);
  return split;
}

ThreadScope::ThreadScope(int tbb_threads)
    : control_(std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                     static_cast<std::size_t>(std::max(1, tbb_threads)))) {}

ThreadScope::~ThreadScope() = default;

}  // namespace ifnsig
