#include "ifnsig/io/text_source.hpp"

#include <htslib/hfile.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "ifnsig/core/error.hpp"

namespace ifnsig::io {
namespace {

constexpr std::size_t kGzipInputBytes = std::size_t{1} << 20;

std::uint16_t little_endian_u16(const std::uint8_t* bytes) {
  return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

bool is_gzip_magic(const std::uint8_t* bytes, std::size_t size) {
  return size >= 3 && bytes[0] == 31 && bytes[1] == 139 && bytes[2] == 8;
}

// ISA-L's AVX-512 inflater returns with the upper halves of the vector registers in use. Until they are
// cleared, the SSE code that runs next on the thread (most of ifnsig's floating point, libm) is several times
// slower: reading a gzipped 60,000 x 500 table cost TMM and log-CPM 2.3 s more CPU without this.
void clear_upper_vector_registers() {
#if defined(__x86_64__)
  static const bool has_avx = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") != 0;
  }();
  if (has_avx) asm volatile("vzeroupper" ::: "memory");
#endif
}

[[noreturn]] void cannot_open(const std::string& path) {
  throw InputError(path, "", std::string("cannot open the file: ") + std::strerror(errno),
                   "check that the path exists and is readable");
}

}  // namespace

bool is_bgzf_header(const std::uint8_t* h) {
  return is_gzip_magic(h, kBgzfHeaderBytes) && (h[3] & 4) != 0 && little_endian_u16(h + 10) == 6 && h[12] == 'B' &&
         h[13] == 'C' && little_endian_u16(h + 14) == 2;
}

std::size_t bgzf_block_bytes(const std::uint8_t* header) { return std::size_t{little_endian_u16(header + 16)} + 1; }

// A gzip file of one or more members, inflated by ISA-L as it is read; each member's CRC32 and length are
// checked. Bytes after the last member that do not start another one are ignored, as zlib does.
class TextSource::GzipStream {
 public:
  explicit GzipStream(hFILE* file) : file_(file), input_(kGzipInputBytes) {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
  }
  ~GzipStream() { hclose_abruptly(file_); }  // read-only: nothing to flush
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // As TextSource::read; sets at_end, or the failure, when the stream ends.
  std::size_t read(char* out, std::size_t capacity, bool& at_end, std::string& failure) {
    std::size_t filled = 0;
    while (filled < capacity) {
      // At least a gzip magic's worth of input, so that the start of a next member is seen whole.
      if (state_.avail_in < 3 && !input_ended_) refill();
      if (state_.block_state == ISAL_BLOCK_FINISH) {  // a member ended: another may follow
        if (!is_gzip_magic(state_.next_in, state_.avail_in)) {
          at_end = true;
          break;
        }
        isal_inflate_reset(&state_);
        state_.crc_flag = ISAL_GZIP;
      }
      state_.next_out = reinterpret_cast<std::uint8_t*>(out + filled);
      state_.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(capacity - filled, UINT32_MAX));
      const std::uint32_t offered = state_.avail_out;
      const std::uint32_t available = state_.avail_in;
      const int result = isal_inflate(&state_);
      clear_upper_vector_registers();
      const std::size_t produced = offered - state_.avail_out;
      filled += produced;
      if (result != ISAL_DECOMP_OK) {  // corrupt data or a failed check
        failure = result == ISAL_INCORRECT_CHECKSUM ? "the file is corrupt (gzip CRC mismatch)"
                                                    : "the file is corrupt (invalid gzip data)";
        break;
      }
      // No progress with room for output: it needs more input. At the end of the file, the file was cut.
      if (produced == 0 && state_.avail_in == available && state_.block_state != ISAL_BLOCK_FINISH) {
        if (input_ended_) {
          failure = "the file is truncated (it ends inside a gzip member)";
          break;
        }
        if (available == input_.size()) {
          failure = "the file is corrupt (invalid gzip data)";
          break;
        }
        refill();
      }
    }
    return filled;
  }

