// Owns: reading a text file line by line, plain or gzip/bgzip-compressed, or standard input ("-").
// Thread-safety: one reader per thread.
// Invariant: line_number() is the 1-based number of the line last returned by next().
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/io/text_source.hpp"

namespace ifnsig::io {

class LineReader {
 public:
  explicit LineReader(std::string path);

  // Next line without its line terminator ("\n", "\r\n"); false at end of file. The view is valid until
  // the next call. A file that cannot be decoded to its end (truncated or corrupt gzip) throws InputError
  // naming the line that was cut.
  bool next(std::string_view& line);
  std::uint64_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }
  // Puts the line last returned back: the next call returns it again (its view stays valid until then).
  void unread_last_line();
  // For a reader that goes on in large blocks: the decoded bytes not returned as lines yet (dropped from
  // this reader), then the source to read the rest from.
  std::string take_rest();
  TextSource& source() { return source_; }

 private:
  std::string path_;
  TextSource source_;
  std::vector<char> buffer_;  // decoded bytes; [start_, end_) are not returned yet
  std::size_t start_ = 0;
  std::size_t end_ = 0;
  std::size_t last_line_start_ = 0;
  std::uint64_t line_number_ = 0;
};

}  // namespace ifnsig::io
