#include "ifnsig/io/text_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ifnsig/core/error.hpp"

namespace ifnsig {

TextSource::TextSource(const std::string& path) {
  file_ = bgzf_open(path.c_str(), "r");
  if (file_ == nullptr) {
    throw InputError(path, "", std::string("cannot open the file: ") + std::strerror(errno),
                     "check that the path exists and is readable");
  }
}

TextSource::~TextSource() { bgzf_close(file_); }

// BGZF blocks (at most 64 KB of text) are loaded one at a time and copied whole or in part, so that every
// byte decoded before an error is kept.
std::size_t TextSource::read(char* out, std::size_t capacity) {
  std::size_t filled = 0;
  while (filled < capacity && !done()) {
    if (file_->block_offset >= file_->block_length) {
      if (bgzf_read_block(file_) != 0) {
        failed_ = true;
        break;
      }
      if (file_->block_length == 0) {
        at_end_ = true;
        break;
      }
    }
    const auto available = static_cast<std::size_t>(file_->block_length - file_->block_offset);
    const std::size_t wanted = std::min(capacity - filled, available);
    if (bgzf_read(file_, out + filled, wanted) != static_cast<ssize_t>(wanted)) {
      failed_ = true;
      break;
    }
    filled += wanted;
  }
  return filled;
}

std::size_t length_without_terminator(const char* line, std::size_t length) {
  for (int dropped = 0; dropped < 2 && length > 0 && line[length - 1] == '\r'; ++dropped) --length;
  return length;
}

}  // namespace ifnsig
