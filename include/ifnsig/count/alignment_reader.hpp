// Owns: an open SAM/BAM/CRAM file (HTSlib handles behind RAII) and reading it record by record.
// Thread-safety: one thread reads at a time; HTSlib's decompression threads run inside.
// Invariant: a read error throws InputError naming the file and the record (SAM: line) number. A BGZF file
//            (BAM, bgzipped SAM) without its end-of-file block or a CRAM without its EOF container is refused:
//            a file when it is opened, a stream (standard input, a pipe) when it ends (CRAM: only when
//            decoded without threads, -T 1: HTSlib's threaded decoder does not tell).
#pragma once
#include <htslib/sam.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "ifnsig/io/hts.hpp"

namespace ifnsig {

// A record's i-th CIGAR operation. Records of BamChunkReader keep the file's layout, where the CIGAR need
// not be 4-byte aligned, so it is read with memcpy, never through bam_get_cigar's uint32_t*.
inline std::uint32_t cigar_operation(const bam1_t* record, std::uint32_t i) {
  std::uint32_t operation;
  std::memcpy(&operation, record->data + record->core.l_qname + 4 * std::size_t{i}, sizeof operation);
  return operation;
}

class AlignmentReader {
 public:
  // path "-" reads standard input. CRAM needs reference_fasta; only the fields counting uses are decoded.
  // decompression_threads: HTSlib's pool, for inputs without first_record_offset().
  AlignmentReader(const std::string& path, const std::string& reference_fasta, int decompression_threads);

  const sam_hdr_t* header() const { return header_.get(); }
  const std::string& path() const { return path_; }
  const char* format_name() const;
  bool compressed() const;
  // For a BGZF-compressed BAM file on disk (on a little-endian host): the virtual offset of its first
  // record, from where BamChunkReader reads the blocks directly. Empty for other inputs.
  std::optional<std::uint64_t> first_record_offset() const { return first_record_offset_; }
  // False at the end of the file.
  bool read(bam1_t* record);
  std::uint64_t records_read() const { return records_read_; }

 private:
  void check_end_of_file_marker(bool threaded_cram);
  [[noreturn]] void refuse_missing_end_of_file_marker() const;
  void at_end() const;
  [[noreturn]] void fail_read(int status) const;
  std::string path_;
  HtsFilePtr file_;
  HeaderPtr header_;
  std::uint64_t records_read_ = 0;
  std::uint64_t header_lines_ = 0;
  std::optional<std::uint64_t> first_record_offset_;
  bool check_at_end_ = false;  // a stream, whose end-of-file marker is checked when it ends
};

}  // namespace ifnsig
