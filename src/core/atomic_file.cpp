#include "ifnsig/core/atomic_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

namespace fs = std::filesystem;

// Why a write failed, from errno where it holds a write error (a failed stream write leaves the system
// call's errno behind; nothing later clears it, but other calls may set it, so only these are trusted).
std::string write_failure() {
  const int error = errno;
  if (error == ENOSPC || error == EDQUOT || error == EIO || error == EFBIG || error == EROFS) {
    return std::strerror(error);
  }
  return "a write error";
}

// This host, as 8 hex digits of the FNV-1a hash of its name: short, so that temporary names stay far below
// the file system's 255 bytes, and free of the dots the suffix is split at.
std::string host_tag() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  std::uint32_t hash = 2166136261u;
  for (const char* c = name; *c != '\0'; ++c) hash = (hash ^ static_cast<unsigned char>(*c)) * 16777619u;
  char tag[9];
  std::snprintf(tag, sizeof tag, "%08x", hash);
  return tag;
}

// Where AtomicFile writes `path`: "<path>" + temporary_suffix(), or `path` itself when it exists and is not a regular
// file (renaming onto a device would replace it). Throws when the directory is missing or `path` is one.
fs::path writing_path(const fs::path& path) {
  if (path.has_parent_path() && !fs::is_directory(path.parent_path())) {
    throw InputError(path.string(), "", "the output directory does not exist",
                     "create " + path.parent_path().string() + " first");
  }
  const auto status = fs::status(path);
  if (fs::is_directory(status)) {
    throw InputError(path.string(), "", "is a directory, not an output file", "give a file name in that directory");
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) return path;
  return path.string() + temporary_suffix();
}

// Opens `open_path`, writing_path(path).
void open_for_writing(std::ofstream& out, const fs::path& open_path, const fs::path& path) {
  out.open(open_path, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw InputError(path.string(), "", std::string("cannot create the output file: ") + std::strerror(errno),
                     "check that the directory is writable, or choose another output path");
  }
}

// Throws when AtomicFile could not write `path` (see check_outputs).
void check_output_path(const fs::path& path) {
  const fs::path open_path = writing_path(path);
  if (open_path == path) {  // written in place; opening a FIFO to try would wait for its reader
    if (::access(path.c_str(), W_OK) != 0) {
      throw InputError(path.string(), "", std::string("cannot write the output: ") + std::strerror(errno),
                       "choose another output path");
    }
    return;
  }
  {
    std::ofstream probe;
    open_for_writing(probe, open_path, path);
  }
  std::error_code ignored;
  fs::remove(open_path, ignored);
}

}  // namespace

const std::string& temporary_suffix() {
  static const std::string suffix = ".tmp." + host_tag() + "." + std::to_string(::getpid());
  return suffix;
}

std::size_t remove_stale_temporaries(const fs::path& dir) {
  static const std::string host_marker = ".tmp." + host_tag() + ".";
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto at = name.rfind(host_marker);
    if (at == std::string::npos) continue;
    const std::string pid_text = name.substr(at + host_marker.size());
    if (pid_text.empty() || pid_text.size() > 9 || pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const auto pid = static_cast<pid_t>(std::stol(pid_text));
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // running (or not ours to signal): not stale
    std::error_code ignored;
    if (fs::remove_all(entry.path(), ignored) > 0) ++removed;
  }
  return removed;
}

void check_outputs(const std::vector<fs::path>& outputs, const std::vector<fs::path>& inputs) {
  for (const auto& output : outputs) {
    if (fs::is_regular_file(output)) {  // an existing file: renaming onto it would replace it
      for (const auto& input : inputs) {
        std::error_code ec;
        if (!fs::equivalent(output, input, ec)) continue;
        throw UsageError("the output " + output.string() + " is the input " + input.string() +
                             ": writing it would replace the input",
                         "give the output another name");
      }
    }
    check_output_path(output);
  }
}

AtomicFile::AtomicFile(fs::path final_path) : final_path_(std::move(final_path)) {
  const fs::path open_path = writing_path(final_path_);
  if (open_path != final_path_) temp_path_ = open_path;
  open_for_writing(out_, open_path, final_path_);
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temp_path_.empty()) {
    out_.close();
    std::error_code ignored;
    fs::remove(temp_path_, ignored);
  }
}

void AtomicFile::commit() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok) {
    throw InputError(final_path_.string(), "", "writing the output failed: " + write_failure(),
                     "check free disk space");
  }
  std::error_code ec;
  if (!temp_path_.empty()) fs::rename(temp_path_, final_path_, ec);
  if (ec) {
    throw InputError(final_path_.string(), "", "cannot move the finished output into place: " + ec.message());
  }
  committed_ = true;
}

}  // namespace ifnsig
