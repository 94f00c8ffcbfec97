#include "ifnsig/core/error.hpp"

#include <cstdio>

#include "ifnsig/core/utf8.hpp"

namespace ifnsig {

std::string quote_field(std::string_view field) {
  std::string out = "'";
  std::size_t at = 0;
  for (std::size_t shown = 0; at < field.size() && shown < kEchoedCharacters; ++shown) {
    const auto byte = static_cast<unsigned char>(field[at]);
    const std::size_t length = utf8_sequence_length(field, at);
    if (byte == '\t') {
      out += "\\t";
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == 0) {
      out += "\\0";
    } else if (byte < 0x20 || byte == 0x7F || length == 0) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      out += escaped;
    } else {
      out.append(field.substr(at, length));
    }
    at += length == 0 ? 1 : length;
  }
  out += '\'';
  if (at < field.size()) {
    out.insert(out.size() - 1, "\u2026");
    out += " (" + std::to_string(field.size()) + " bytes)";
  }
  return out;
}

}  // namespace ifnsig
