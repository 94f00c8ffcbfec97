// Owns: an open text file (plain, gzip or bgzip-compressed, or standard input "-") decoded in pieces: gzip
//       files that are not BGZF by ISA-L's streaming inflater (several times faster than zlib, which HTSlib
//       uses for them), everything else through HTSlib's BGZF layer; and the rule for where a line's text ends.
// Thread-safety: one source per thread.
// Invariant: every byte decoded before the end of the file or a decoding fault is returned by read(), so a
//            reader can name the line that was cut.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <htslib/bgzf.h>

namespace ifnsig {

class TextSource {
 public:
  // Throws InputError naming the file when it cannot be opened.
  explicit TextSource(const std::string& path);
  ~TextSource();
  TextSource(const TextSource&) = delete;
  TextSource& operator=(const TextSource&) = delete;

  // Fills out[0, capacity) with decoded bytes; returns fewer only at the end of the file or at a fault.
  std::size_t read(char* out, std::size_t capacity);
  bool at_end() const { return at_end_; }  // the whole file has been read
  bool failed() const { return failed_; }  // decoding failed: the file is truncated or not valid gzip
  bool done() const { return at_end_ || failed_; }

 private:
  class GzipStream;
  std::size_t read_bgzf(char* out, std::size_t capacity);
  BGZF* bgzf_ = nullptr;                 // plain text, BGZF and standard input
  std::unique_ptr<GzipStream> gzip_;     // other gzip files
  bool at_end_ = false;
  bool failed_ = false;
};

// Whether these 18 bytes open a BGZF block: a gzip header whose extra field is BGZF's "BC" subfield.
bool is_bgzf_header(const std::uint8_t* bytes);

// The length of a line's text, given its bytes up to the "\n" or the end of the file: up to two '\r' before
// it are dropped (HTSlib's bgzf_getline dropped one, and ifnsig's readers one more).
std::size_t length_without_terminator(const char* line, std::size_t length);

}  // namespace ifnsig
