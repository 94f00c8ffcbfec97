// Owns: version strings of ifnsig and of the libraries it runs on, for --version and provenance.
// Thread-safety: pure functions.
// Invariant: the strings are those of the running binary and the libraries actually loaded.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace ifnsig {

std::string ifnsig_version();
std::string htslib_version();
std::string tbb_version();
// "ifnsig 0.1.0 (HTSlib 1.16, oneTBB 2021.8.0)"
std::string version_banner();
// The provenance every JSON output opens with: program, version, HTSlib and TBB versions, command line.
nlohmann::json provenance_json(const std::string& program, const std::string& command);

}  // namespace ifnsig
