// Owns: the typed exceptions the library throws for bad input and bad options.
// Thread-safety: plain value types.
// Invariant: every message names what was wrong and where; hint() says how to fix it.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ifnsig {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string hint = {})
      : std::runtime_error(message), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

 private:
  std::string hint_;
};

// Bad options or option combinations; the CLI exits with status 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

// Bad or unreadable input data. `where` is e.g. "line 12" or "record 5 (read 'r7')".
class InputError : public Error {
 public:
  InputError(const std::string& file, const std::string& where, const std::string& problem,
             std::string hint = {})
      : Error(file + (where.empty() ? "" : ":" + where) + ": " + problem, std::move(hint)),
        file_(file),
        where_(where),
        problem_(problem) {}
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  std::string where_;
  std::string problem_;
};

// "line N" for messages.
inline std::string at_line(std::uint64_t line) { return "line " + std::to_string(line); }

// A field of the input as a message echoes it: in single quotes, with control characters and bytes that are
// not UTF-8 escaped (\t, \n, \r, \0, \xE9); a field of more than kEchoedCharacters characters is cut there and
// followed by "…" and its length in bytes: 'ENSG0000…' (52428800 bytes). Every field echoed goes through it.
inline constexpr std::size_t kEchoedCharacters = 60;
std::string quote_field(std::string_view field);

}  // namespace ifnsig