 private:
  // Moves the input not consumed yet to the front of the buffer and reads more after it.
  void refill() {
    const std::size_t kept = state_.avail_in;
    if (kept > 0) std::memmove(input_.data(), state_.next_in, kept);
    const ssize_t got = hread(file_, input_.data() + kept, input_.size() - kept);
    input_ended_ = got <= 0;  // the end, or a read error: ISA-L then stops short of the member's end
    state_.next_in = input_.data();
    state_.avail_in = static_cast<std::uint32_t>(kept + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
  }

  hFILE* file_;
  std::vector<std::uint8_t> input_;
  bool input_ended_ = false;
  inflate_state state_;
};

// The first bytes are peeked, not read, so that a pipe (`<(zcat genes.gtf.gz)`, standard input) is read once.
TextSource::TextSource(const std::string& path) {
  hFILE* file = hopen(path.c_str(), "r");
  if (file == nullptr) cannot_open(path);
  std::uint8_t header[kBgzfHeaderBytes];
  const ssize_t peeked = hpeek(file, header, sizeof header);
  const auto got = static_cast<std::size_t>(std::max<ssize_t>(peeked, 0));
  if (is_gzip_magic(header, got) && !(got == sizeof header && is_bgzf_header(header))) {
    gzip_ = std::make_unique<GzipStream>(file);
    return;
  }
  bgzf_ = bgzf_hopen(file, "r");
  if (bgzf_ == nullptr) {
    hclose_abruptly(file);
    cannot_open(path);
  }
}

TextSource::~TextSource() {
  if (bgzf_ != nullptr) bgzf_close(bgzf_);
}

std::size_t TextSource::read(char* out, std::size_t capacity) {
  if (done()) return 0;
  return gzip_ ? gzip_->read(out, capacity, at_end_, failure_) : read_bgzf(out, capacity);
}

bool TextSource::rest_decodes() {
  std::vector<char> scratch(std::size_t{1} << 20);
  while (!done()) read(scratch.data(), scratch.size());
  return !failed();
}

// BGZF blocks (at most 64 KB of text) are loaded one at a time and copied whole or in part, so that every
// byte decoded before an error is kept.
std::size_t TextSource::read_bgzf(char* out, std::size_t capacity) {
  std::size_t filled = 0;
  while (filled < capacity && !done()) {
    if (bgzf_->block_offset >= bgzf_->block_length) {
      if (bgzf_read_block(bgzf_) != 0) {
        failure_ = (bgzf_->errcode & BGZF_ERR_CRC) != 0 ? "the file is corrupt (BGZF block CRC mismatch)"
                                                         : "the file is truncated or not valid gzip";
        break;
      }
      if (bgzf_->block_length == 0) {
        at_end_ = true;
        break;
      }
    }
    const auto available = static_cast<std::size_t>(bgzf_->block_length - bgzf_->block_offset);
    const std::size_t wanted = std::min(capacity - filled, available);
    if (bgzf_read(bgzf_, out + filled, wanted) != static_cast<ssize_t>(wanted)) {
      failure_ = "the file is truncated or not valid gzip";
      break;
    }
    filled += wanted;
  }
  return filled;
}

DamagedFileError::DamagedFileError(const std::string& path, std::uint64_t line, const TextSource& source)
    : InputError(path, at_line(line), source.failure(), "re-create or re-download the file") {}

DamagedFileError::DamagedFileError(const InputError& error, const TextSource& source)
    : InputError(error.file(), error.where(),
                 source.failure() + "; the error on this line likely comes from the damage: " + error.problem(),
                 "re-create or re-download the file") {}

std::size_t length_without_terminator(const char* line, std::size_t length) {
  for (int dropped = 0; dropped < 2 && length > 0 && line[length - 1] == '\r'; ++dropped) --length;
  return length;
}

}  // namespace ifnsig::io
