#include "ifnsig/core/checksum.hpp"

#include <htslib/hts.h>

#include <fstream>
#include <vector>

#include "ifnsig/core/error.hpp"

namespace ifnsig {

struct Md5::Context {
  hts_md5_context* md5 = hts_md5_init();
  ~Context() { hts_md5_destroy(md5); }
};

Md5::Md5() : context_(std::make_unique<Context>()) {
  if (context_->md5 == nullptr) throw Error("out of memory starting an MD5 checksum");
}

Md5::~Md5() = default;

void Md5::update(const void* bytes, std::size_t size) {
  hts_md5_update(context_->md5, bytes, static_cast<unsigned long>(size));
}

std::string Md5::hex() {
  unsigned char digest[16];
  char hex[33];
  hts_md5_final(digest, context_->md5);
  hts_md5_hex(hex, digest);
  return hex;
}

std::string md5_of_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::exists(path, error) && !std::filesystem::is_regular_file(path, error)) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open the file for reading", "check the path");
  Md5 md5;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    md5.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  return md5.hex();
}

std::string md5_of_text(std::string_view text) {
  Md5 md5;
  md5.update(text.data(), text.size());
  return md5.hex();
}

}  // namespace ifnsig
