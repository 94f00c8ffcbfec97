// Owns: small text helpers shared by every reader and writer: splitting fields, parsing numbers
//       with file/line context, and printing doubles so that they read back exactly.
// Thread-safety: pure functions.
// Invariant: format_double(x) parsed with strtod gives back x bit for bit.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ifnsig::io {

// Splits on one delimiter character; keeps empty fields.
void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields);
std::vector<std::string_view> split_fields(std::string_view line, char delimiter);

std::string_view trim(std::string_view text);
// The items of a comma list, trimmed, empty ones left out ("A, B,,C" -> A, B, C).
std::vector<std::string> comma_items(std::string_view field);
// The items with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator);

// A plain decimal ("123", "-6.1234": digits, optionally a point and more digits, at most 15 in all) at the start
// of [p, end), converted to the same double as std::from_chars; returns where it ends, or nullptr when the
// text does not start with one (then use parse_double). Reads nothing at or beyond `end`.
const char* parse_short_decimal(const char* p, const char* end, double& value);
// Parse a whole field; false when the field is not entirely a number.
bool parse_double(std::string_view text, double& value);
bool parse_int64(std::string_view text, std::int64_t& value);

// Shortest decimal that reads back to the same double (fmt's "{}": "0.1", "100000", "1e+16", "1e-05");
// NA, Inf and -Inf for non-finite values, as R writes them.
std::string format_double(double value);
// The same text written at `out`, which must have room for kMaxDoubleChars; returns the end.
constexpr std::size_t kMaxDoubleChars = 24;  // "-2.2250738585072014e-308"
char* write_double(char* out, double value);

}  // namespace ifnsig::io
