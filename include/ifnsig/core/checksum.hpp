// Owns: content checksums used in provenance and for deciding whether outputs are up to date.
// Thread-safety: the functions are pure; one Md5 object per thread.
// Invariant: MD5 in lower-case hex, as md5sum prints it.
#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace ifnsig {

// An MD5 checksum of bytes fed in order, in pieces.
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void update(const void* bytes, std::size_t size);
  std::string hex();  // ends the checksum

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// Empty for what is not a regular file (a pipe such as `-a <(zcat genes.gtf.gz)`, a device): its bytes can be
// read only once, by the reader that uses them.
std::string md5_of_file(const std::filesystem::path& path);
std::string md5_of_text(std::string_view text);

}  // namespace ifnsig
