// Owns: how ifnsig writes JSON text and reads JSON files. Writing: text read from inputs is checked to be
//       UTF-8 as it is read (io/input_text.hpp); paths and command-line arguments are not (a file name may
//       hold any byte but '/' and NUL), so their bytes that are not UTF-8 are written as U+FFFD rather than
//       failing the write. Reading: every value is reached through a JsonValue that knows its key path, so an
//       error names the file, the key and what was expected.
// Thread-safety: pure functions; a JsonValue refers to its document and file name, which must outlive it.
// Invariant: json_text() never throws on the content of a string; reading throws only InputError.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ifnsig {

// `doc` as JSON text, indented by `indent` spaces per level (-1: on one line).
std::string json_text(const nlohmann::json& doc, int indent = -1);

// The JSON document in `path`; InputError when it cannot be opened or is not JSON.
nlohmann::json read_json_file(const std::string& path);

// A value of a JSON file being read, with its key path ("/factors/centering", "/samples/3"). Every accessor
// checks the type: "ref.json:key '/factors/centering': expected a number, found a string".
class JsonValue {
 public:
  JsonValue(const nlohmann::json& value, const std::string& file, std::string path = {})
      : value_(&value), file_(&file), path_(std::move(path)) {}

  bool contains(std::string_view key) const;  // false unless an object with that member
  JsonValue at(std::string_view key) const;   // the member; an error when missing
  std::vector<JsonValue> elements() const;    // of an array
  std::vector<std::pair<std::string, JsonValue>> members() const;  // of an object, in key order

  bool is_null() const { return value_->is_null(); }
  bool is_number() const { return value_->is_number(); }
  double number() const;
  std::int64_t integer() const;
  bool boolean() const;
  std::string string() const;
  std::vector<double> numbers() const;       // an array of numbers
  std::vector<std::string> strings() const;  // an array of strings
  const nlohmann::json& json() const { return *value_; }

  // Throws InputError(file, "key '<path>'", problem).
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  void expect(bool ok, const char* expected) const;
  JsonValue element_at(std::size_t i) const;
  const nlohmann::json* value_;
  const std::string* file_;
  std::string path_;
};

}  // namespace ifnsig
