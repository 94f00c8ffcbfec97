// Owns: content checksums used in provenance and for deciding whether outputs are up to date.
// Thread-safety: pure functions.
// Invariant: MD5 in lower-case hex, as md5sum prints it.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace ifnsig {

std::string md5_of_file(const std::filesystem::path& path);
std::string md5_of_text(std::string_view text);

}  // namespace ifnsig
