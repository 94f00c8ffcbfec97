// JSON text never fails on bytes that are not UTF-8; an error reading JSON names the key path and the type.
#include "ifnsig/core/json_io.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

const std::string kFile = "ref.json";

std::string error_reading(const std::string& text, const std::function<void(const JsonValue&)>& read) {
  const nlohmann::json doc = nlohmann::json::parse(text);
  try {
    read(JsonValue(doc, kFile));
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(JsonIo, TextReplacesBytesThatAreNotUtf8) {
  EXPECT_EQ(json_text(nlohmann::json{{"path", "genes_\xE9.gtf"}}), "{\"path\":\"genes_\xEF\xBF\xBD.gtf\"}");
}

TEST(JsonIo, ErrorsNameTheKeyPathAndTheTypeExpected) {
  EXPECT_EQ(error_reading(R"({"factors": {"centering": "x"}})",
                          [](const JsonValue& doc) { doc.at("factors").at("centering").number(); }),
            "ref.json:key '/factors/centering': expected a number, found a string");
  EXPECT_EQ(error_reading(R"({"samples": ["A", 2]})", [](const JsonValue& doc) { doc.at("samples").strings(); }),
            "ref.json:key '/samples/1': expected a string, found a number");
  EXPECT_EQ(error_reading(R"({"genes": {"A": 1}})", [](const JsonValue& doc) { doc.at("genes").numbers(); }),
            "ref.json:key '/genes': expected an array, found an object");
  EXPECT_EQ(error_reading(R"({"factors": {}})", [](const JsonValue& doc) { doc.at("factors").at("method"); }),
            "ref.json:key '/factors': no member 'method'");
  EXPECT_EQ(error_reading(R"({"version": 1.5})", [](const JsonValue& doc) { doc.at("version").integer(); }),
            "ref.json:key '/version': expected an integer, found a number");
  EXPECT_EQ(error_reading(R"([1])", [](const JsonValue& doc) { doc.at("version"); }),
            "ref.json:key '/': expected an object, found an array");
  EXPECT_EQ(error_reading(R"({"a": [1, null, 3]})", [](const JsonValue& doc) { doc.at("a").numbers(); }),
            "ref.json:key '/a/1': expected a number, found null");
}

// A number too large for a double (nlohmann throws out_of_range, not parse_error) is refused like any
// other text that is not JSON: a clear error naming the file (found by the reference fuzz harness).
TEST(JsonIo, FileWithANumberOutOfRangeIsNotValidJson) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig-json-io-overflow.json";
  std::ofstream(path) << R"({"factors": [1878.9270122960E331]})";
  try {
    read_json_file(path.string());
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("ifnsig-json-io-overflow.json: not valid JSON: number overflow"),
              std::string::npos)
        << error.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ifnsig
