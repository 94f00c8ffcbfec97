#include "ifnsig/core/checksum.hpp"

#include <htslib/hts.h>

#include <fstream>
#include <memory>
#include <vector>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

struct Md5Deleter {
  void operator()(hts_md5_context* context) const { hts_md5_destroy(context); }
};
using Md5 = std::unique_ptr<hts_md5_context, Md5Deleter>;

Md5 new_md5() {
  Md5 context(hts_md5_init());
  if (!context) throw Error("out of memory starting an MD5 checksum");
  return context;
}

std::string finish(hts_md5_context* context) {
  unsigned char digest[16];
  char hex[33];
  hts_md5_final(digest, context);
  hts_md5_hex(hex, digest);
  return hex;
}

}  // namespace

std::string md5_of_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open the file for reading", "check the path");
  auto context = new_md5();
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hts_md5_update(context.get(), buffer.data(), static_cast<unsigned long>(in.gcount()));
  }
  return finish(context.get());
}

std::string md5_of_text(std::string_view text) {
  auto context = new_md5();
  hts_md5_update(context.get(), text.data(), static_cast<unsigned long>(text.size()));
  return finish(context.get());
}

}  // namespace ifnsig
