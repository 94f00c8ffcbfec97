// Owns: writing an output file so that it appears complete or not at all.
// Thread-safety: one writer per object.
// Invariant: data goes to "<path>.tmp.<pid>" and is renamed onto <path> only by commit();
//            an object destroyed without commit() removes its temporary file. A path that exists and is not
//            a regular file (/dev/null, /dev/stdout, a FIFO) is written directly: renaming onto it would
//            replace the device.
#pragma once
#include <filesystem>
#include <fstream>

namespace ifnsig {

// Throws InputError when `path` could not be created (its directory is missing); call before long work.
void check_output_path(const std::filesystem::path& path);

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  AtomicFile(AtomicFile&&) = default;
  AtomicFile& operator=(AtomicFile&&) = default;
  ~AtomicFile();

  std::ostream& stream() { return out_; }
  const std::filesystem::path& path() const { return final_path_; }
  // Flushes, checks for write errors (disk full), and renames onto the final path.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;  // empty when writing directly
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace ifnsig
