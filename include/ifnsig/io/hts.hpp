// Owns: RAII ownership of HTSlib's handles (open files, headers, alignment records), for every module that
//       reads or writes SAM/BAM/CRAM.
// Thread-safety: a handle belongs to one thread at a time, as HTSlib's.
#pragma once
#include <htslib/sam.h>

#include <memory>

namespace ifnsig {

struct HtsFileCloser {
  void operator()(htsFile* file) const { hts_close(file); }
};
struct HeaderDeleter {
  void operator()(sam_hdr_t* header) const { sam_hdr_destroy(header); }
};
struct RecordDeleter {
  void operator()(bam1_t* record) const { bam_destroy1(record); }
};
using HtsFilePtr = std::unique_ptr<htsFile, HtsFileCloser>;
using HeaderPtr = std::unique_ptr<sam_hdr_t, HeaderDeleter>;
using RecordPtr = std::unique_ptr<bam1_t, RecordDeleter>;
// An empty record; throws Error when out of memory.
RecordPtr new_record();

}  // namespace ifnsig
