#include "ifnsig/core/threads.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ifnsig {

ThreadSplit split_threads(int total, bool compressed_input) {
  ThreadSplit split;
  split.total = std::max(1, total);
  if (!compressed_input || split.total == 1) {
    split.tbb_threads = split.total;
    return split;
  }
  // Inflating BGZF blocks is about half of the work of reading a BAM, and pipeline and pool throttle each
  // other: pool threads block once their queue of inflated blocks is full, and the reading TBB thread
  // sleeps until the pool delivers. Both sides therefore get the whole budget. On 4M read pairs at -T 2 on
  // a loaded 2-vCPU machine, 2 pool + 2 TBB threads beat 1 + 2 and 2 + 1 by 20-30% in wall time (median of
  // 4, interleaved); on the idle machine all splits were within its run-to-run noise.
  split.htslib_threads = split.total;
  split.tbb_threads = split.total;
  return split;
}

void run_jobs(std::size_t n, int budget, const std::function<void(std::size_t, int)>& job) {
  if (n == 0) return;
  const auto n_parallel = static_cast<int>(std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, budget / 2))));
  const int per_job = std::max(1, budget / n_parallel);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        job(i, per_job);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < n_parallel; ++t) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
}

ThreadScope::ThreadScope(int tbb_threads)
    : control_(std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                     static_cast<std::size_t>(std::max(1, tbb_threads)))) {}

ThreadScope::~ThreadScope() = default;

}  // namespace ifnsig
