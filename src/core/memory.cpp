#include "ifnsig/core/memory.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

// A limit file holding a number of bytes ("max", absent or absurd: no limit).
std::optional<std::uint64_t> limit_in(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || value == 0 || value >= (1ULL << 60)) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> megabytes_in(const char* variable) {
  const char* text = std::getenv(variable);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || value == 0) return std::nullopt;
  return value << 20;
}

}  // namespace

std::uint64_t parse_memory_size(const std::string& text) {
  const auto bad = [&] {
    return UsageError("--max-memory " + text + " is not a size", "write e.g. 4G, 512M or a number of bytes");
  };
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(number) || number <= 0) throw bad();
  std::string unit(end);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b') && unit.size() > 1) unit.pop_back();
  int shift = 0;
  if (unit.size() > 1) throw bad();
  if (!unit.empty()) {
    switch (std::toupper(static_cast<unsigned char>(unit[0]))) {
      case 'K': shift = 10; break;
      case 'M': shift = 20; break;
      case 'G': shift = 30; break;
      case 'T': shift = 40; break;
      default: throw bad();
    }
  }
  const double bytes = std::ldexp(number, shift);
  if (bytes < 1 || bytes >= std::ldexp(1.0, 60)) throw bad();
  return static_cast<std::uint64_t>(bytes);
}

MemoryBudget memory_budget(const std::string& option) {
  if (!option.empty()) return {parse_memory_size(option), "--max-memory"};
  std::optional<MemoryBudget> budget;
  const auto consider = [&](std::optional<std::uint64_t> bytes, const char* source) {
    if (bytes && (!budget || *bytes < budget->bytes)) budget = MemoryBudget{*bytes, source};
  };
  consider(limit_in("/sys/fs/cgroup/memory.max"), "the cgroup's memory.max");
  consider(limit_in("/sys/fs/cgroup/memory/memory.limit_in_bytes"), "the cgroup's memory.limit_in_bytes");
  consider(megabytes_in("SLURM_MEM_PER_NODE"), "SLURM_MEM_PER_NODE");
  if (const auto per_cpu = megabytes_in("SLURM_MEM_PER_CPU")) {
    const char* cpus = std::getenv("SLURM_CPUS_ON_NODE");
    consider(*per_cpu * static_cast<std::uint64_t>(std::max(1, cpus != nullptr ? std::atoi(cpus) : 1)),
             "SLURM_MEM_PER_CPU x SLURM_CPUS_ON_NODE");
  }
  if (budget) return *budget;
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  const std::uint64_t ram = pages > 0 && page_size > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size)
                                                       : std::uint64_t{8} << 30;
  return {ram / 2, "half of the machine's RAM"};
}

std::uint64_t memory_share(std::uint64_t budget, int job_threads, int total_threads) {
  return budget * static_cast<std::uint64_t>(std::max(1, job_threads)) /
         static_cast<std::uint64_t>(std::max(1, total_threads));
}

std::string format_memory(std::uint64_t bytes) {
  char buffer[32];
  if (bytes >= (std::uint64_t{1} << 30)) {
    std::snprintf(buffer, sizeof buffer, "%.1f GB", static_cast<double>(bytes) / (1 << 30));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.0f MB", static_cast<double>(bytes) / (1 << 20));
  }
  return buffer;
}

}  // namespace ifnsig
