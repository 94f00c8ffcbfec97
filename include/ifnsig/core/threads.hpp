// Owns: the single --threads budget and its split between HTSlib's decompression pool and TBB workers.
// Thread-safety: ThreadScope must be created and destroyed on the main thread.
// Invariant: htslib_threads + tbb_threads <= budget + 1: the reading thread, which mostly waits for the
//            HTSlib pool, shares a core with one pool thread; everything else has a core of its own.
#pragma once
#include <tbb/global_control.h>

#include <memory>

namespace ifnsig {

struct ThreadSplit {
  int total = 1;
  int htslib_threads = 0;  // extra BGZF decompression threads (0 = inflate on the reading thread)
  int tbb_threads = 1;     // TBB worker threads, the reading thread included
};

// With decompression work (BAM/CRAM) a third of the budget (at least 1) goes to HTSlib's pool.
ThreadSplit split_threads(int total, bool compressed_input);

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
