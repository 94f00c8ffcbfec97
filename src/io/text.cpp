#include "ifnsig/io/text.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace ifnsig::io {

void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(delimiter, start);
    if (end == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return;
    }
    fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

std::vector<std::string_view> split_fields(std::string_view line, char delimiter) {
  std::vector<std::string_view> fields;
  split_fields(line, delimiter, fields);
  return fields;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> comma_items(std::string_view field) {
  std::vector<std::string> items;
  for (auto item : split_fields(field, ',')) {
    if (!trim(item).empty()) items.emplace_back(trim(item));
  }
  return items;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

// Clinger's fast path: an integer of at most 15 digits (below 2^53) and a power of ten up to 10^15 are exact
// doubles, so their one correctly rounded quotient is the correctly rounded value of the decimal.
const char* parse_short_decimal(const char* p, const char* end, double& value) {
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  constexpr int kMaxDigits = 15;
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::uint64_t digits = 0;
  int n_digits = 0, fraction_digits = 0;
  for (; p != end && static_cast<unsigned>(*p - '0') < 10; ++p, ++n_digits) digits = digits * 10 + static_cast<unsigned>(*p - '0');
  if (n_digits == 0) return nullptr;
  if (p != end && *p == '.') {
    ++p;
    for (; p != end && static_cast<unsigned>(*p - '0') < 10; ++p, ++fraction_digits) {
      digits = digits * 10 + static_cast<unsigned>(*p - '0');
    }
    n_digits += fraction_digits;
    if (fraction_digits == 0) return nullptr;
  }
  if (n_digits > kMaxDigits || (p != end && (*p == 'e' || *p == 'E'))) return nullptr;
  const double magnitude = static_cast<double>(digits) / kPowersOfTen[fraction_digits];
  value = negative ? -magnitude : magnitude;
  return p;
}

bool parse_double(std::string_view text, double& value) {
  text = trim(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  if (parse_short_decimal(text.data(), text.data() + text.size(), value) == text.data() + text.size()) return true;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec == std::errc() && result.ptr == text.data() + text.size()) return true;
  // R writes "NA", "Inf"; from_chars accepts "inf"/"nan" but not "Inf" with capital letters
  // on every library, so fall back to strtod for those spellings.
  const std::string copy(text);
  char* end = nullptr;
  value = std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

bool parse_int64(std::string_view text, std::int64_t& value) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

char* write_double(char* out, double value) {
  if (std::isfinite(value)) return fmt::format_to(out, FMT_COMPILE("{}"), value);
  const std::string_view word = std::isnan(value) ? "NA" : value > 0 ? "Inf" : "-Inf";
  return std::copy(word.begin(), word.end(), out);
}

std::string format_double(double value) {
  char buffer[kMaxDoubleChars];
  return std::string(buffer, write_double(buffer, value));
}

}  // namespace ifnsig::io
