#include "ifnsig/core/atomic_file.hpp"

#include <unistd.h>

#include <system_error>

#include "ifnsig/core/error.hpp"

namespace ifnsig {

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
  if (!special) temp_path_ = final_path_.string() + ".tmp." + std::to_string(::getpid());
  const auto& open_path = special ? final_path_ : temp_path_;
  out_.open(open_path, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw InputError(open_path.string(), "", "cannot create the output file",
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
    throw InputError(final_path_.string(), "", "writing the output failed", "check free disk space");
  }
  std::error_code ec;
  if (!temp_path_.empty()) std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) {
    throw InputError(final_path_.string(), "", "cannot move the finished output into place: " + ec.message());
  }
  committed_ = true;
}

}  // namespace ifnsig
