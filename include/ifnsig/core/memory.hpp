// Owns: the memory budget (--max-memory): reading a size as users write it, and the default, which is the
//       job's own limit when it has one (the cgroup's memory.max, Slurm's allocation) and else half of the
//       machine's RAM.
// Thread-safety: pure functions, apart from reading /sys, /proc and the environment.
#pragma once
#include <cstdint>
#include <string>

namespace ifnsig {

struct MemoryBudget {
  std::uint64_t bytes = 0;
  std::string source;  // where it came from, for the log: "--max-memory", "cgroup memory.max", ...
};

// "2G", "512M", "1.5g", "64k", "1000000" (bytes; K, M, G, T are powers of 1024). Throws UsageError.
std::uint64_t parse_memory_size(const std::string& text);
// --max-memory when given (non-empty), else the default described above.
MemoryBudget memory_budget(const std::string& option);
// A job's share of the budget when jobs run at once: as it shares the threads (job_threads of total_threads).
std::uint64_t memory_share(std::uint64_t budget, int job_threads, int total_threads);
// "1.5 GB", "300 MB": a size for messages.
std::string format_memory(std::uint64_t bytes);

}  // namespace ifnsig
