// Owns: an open text file (plain, gzip or bgzip-compressed, or standard input "-") decoded in pieces: gzip
//       files that are not BGZF by ISA-L's streaming inflater (several times faster than zlib, which HTSlib
//       uses for them), everything else through HTSlib's BGZF layer; and the rule for where a line's text ends.
// Thread-safety: one source per thread.
// Invariant: every byte decoded before the end of the file or a decoding fault is returned by read(), so a
//            reader can name the line that was cut. A gzip member's CRC is checked at its end, after its
//            bytes were returned: readers parse through parse_checked(), which reports such damage instead of
//            the format error it may have caused first.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <htslib/bgzf.h>

#include "ifnsig/core/error.hpp"

namespace ifnsig::io {

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
  bool failed() const { return !failure_.empty(); }  // decoding failed: the file is truncated or corrupt
  bool done() const { return at_end_ || failed(); }
  // Why decoding failed, as a message: "the file is corrupt (gzip CRC mismatch)"; empty unless failed().
  const std::string& failure() const { return failure_; }
  // Decodes and drops the rest of the file; false when that fails.
  bool rest_decodes();

 private:
  class GzipStream;
  std::size_t read_bgzf(char* out, std::size_t capacity);
  BGZF* bgzf_ = nullptr;                 // plain text, BGZF and standard input
  std::unique_ptr<GzipStream> gzip_;     // other gzip files
  bool at_end_ = false;
  std::string failure_;
};

// The error for a file that could not be decoded past line `line` - 1.
class DamagedFileError : public InputError {
 public:
  DamagedFileError(const std::string& path, std::uint64_t line, const TextSource& source);
  // `error`, a format error in `source`'s file, caused by damage found further on.
  DamagedFileError(const InputError& error, const TextSource& source);
};

// Runs `parse`, which reads the file `path` from `source`. When it throws an InputError about that file and
// the rest of the file does not decode, the format error was a symptom of the damage: the damage is thrown
// instead, at the same line.
template <typename Parse>
auto parse_checked(const std::string& path, TextSource& source, Parse&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const DamagedFileError&) {
    throw;
  } catch (const InputError& error) {
    if (error.file() == path && !source.rest_decodes()) throw DamagedFileError(error, source);
    throw;
  }
}

// A BGZF block's header: the gzip header with BGZF's extra field, which holds the block's size.
inline constexpr std::size_t kBgzfHeaderBytes = 18;
// Whether these kBgzfHeaderBytes bytes open a BGZF block: a gzip header whose extra field is BGZF's "BC"
// subfield.
bool is_bgzf_header(const std::uint8_t* bytes);
// The whole block's size in the file (BSIZE + 1), from a header is_bgzf_header accepts.
std::size_t bgzf_block_bytes(const std::uint8_t* header);

// The length of a line's text, given its bytes up to the "\n" or the end of the file: up to two '\r' before
// it are dropped (HTSlib's bgzf_getline dropped one, and ifnsig's readers one more).
std::size_t length_without_terminator(const char* line, std::size_t length);

}  // namespace ifnsig::io
