#include "ifnsig/io/input_text.hpp"

#include <algorithm>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/utf8.hpp"

namespace ifnsig::io {

static_assert(kMaxSampleIdBytes == 213, "update kSampleIdHint");

std::string utf8_problem(std::string_view what, std::string_view text) {
  const std::size_t bad = first_invalid_utf8(text);
  if (bad == std::string_view::npos) return {};
  return std::string(what) + " " + quote_field(text) + " is not valid UTF-8 (byte " + std::to_string(bad + 1) + ")";
}

std::string sample_id_problem(std::string_view id) {
  if (id.empty()) return "empty sample id";
  if (auto problem = utf8_problem("sample id", id); !problem.empty()) return problem;
  const auto control = std::find_if(id.begin(), id.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (control != id.end()) {
    return "sample id " + quote_field(id) + " has a control character (byte " +
           std::to_string(control - id.begin() + 1) + ")";
  }
  if (id.find('/') != std::string_view::npos) return "sample id " + quote_field(id) + " has a '/'";
  if (id.size() > kMaxSampleIdBytes) {
    return "sample id " + quote_field(id) + " is longer than " + std::to_string(kMaxSampleIdBytes) + " bytes";
  }
  return {};
}

}  // namespace ifnsig::io
