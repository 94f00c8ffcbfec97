// Owns: writing an output file so that it appears complete or not at all.
// Thread-safety: one writer per object.
// Invariant: data goes to "<path>.tmp.<host>.<pid>" and is renamed onto <path> only by commit();
//            an object destroyed without commit() removes its temporary file. A path that exists and is not
//            a regular file (/dev/null, /dev/stdout, a FIFO) is written directly: renaming onto it would
//            replace the device.
#pragma once
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <vector>

namespace ifnsig {

// Call before long work. Throws a UsageError when an output is an existing file that is also one of the
// inputs (std::filesystem::equivalent: through any link or spelling), which committing it would replace;
// an InputError naming the output when AtomicFile could not write it: its directory is missing or not
// writable (tried by creating and removing the temporary file AtomicFile would write; a device written in
// place by access(W_OK)), or it is a directory.
void check_outputs(const std::vector<std::filesystem::path>& outputs, const std::vector<std::filesystem::path>& inputs);

// The suffix of this process's temporary names: ".tmp.<host>.<pid>", the host as 8 hex digits of a hash of
// its name (a cluster's jobs on several nodes may write into one shared directory).
const std::string& temporary_suffix();

// The most temporary_suffix() adds to a final name: ".tmp.", 8 hex digits, "." and a pid (at most 7 digits:
// Linux's pid_max is at most 2^22).
inline constexpr std::size_t kTempSuffixMaxBytes = 21;

// Removes the files and directories directly in `dir` whose names end in a temporary suffix of this host
// and a process that no longer runs (left by a killed writer). Those of other hosts or of live processes
// are kept. Returns how many were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

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
