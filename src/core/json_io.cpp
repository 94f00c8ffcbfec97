#include "ifnsig/core/json_io.hpp"

#include <fstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

// nlohmann's type name with an article: "a string", "an array", "null".
std::string with_article(const char* type_name) {
  const std::string name = type_name;
  if (name == "null") return name;
  return (name == "array" || name == "object" ? "an " : "a ") + name;
}

}  // namespace

std::string json_text(const nlohmann::json& doc, int indent) {
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot open the file", "check the path");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    // Text that is not JSON (parse_error) or a number no double holds (out_of_range 406). nlohmann's text:
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
    const std::string text = error.what();
    throw InputError(path, "", "not valid JSON: " + text.substr(text.find("] ") + 2));
  }
}

void JsonValue::fail(const std::string& problem) const {
  throw InputError(*file_, "key " + quote_field(path_.empty() ? "/" : path_), problem);
}

void JsonValue::expect(bool ok, const char* expected) const {
  if (!ok) fail(std::string("expected ") + expected + ", found " + with_article(value_->type_name()));
}

bool JsonValue::contains(std::string_view key) const {
  return value_->is_object() && value_->contains(key);
}

JsonValue JsonValue::at(std::string_view key) const {
  expect(value_->is_object(), "an object");
  const auto it = value_->find(key);
  if (it == value_->end()) fail("no member " + quote_field(key));
  return JsonValue(*it, *file_, path_ + "/" + std::string(key));
}

JsonValue JsonValue::element_at(std::size_t i) const {
  return JsonValue((*value_)[i], *file_, path_ + "/" + std::to_string(i));
}

std::vector<JsonValue> JsonValue::elements() const {
  expect(value_->is_array(), "an array");
  std::vector<JsonValue> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.push_back(element_at(i));
  return out;
}

std::vector<std::pair<std::string, JsonValue>> JsonValue::members() const {
  expect(value_->is_object(), "an object");
  std::vector<std::pair<std::string, JsonValue>> out;
  for (const auto& [key, value] : value_->items()) out.emplace_back(key, JsonValue(value, *file_, path_ + "/" + key));
  return out;
}

double JsonValue::number() const {
  expect(value_->is_number(), "a number");
  return value_->get<double>();
}

std::int64_t JsonValue::integer() const {
  expect(value_->is_number_integer(), "an integer");
  return value_->get<std::int64_t>();
}

bool JsonValue::boolean() const {
  expect(value_->is_boolean(), "a boolean");
  return value_->get<bool>();
}

std::string JsonValue::string() const {
  expect(value_->is_string(), "a string");
  return value_->get<std::string>();
}

// The arrays of a reference hold a value per gene: an element gets its path only when it is not a number.
std::vector<double> JsonValue::numbers() const {
  expect(value_->is_array(), "an array");
  std::vector<double> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    const nlohmann::json& element = (*value_)[i];
    out.push_back(element.is_number() ? element.get<double>() : element_at(i).number());
  }
  return out;
}

std::vector<std::string> JsonValue::strings() const {
  expect(value_->is_array(), "an array");
  std::vector<std::string> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    const nlohmann::json& element = (*value_)[i];
    out.push_back(element.is_string() ? element.get<std::string>() : element_at(i).string());
  }
  return out;
}

}  // namespace ifnsig
