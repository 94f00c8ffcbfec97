// Owns: what every fuzz harness shares: the fuzzer's bytes written to a file (the parsers read paths, as the
//       CLI gives them), and the rule for what counts as a finding.
// Thread-safety: one harness call at a time (libFuzzer runs the harness from one thread).
// Invariant: a typed ifnsig::Error (a clear message for bad input) is the expected outcome of bad bytes;
//            any other exception escaping a parser is a finding, reported by aborting, as are crashes, leaks
//            and sanitizer reports.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"

namespace ifnsig::fuzz {

// A file of this process's own under $TMPDIR (or /tmp) named `name`, rewritten with the bytes at each call.
inline std::string write_input(const std::uint8_t* data, std::size_t size, const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ifnsig-fuzz-" +
                           std::to_string(::getpid()) + "-" + name;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || (size > 0 && std::fwrite(data, 1, size, file) != size) || std::fclose(file) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

// Runs `parse`; a typed ifnsig::Error is the parser refusing bad input clearly. Anything else escaping is a
// finding: it is printed and the process aborts, so that libFuzzer keeps the input.
template <typename Parse>
void expect_clean_outcome(Parse&& parse) {
  try {
    parse();
  } catch (const Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "untyped exception escaped the parser: %s\n", e.what());
    std::abort();
  }
}

}  // namespace ifnsig::fuzz

// Once per process: the parsers' warnings and progress lines are not findings, so they are not printed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ifnsig::set_log_level(ifnsig::LogLevel::kQuiet);
  return 0;
}
