// Owns: the single --threads budget: its split between HTSlib's decompression pool (CRAM, BAM on standard
//       input) and TBB workers, and between jobs (files, samples) run at once.
// Thread-safety: ThreadScope must be created and destroyed on the main thread.
// Invariant: neither HTSlib's pool nor TBB runs more threads than the budget; with compressed input both
//            get it, because each side waits for the other (see split_threads), so together they keep
//            about `budget` cores busy.
#pragma once
#include <tbb/global_control.h>

#include <cstddef>
#include <functional>
#include <memory>

namespace ifnsig {

struct ThreadSplit {
  int total = 1;
  int htslib_threads = 0;  // extra BGZF decompression threads (0 = inflate on the reading thread)
  int tbb_threads = 1;     // TBB worker threads, the reading thread included
};

// With decompression work (BAM/CRAM) and a budget above 1, HTSlib's pool and TBB each get the budget;
// otherwise everything runs on TBB threads.
ThreadSplit split_threads(int total, bool compressed_input);

// Runs job(index, threads) for every index in [0, n), several at once when the budget allows: counting one
// file scales sublinearly with threads (through HTSlib, SAM, CRAM and standard input decode serially; every
// file has per-file set-up and merging), so files at two threads each beat one file at a time. After a job throws, no new job starts; the first exception is rethrown once
// the running ones have finished.
void run_jobs(std::size_t n, int budget, const std::function<void(std::size_t index, int threads)>& job);

// Limits TBB to tbb_threads while alive.
class ThreadScope {
 public:
  explicit ThreadScope(int tbb_threads);
  ~ThreadScope();
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  std::unique_ptr<tbb::global_control> control_;
};

}  // namespace ifnsig
