#include "ifnsig/core/version.hpp"

#include <htslib/hts.h>
#include <tbb/version.h>

#include "ifnsig/build_info.hpp"

namespace ifnsig {

std::string ifnsig_version() { return kVersion; }
std::string htslib_version() { return hts_version(); }
std::string tbb_version() { return TBB_runtime_version(); }

std::string version_banner() {
  return "ifnsig " + ifnsig_version() + " (HTSlib " + htslib_version() + ", oneTBB " + tbb_version() + ")";
}

nlohmann::json provenance_json(const std::string& program, const std::string& command) {
  return {{"program", program},
          {"version", ifnsig_version()},
          {"htslib_version", htslib_version()},
          {"tbb_version", tbb_version()},
          {"command", command}};
}

}  // namespace ifnsig
