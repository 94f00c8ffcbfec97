#include "ifnsig/core/reference_file.hpp"

#include <mutex>
#include <set>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/core/log.hpp"

namespace ifnsig {
namespace {

constexpr const char* kKey = "checksum";
constexpr const char* kPrefix = "md5:";
constexpr const char* kRegenerate =
    "regenerate it with `ifnsig normalize --save-reference` (then `ifnsig score --save-reference`) or `ifnsig run`";
constexpr const char* kDeliberate =
    "; to use an edit made on purpose, delete its \"checksum\" key: it is then read with a warning";

// Warns once per file in this process (`ifnsig run --reference` reads the file three times).
void warn_unchecked(const std::string& path) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  {
    const std::lock_guard lock(mutex);
    if (!warned.insert(path).second) return;
  }
  log_warning(path + ": the reference has no \"checksum\" (written by an older ifnsig, or the key was deleted), "
              "so changes made to it after it was written cannot be detected; " + kRegenerate + " to add one");
}

}  // namespace

std::string reference_checksum(const nlohmann::json& doc) {
  if (!doc.contains(kKey)) return kPrefix + md5_of_text(json_text(doc));
  nlohmann::json without = doc;
  without.erase(kKey);
  return kPrefix + md5_of_text(json_text(without));
}

void write_reference_file(const std::string& path, nlohmann::json doc) {
  doc.erase(kKey);
  doc[kKey] = reference_checksum(doc);
  AtomicFile out(path);
  out.stream() << json_text(doc, 1) << '\n';
  out.commit();
}

nlohmann::json read_reference_file(const std::string& path) {
  nlohmann::json doc = read_json_file(path);
  if (!doc.is_object()) return doc;
  if (!doc.contains(kKey)) {
    warn_unchecked(path);
    return doc;
  }
  const std::string stored = JsonValue(doc, path).at(kKey).string();
  if (stored.rfind(kPrefix, 0) != 0) {
    throw InputError(path, "key '/checksum'", quote_field(stored) + " is not an MD5 checksum (\"md5:\" and 32 hex digits)",
                     std::string(kRegenerate) + kDeliberate);
  }
  if (stored != reference_checksum(doc)) {
    throw InputError(path, "", "the reference was modified after ifnsig wrote it: its content does not match its "
                     "\"checksum\" (a gene removed, a number changed?)",
                     std::string(kRegenerate) + kDeliberate);
  }
  return doc;
}

}  // namespace ifnsig
