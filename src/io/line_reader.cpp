#include "ifnsig/io/line_reader.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "ifnsig/core/error.hpp"

namespace ifnsig {

LineReader::LineReader(std::string path) : path_(std::move(path)) {
  file_ = bgzf_open(path_.c_str(), "r");
  if (file_ == nullptr) {
    throw InputError(path_, "", std::string("cannot open the file: ") + std::strerror(errno),
                     "check that the path exists and is readable");
  }
}

LineReader::~LineReader() {
  if (file_ != nullptr) bgzf_close(file_);
  std::free(buffer_.s);
}

bool LineReader::next(std::string_view& line) {
  const int status = bgzf_getline(file_, '\n', &buffer_);
  if (status == -1) return false;
  if (status < -1) {
    throw InputError(path_, at_line(line_number_ + 1), "the file is truncated or not valid gzip",
                     "re-create or re-download the file");
  }
  ++line_number_;
  std::size_t length = buffer_.l;
  if (length > 0 && buffer_.s[length - 1] == '\r') --length;
  line = std::string_view(buffer_.s, length);
  return true;
}

}  // namespace ifnsig
