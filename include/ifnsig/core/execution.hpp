// Owns: how a stage runs, apart from what it computes (none of it changes a result): the cores it may use,
//       its temporary directory and its memory bound. Every stage call of the library (count_file,
//       normalize_counts, score_panels) takes one; the command line fills it from -T, --tmp-dir and
//       --max-memory (cli/shared_options).
// Thread-safety: a value; run() may be called from several threads at once, each call in an arena of its own.
#pragma once
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <utility>

namespace ifnsig {

struct Execution {
  int threads = 1;                       // -T: cores, the calling thread's included
  std::filesystem::path temp_directory;  // --tmp-dir (default $TMPDIR, else /tmp)
  std::uint64_t max_memory_bytes = 0;    // this stage's share of --max-memory (0: no bound)

  static Execution on_cores(int threads) {
    Execution execution;
    execution.threads = threads;
    return execution;
  }

  // Runs work on at most `threads` cores: in a TBB arena of that size, so the parallel algorithms inside use
  // no more, whatever the process's other TBB settings.
  template <typename Work>
  auto run(Work&& work) const {
    tbb::task_arena arena(std::max(1, threads));
    return arena.execute(std::forward<Work>(work));
  }
};

}  // namespace ifnsig
