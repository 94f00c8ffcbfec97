// Owns: reference.json as a file: its checksum, and the one way it is written and read. Both of its writers
//       (normalize's frozen reference, score's "score" object) write through write_reference_file() and both
//       readers read through read_reference_file(), so a reference edited after it was written is refused
//       wherever it is used.
// Thread-safety: the functions may be called from any thread.
// Invariant: the top-level "checksum" is "md5:" and the MD5 of the document without that key as json_text()
//            writes it on one line (nlohmann's objects keep their keys sorted), so it does not depend on the
//            file's indentation or key order, only on its keys and values.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace ifnsig {

// "md5:<32 hex digits>" of `doc` (an object) without its "checksum" key.
std::string reference_checksum(const nlohmann::json& doc);

// Sets the "checksum" of `doc` (an object) and writes it to `path` atomically (core/atomic_file.hpp).
void write_reference_file(const std::string& path, nlohmann::json doc);

// The JSON document in `path`, its checksum verified when it is an object (whether it is a reference is for
// the caller to check). InputError naming the file when the checksum is malformed or does not match; a
// document without a checksum (written before ifnsig had them, or with the key deleted to use a deliberate
// edit) is accepted with a warning, printed once per file and process.
nlohmann::json read_reference_file(const std::string& path);

}  // namespace ifnsig
