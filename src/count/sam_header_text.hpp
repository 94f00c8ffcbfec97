// Owns (inside count): the header of a SAM text file as featureCounts reads it. featureCounts takes every line
//       starting with '@' before the first record as header and reads the records whatever those lines say;
//       HTSlib refuses the whole file for one line it cannot parse (a bare `@PG`, `@PG` or `@RG` without ID, a
//       type other than HD/SQ/RG/PG/CO, a tag without ':', a second `@SQ` of a contig). This keeps the lines
//       HTSlib reads, in order, and counts the others, which the reader names in one warning. BAM and CRAM
//       headers are binary and stay strict (HTSlib's own reading).
// Thread-safety: a pure function of its input.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ifnsig/io/hts.hpp"

namespace ifnsig::count {

struct ReadableSamHeader {
  io::HeaderPtr header;              // HTSlib's header of the kept lines (null if HTSlib still refuses them)
  std::uint64_t left_out = 0;    // header lines HTSlib refuses
  std::uint64_t first_left_out = 0;  // its 1-based line number (0: none)
  std::string first_left_out_text;
  // Contigs named only by left-out `@SQ` lines (one without LN): HTSlib reads their records as unmapped.
  std::vector<std::string> contigs_left_out;
};

// `lines`: the header lines without their '\n', in file order (line i is line i+1 of the file). A line is kept
// if HTSlib's SAM reader takes its type (HD, SQ, RG and PG followed by a tab, CO), HTSlib reads it alone and,
// for `@SQ`, no kept `@SQ` names the same contig (the one rule HTSlib applies across lines that refuses a
// header). A header whose lines all pass is read whole, in one step.
ReadableSamHeader keep_readable_header_lines(const std::vector<std::string>& lines);

}  // namespace ifnsig::count
