// Owns: an open SAM/BAM/CRAM file (HTSlib handles behind RAII) and reading it record by record, or, through
//       its index, only the records overlapping given regions.
// Thread-safety: one thread reads at a time; HTSlib's decompression threads run inside.
// Invariant: a read error throws InputError naming the file and the record (SAM: line) number; so does a SAM
//            record on a contig no @SQ line declares (HTSlib would read it as unmapped). A BGZF file
//            (BAM, bgzipped SAM) without its end-of-file block or a CRAM without its EOF container is refused:
//            a file when it is opened, a stream (standard input, a pipe) when it ends (CRAM: only when
//            decoded without threads, -T 1: HTSlib's threaded decoder does not tell).
#pragma once
#include <htslib/sam.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ifnsig/io/hts.hpp"

namespace ifnsig::count {

// One contig's part of a region query: intervals 0-based, half-open, sorted and not overlapping.
struct ContigRegions {
  int tid = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> intervals;
};

// A record's i-th CIGAR operation. Records of BamChunkReader keep the file's layout, where the CIGAR need
// not be 4-byte aligned, so it is read with memcpy, never through bam_get_cigar's uint32_t*.
inline std::uint32_t cigar_operation(const bam1_t* record, std::uint32_t i) {
  std::uint32_t operation;
  std::memcpy(&operation, record->data + record->core.l_qname + 4 * std::size_t{i}, sizeof operation);
  return operation;
}

// The records a region query reads. BAM: HTSlib's multi-region iterator over the index's chunks. CRAM: one
// single-region iterator per span of nearby regions, each record kept under the first region it overlaps, so
// once: HTSlib 1.16's multi-region iterator misses CRAM records for some region lists (its CRAM index lookup
// and its multi-region CRAM reading were fixed in HTSlib 1.17 and 1.21), which single-region queries do not.
class RegionQuery {
 public:
  RegionQuery() = default;
  explicit RegionQuery(io::IteratorPtr iterator) : iterator_(std::move(iterator)) {}
  bool empty() const { return !iterator_ && spans_.empty(); }
  // The multi-region iterator (BAM), whose chunks say which bytes the query reads; null for CRAM.
  const hts_itr_t* multi_iterator() const { return spans_.empty() ? iterator_.get() : nullptr; }

 private:
  friend class AlignmentReader;
  struct Span {
    std::size_t contig;                    // in contigs_
    std::size_t first_interval, end_interval;  // the contig's intervals it covers
  };
  // CRAM: whether the record's first overlapped interval is one of the current span's.
  bool first_overlap_in_span(const bam1_t* record) const;
  io::IteratorPtr iterator_;
  std::vector<ContigRegions> contigs_;
  std::vector<Span> spans_;
  std::size_t next_span_ = 0;
};

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

  // Region reading. check_indexed() refuses SAM text, a header that says the file is not coordinate-sorted, a
  // remote file whose server does not serve byte ranges and a local file without an index or with an index
  // older than the file, each with the command that fixes it; it returns a local file's index file (empty for
  // a remote file) without reading it. load_index() checks the same and loads the index (BAM: .bai or .csi,
  // CRAM: .crai; a remote file's from the same place).
  std::filesystem::path check_indexed() const;
  void load_index();
  const hts_idx_t* index() const { return index_.get(); }
  // The records overlapping any of the regions, each once, in file order; nothing for an empty list.
  RegionQuery query(const std::vector<ContigRegions>& regions);
  // The unmapped records without a position, at the end of the file.
  RegionQuery query_unplaced();
  // The next record of a query; false at its end.
  bool read(RegionQuery& query, bam1_t* record);

 private:
  // The next record of a single iterator; false at its end.
  bool read(hts_itr_t* iterator, bam1_t* record);
  void read_sam_header();
  bool read_sam_line(bam1_t* record);
  void check_end_of_file_marker(bool threaded_cram);
  [[noreturn]] void refuse_missing_end_of_file_marker() const;
  void at_end() const;
  [[noreturn]] void fail_read(int status) const;
  std::string path_;
  io::HtsFilePtr file_;
  io::HeaderPtr header_;
  io::IndexPtr index_;
  std::uint64_t records_read_ = 0;
  std::uint64_t header_lines_ = 0;
  std::optional<std::uint64_t> first_record_offset_;
  bool sam_text_ = false;      // SAM text, read a line at a time (read_sam_line)
  bool check_at_end_ = false;  // a stream, whose end-of-file marker is checked when it ends
  bool seekable_ = false;      // HTSlib could read the end of the file, so can read any part of it
};

}  // namespace ifnsig::count
