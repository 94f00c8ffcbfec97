// reference.json's checksum: whatever edits a key or value is refused by every reader, re-indenting is not,
// and a reference without a checksum (an older ifnsig's) is read with one warning.
#include "ifnsig/core/reference_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"

namespace ifnsig {
namespace {

std::string temp_path(const std::string& name) { return std::string(::testing::TempDir()) + "/" + name; }

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A reference (its shape as normalize writes it) written through write_reference_file.
std::string written_reference(const std::string& name) {
  const auto doc = nlohmann::json::parse(R"({"format": "ifnsig-reference", "version": 1, "genes": ["IFI27", "RSAD2",
      "ISG15"], "factors": {"method": "ratio", "log_geo_means": [2.5, 0.125, null]}, "score": {}})");
  const auto path = temp_path(name);
  write_reference_file(path, doc);
  return path;
}

// The error message of reading `path`, or "" when it reads.
std::string read_error(const std::string& path) {
  try {
    read_reference_file(path);
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    return e.what() + std::string("\n") + e.hint();
  }
  return "";
}

TEST(ReferenceFile, WrittenWithAChecksumOfTheCanonicalDocument) {
  const auto path = written_reference("ref_written.json");
  const auto doc = nlohmann::json::parse(read_text(path));
  ASSERT_TRUE(doc.contains("checksum"));
  EXPECT_EQ(doc["checksum"].get<std::string>().size(), 4u + 32u);
  EXPECT_EQ(doc["checksum"], reference_checksum(doc));
  EXPECT_EQ(read_error(path), "");
  EXPECT_EQ(read_reference_file(path), doc);
}

TEST(ReferenceFile, AGeneRemovedByHandIsRefused) {
  const auto path = written_reference("ref_gene_removed.json");
  auto doc = nlohmann::json::parse(read_text(path));
  doc["genes"].erase(1);
  doc["factors"]["log_geo_means"].erase(1);
  std::ofstream(path) << doc.dump(1);
  const std::string error = read_error(path);
  EXPECT_NE(error.find("modified after ifnsig wrote it"), std::string::npos) << error;
  EXPECT_NE(error.find("ifnsig normalize --save-reference"), std::string::npos) << error;
  EXPECT_NE(error.find("delete its \"checksum\" key"), std::string::npos) << error;
}

TEST(ReferenceFile, ADigitChangedByHandIsRefused) {
  const auto path = written_reference("ref_digit_changed.json");
  std::string text = read_text(path);
  const auto at = text.find("0.125");
  ASSERT_NE(at, std::string::npos);
  text[at + 4] = '6';
  std::ofstream(path) << text;
  EXPECT_NE(read_error(path).find("modified after ifnsig wrote it"), std::string::npos);
}

TEST(ReferenceFile, ReindentedOrReorderedIsAccepted) {
  const auto path = written_reference("ref_reindented.json");
  const auto doc = nlohmann::json::parse(read_text(path));
  std::ofstream(path) << doc.dump(4);
  EXPECT_EQ(read_error(path), "");
  // Keys in reverse order (as a tool that keeps insertion order may write them): the same document.
  std::string reordered;
  for (const auto& [key, value] : doc.items()) {
    reordered = nlohmann::json(key).dump() + ": " + value.dump() + (reordered.empty() ? "" : ",\n") + reordered;
  }
  std::ofstream(path) << "{" + reordered + "}";
  EXPECT_EQ(read_error(path), "");
}

TEST(ReferenceFile, AMalformedChecksumIsRefused) {
  const auto path = written_reference("ref_malformed.json");
  auto doc = nlohmann::json::parse(read_text(path));
  doc["checksum"] = "sha1:0123";
  std::ofstream(path) << doc.dump(1);
  EXPECT_NE(read_error(path).find("key '/checksum': 'sha1:0123' is not an MD5 checksum"), std::string::npos);
  doc["checksum"] = 12;
  std::ofstream(path) << doc.dump(1);
  EXPECT_NE(read_error(path).find("key '/checksum': expected a string, found a number"), std::string::npos);
}

TEST(ReferenceFile, WithoutAChecksumIsReadWithOneWarning) {
  const auto path = written_reference("ref_no_checksum.json");
  auto doc = nlohmann::json::parse(read_text(path));
  doc.erase("checksum");
  doc["genes"][0] = "IFI44L";  // an edit made on purpose: the key was deleted to use it
  std::ofstream(path) << doc.dump(1);
  const LogLevel level = log_level();
  set_log_level(LogLevel::kWarning);
  ::testing::internal::CaptureStderr();
  const auto first = read_reference_file(path);
  read_reference_file(path);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  set_log_level(level);
  EXPECT_EQ(first["genes"][0], "IFI44L");
  EXPECT_NE(warnings.find(path + ": the reference has no \"checksum\""), std::string::npos) << warnings;
  EXPECT_EQ(warnings.find("has no"), warnings.rfind("has no")) << "warned more than once: " << warnings;
}

}  // namespace
}  // namespace ifnsig
