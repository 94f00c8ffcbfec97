// Owns: RAII ownership of HTSlib's handles (open files, headers, alignment records, indexes, region
//       iterators), for every module that reads or writes SAM/BAM/CRAM.
// Thread-safety: a handle belongs to one thread at a time, as HTSlib's.
#pragma once
#include <htslib/sam.h>

#include <memory>
#include <string_view>

namespace ifnsig::io {

// A URL HTSlib opens through its plugins (https://, s3://, gs://, ...) rather than a local path.
inline bool is_remote_path(std::string_view path) { return path.find("://") != std::string_view::npos; }

struct HtsFileCloser {
  void operator()(htsFile* file) const { hts_close(file); }
};
struct HeaderDeleter {
  void operator()(sam_hdr_t* header) const { sam_hdr_destroy(header); }
};
struct RecordDeleter {
  void operator()(bam1_t* record) const { bam_destroy1(record); }
};
struct IndexDeleter {
  void operator()(hts_idx_t* index) const { hts_idx_destroy(index); }
};
struct IteratorDeleter {
  void operator()(hts_itr_t* iterator) const { hts_itr_destroy(iterator); }
};
using HtsFilePtr = std::unique_ptr<htsFile, HtsFileCloser>;
using IndexPtr = std::unique_ptr<hts_idx_t, IndexDeleter>;
using IteratorPtr = std::unique_ptr<hts_itr_t, IteratorDeleter>;
using HeaderPtr = std::unique_ptr<sam_hdr_t, HeaderDeleter>;
using RecordPtr = std::unique_ptr<bam1_t, RecordDeleter>;
// An empty record; throws Error when out of memory.
RecordPtr new_record();

}  // namespace ifnsig::io
