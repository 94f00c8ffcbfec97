// Owns: the library's only way to talk to the user (stderr): leveled messages, progress lines and the
//       closing timing of a command.
// Thread-safety: log() and Progress::update() may be called from any thread; output lines never interleave.
// Invariant: nothing is printed below the configured level; progress is throttled to about one line a second.
#pragma once
#include <chrono>
#include <ctime>
#include <cstdint>
#include <string>
#include <string_view>

namespace ifnsig {

enum class LogLevel { kQuiet = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

void set_log_level(LogLevel level);
LogLevel log_level();
void log_message(LogLevel level, std::string_view message);
inline void log_info(std::string_view m) { log_message(LogLevel::kInfo, m); }
inline void log_warning(std::string_view m) { log_message(LogLevel::kWarning, m); }
inline void log_debug(std::string_view m) { log_message(LogLevel::kDebug, m); }

// Progress on long work: "<what>: 12.3M records, 4.1M/s". Rewrites one line on a terminal,
// prints plain lines otherwise (cluster logs).
class Progress {
 public:
  explicit Progress(std::string what, std::string unit = "records");
  void update(std::uint64_t done);
  // Prints the final line with the total and the rate.
  void finish(std::uint64_t done);
  double elapsed_seconds() const;

 private:
  std::string what_;
  std::string unit_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  bool on_terminal_;
  bool printed_on_line_ = false;
};

// Wall and CPU time (all threads) of a whole command, from construction: for its closing log line and JSON.
class CommandClock {
 public:
  CommandClock();
  double wall_seconds() const;
  double cpu_seconds() const;
  // "1.23 s (CPU/wall 1.98)"
  std::string summary() const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::clock_t cpu_start_;
};

// "12.3M" style number for humans.
std::string human_count(double value);

}  // namespace ifnsig
