#include "ifnsig/core/log.hpp"

#include <htslib/hts.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>

namespace ifnsig {
namespace {
std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_output_mutex;
constexpr auto kProgressInterval = std::chrono::seconds(1);
}  // namespace

void set_log_level(LogLevel level) {
  g_level = level;
  // HTSlib's own messages repeat ours in its terms; show them only when debugging.
  hts_set_log_level(level >= LogLevel::kDebug ? HTS_LOG_WARNING : HTS_LOG_OFF);
}
LogLevel log_level() { return g_level; }

void log_message(LogLevel level, std::string_view message) {
  if (level > g_level.load()) return;
  const char* prefix = level == LogLevel::kWarning ? "ifnsig: warning: " : "ifnsig: ";
  std::lock_guard lock(g_output_mutex);
  std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(message.size()), message.data());
}

std::string human_count(double value) {
  char buffer[32];
  if (value >= 1e9) {
    std::snprintf(buffer, sizeof buffer, "%.2fG", value / 1e9);
  } else if (value >= 1e6) {
    std::snprintf(buffer, sizeof buffer, "%.2fM", value / 1e6);
  } else if (value >= 1e4) {
    std::snprintf(buffer, sizeof buffer, "%.1fk", value / 1e3);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  }
  return buffer;
}

Progress::Progress(std::string what, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_),
      on_terminal_(::isatty(STDERR_FILENO) == 1) {}

CommandClock::CommandClock() : start_(std::chrono::steady_clock::now()), cpu_start_(std::clock()) {}

double CommandClock::wall_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double CommandClock::cpu_seconds() const { return static_cast<double>(std::clock() - cpu_start_) / CLOCKS_PER_SEC; }

std::string CommandClock::summary() const {
  const double wall = wall_seconds();
  char text[64];
  std::snprintf(text, sizeof text, "%.2f s (CPU/wall %.2f)", wall, wall > 0 ? cpu_seconds() / wall : 0.0);
  return text;
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(std::uint64_t done) {
  if (g_level.load() < LogLevel::kInfo) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_print_ < kProgressInterval) return;
  last_print_ = now;
  const double seconds = elapsed_seconds();
  const std::string line = what_ + ": " + human_count(static_cast<double>(done)) + " " + unit_ + ", " +
                           human_count(static_cast<double>(done) / seconds) + "/s";
  std::lock_guard lock(g_output_mutex);
  std::fprintf(stderr, on_terminal_ ? "\rifnsig: %s\033[K" : "ifnsig: %s\n", line.c_str());
  printed_on_line_ = on_terminal_;
}

void Progress::finish(std::uint64_t done) {
  if (g_level.load() < LogLevel::kInfo) return;
  const double seconds = elapsed_seconds();
  char line[256];
  std::snprintf(line, sizeof line, "%s: %s %s in %.2f s (%s/s)", what_.c_str(),
                human_count(static_cast<double>(done)).c_str(), unit_.c_str(), seconds,
                human_count(seconds > 0 ? static_cast<double>(done) / seconds : 0.0).c_str());
  std::lock_guard lock(g_output_mutex);
  if (printed_on_line_) std::fputc('\r', stderr);
  std::fprintf(stderr, on_terminal_ ? "ifnsig: %s\033[K\n" : "ifnsig: %s\n", line);
}

}  // namespace ifnsig
