// Owns: reading a text file line by line, plain or gzip/bgzip-compressed, or standard input ("-").
// Thread-safety: one reader per thread.
// Invariant: line_number() is the 1-based number of the line last returned by next().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <htslib/bgzf.h>
#include <htslib/kstring.h>

namespace ifnsig {

class LineReader {
 public:
  explicit LineReader(std::string path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its line terminator ("\n" or "\r\n"); false at end of file.
  bool next(std::string_view& line);
  std::uint64_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  BGZF* file_ = nullptr;
  kstring_t buffer_{0, 0, nullptr};
  std::uint64_t line_number_ = 0;
};

}  // namespace ifnsig
