// Owns: the one way ifnsig writes JSON text. Text read from inputs is checked to be UTF-8 as it is read
//       (io/input_text.hpp); paths and command-line arguments are not (a file name may hold any byte but '/'
//       and NUL), so their bytes that are not UTF-8 are written as U+FFFD rather than failing the write.
// Thread-safety: pure functions.
// Invariant: json_text() never throws on the content of a string.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace ifnsig {

// `doc` as JSON text, indented by `indent` spaces per level (-1: on one line).
std::string json_text(const nlohmann::json& doc, int indent = -1);

}  // namespace ifnsig
