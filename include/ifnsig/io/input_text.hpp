// Owns: the rules for text that ifnsig reads from its inputs and writes again. Every sample-sheet field,
//       sample id and gene id must be valid UTF-8: it goes into JSON outputs, which hold nothing else, and
//       must read back the same (a frozen reference's genes, samples and batches). A sample id also names
//       files under OUTDIR/samples: it is not empty and has no control character, no '/' and at most
//       kMaxSampleIdBytes bytes. The readers apply them as they read (sample sheets, `ifnsig run`'s sheet,
//       count-table and matrix headers and gene ids, annotation gene ids), so that errors name the file and
//       line and come before any output is written.
// Thread-safety: pure functions.
// Invariant: a problem is empty exactly when the text passes; it names the text through quote_field().
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "ifnsig/core/atomic_file.hpp"

namespace ifnsig::io {

// The longest name ifnsig makes of a sample id, "<id>.counts.tsv.genes.tsv" (run/sample_counts.hpp)
// written first as "<name>.tmp.<pid>" (core/atomic_file.hpp), must fit a file name component (255 bytes).
inline constexpr std::string_view kLongestSampleFileSuffix = ".counts.tsv.genes.tsv";
inline constexpr std::size_t kMaxSampleIdBytes = 255 - kLongestSampleFileSuffix.size() - kTempSuffixMaxBytes;

inline constexpr const char* kUtf8Hint = "save the file as UTF-8";
inline constexpr const char* kSampleIdHint =
    "sample ids name files under OUTDIR/samples and the columns of every table: use at most 213 bytes of "
    "UTF-8 text without control characters (tab, newline, NUL) or '/'";

// Empty when `text` is valid UTF-8; else "<what> 'caf\xE9' is not valid UTF-8 (byte 4)".
std::string utf8_problem(std::string_view what, std::string_view text);

// Empty when `id` can be a sample id; else what is wrong with it, e.g. "sample id 'a/b' has a '/'".
std::string sample_id_problem(std::string_view id);

}  // namespace ifnsig::io
