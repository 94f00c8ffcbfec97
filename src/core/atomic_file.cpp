#include "ifnsig/core/atomic_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

// Why a write failed, from errno where it holds a write error (a failed stream write leaves the system
// call's errno behind; nothing later clears it, but other calls may set it, so only these are trusted).
std::string write_failure() {
  const int error = errno;
  if (error == ENOSPC || error == EDQUOT || error == EIO || error == EFBIG || error == EROFS) {
    return std::strerror(error);
  }
  return "a write error";
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "host";
  std::string host(name);
  std::replace(host.begin(), host.end(), '.', '_');  // the suffix is split at dots
  return host;
}

}  // namespace

const std::string& temporary_suffix() {
  static const std::string suffix = ".tmp." + host_name() + "." + std::to_string(::getpid());
  return suffix;
}

std::size_t remove_stale_temporaries(const std::filesystem::path& dir) {
  static const std::string host_marker = ".tmp." + host_name() + ".";
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
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
    if (std::filesystem::remove_all(entry.path(), ignored) > 0) ++removed;
  }
  return removed;
}

void check_output_path(const std::filesystem::path& path) {
  if (path.has_parent_path() && !std::filesystem::is_directory(path.parent_path())) {
    throw InputError(path.string(), "", "the output directory does not exist",
                     "create " + path.parent_path().string() + " first");
  }
}

AtomicFile::AtomicFile(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
  check_output_path(final_path_);
  const auto status = std::filesystem::status(final_path_);
  const bool special = std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
  if (!special) temp_path_ = final_path_.string() + temporary_suffix();
  const auto& open_path = special ? final_path_ : temp_path_;
  out_.open(open_path, std::ios::binary | std::ios::trunc);
  if (!out_) {
    const int error = errno;
    throw InputError(open_path.string(), "", std::string("cannot create the output file: ") + std::strerror(error),
                     "check that the directory is writable");
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temp_path_.empty()) {
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
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
  if (!temp_path_.empty()) std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) {
    throw InputError(final_path_.string(), "", "cannot move the finished output into place: " + ec.message());
  }
  committed_ = true;
}

}  // namespace ifnsig
