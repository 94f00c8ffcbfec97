#include "ifnsig/io/line_reader.hpp"

#include <cstring>

#include "ifnsig/core/error.hpp"

namespace ifnsig::io {
namespace {
constexpr std::size_t kReadBytes = std::size_t{1} << 20;
}  // namespace

LineReader::LineReader(std::string path) : path_(std::move(path)), source_(path_) {}

// Lines are found with memchr in decoded pieces of 1 MiB (HTSlib's bgzf_getline scans byte by byte).
bool LineReader::next(std::string_view& line) {
  std::size_t searched = start_;
  while (true) {
    const void* newline = searched < end_ ? std::memchr(buffer_.data() + searched, '\n', end_ - searched) : nullptr;
    if (newline != nullptr) {
      const auto line_end = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data());
      line = std::string_view(buffer_.data() + start_, length_without_terminator(buffer_.data() + start_, line_end - start_));
      last_line_start_ = start_;
      start_ = line_end + 1;
      ++line_number_;
      return true;
    }
    if (source_.done()) break;
    // Keep the unfinished line, then read more after it.
    if (start_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    searched = end_;
    if (buffer_.size() < end_ + kReadBytes) buffer_.resize(end_ + kReadBytes);
    end_ += source_.read(buffer_.data() + end_, buffer_.size() - end_);
  }
  if (source_.failed()) throw DamagedFileError(path_, line_number_ + 1, source_);
  if (start_ == end_) return false;
  line = std::string_view(buffer_.data() + start_, length_without_terminator(buffer_.data() + start_, end_ - start_));
  last_line_start_ = start_;
  start_ = end_;
  ++line_number_;
  return true;
}

void LineReader::unread_last_line() {
  start_ = last_line_start_;
  --line_number_;
}

std::string LineReader::take_rest() {
  std::string rest(buffer_.data() + start_, end_ - start_);
  start_ = end_;
  return rest;
}

}  // namespace ifnsig::io
