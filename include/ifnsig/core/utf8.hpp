// Owns: UTF-8 validation as JSON writers require it (RFC 3629: no overlong forms, no surrogates, nothing
//       above U+10FFFF).
// Thread-safety: pure functions.
// Invariant: a text is valid UTF-8 exactly when utf8_sequence_length() is non-zero at each sequence start.
#pragma once
#include <cstddef>
#include <string_view>

namespace ifnsig {

// The length (1 to 4) of the valid UTF-8 sequence starting at text[at], or 0 when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// The offset of the first byte that does not start a valid UTF-8 sequence; npos when the text is valid.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace ifnsig
