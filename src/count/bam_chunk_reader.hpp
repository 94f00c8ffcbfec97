// Owns: reading the records of a BAM file on disk in chunks, in four steps that the counting pipeline runs
//       in different stages, so that only two O(1) steps are serial:
//       claim (serial, in file order): the next window of the file's bytes; a chunk is the BGZF blocks that
//         begin in its window, so chunk boundaries depend on the file alone;
//       load (any thread): reads the window's bytes, finds its first block (by its header: a guess that link
//         checks), reads and inflates its blocks and cuts their data into records, guessing that the first
//         block starts with a record (true of files HTSlib writes);
//       link (serial, in file order): checks both guesses against the chunk before (the end of its last block,
//         the record it left unfinished) and redoes what was guessed wrong; reports a problem load found, in
//         file order; hashes the bytes for md5();
//       parse_records (any thread): checks each record and fills a bam1_t whose data points at the inflated
//         bytes, never copied.
//       It replaces HTSlib's BGZF layer for BAM files on disk, whose own thread pool costs more CPU in
//       hand-offs than it saves at low thread counts.
// Thread-safety: claim and link from one thread at a time, each in chunk order; load and parse_records from any
//                thread on distinct chunks.
// Invariant: the records equal what HTSlib's sam_read1 returns for the same file, with its checks (sizes,
//            CIGAR against the sequence length, reference ids against the header, CG-tag CIGARs), except
//            that the read name is not padded with NULs (l_extranul 0), so the CIGAR need not be 4-byte
//            aligned: read it with cigar_operation(); every error names the file and the record number or
//            the byte offset of the bad block, and is raised in file order whatever thread found it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ifnsig/core/checksum.hpp"
#include "ifnsig/count/alignment_reader.hpp"

namespace ifnsig {

struct BamChunk {
  struct Span {
    std::uint8_t* bytes;  // after the record's length field
    std::uint32_t length;
  };
  std::uint64_t window_start = 0;  // claimed bytes of the file: the chunk holds the blocks that begin in them
  std::uint64_t window_end = 0;
  std::uint64_t first_block = 0;   // file offset of the first block (window_end when none begins in the window)
  std::uint64_t end = 0;           // file offset just after the last block
  std::uint64_t buffer_offset = 0;          // file offset of compressed[0]
  std::vector<std::uint8_t> compressed;     // the file's bytes from buffer_offset; grows, never shrinks
  std::vector<std::uint32_t> block_ends;    // end of each block in `compressed`
  std::vector<std::uint32_t> inflated_ends;  // end of each block's data in `inflated` (from ISIZE)
  std::vector<std::uint8_t> inflated;       // grows, never shrinks
  std::vector<std::uint8_t> straddling;  // a record begun in an earlier chunk and completed in this one
  std::vector<Span> spans;               // the records that end in this chunk, in file order
  std::size_t cut_from = 0;              // where load() began cutting `inflated`
  std::size_t cut_end = 0;               // where the cut stopped: the start of an unfinished record
  std::string bad_record;                // what is wrong with record spans.size() of the cut, if anything
  std::string block_problem;             // a bad block load() found: its message and where
  std::uint64_t block_problem_offset = 0;
  std::uint64_t first_record = 0;        // number (from 1) of spans[0] in the file, set by link()
  // The parsed records, [0, spans.size()); their data points into `inflated` or `straddling`.
  std::vector<bam1_t> records;

  std::size_t inflated_size() const;  // of this chunk's data (`inflated` may be longer)
};

class BamChunkReader {
 public:
  // Bytes claimed per chunk: about ten blocks, a few thousand short reads.
  static constexpr std::uint64_t kWindowBytes = 256 * 1024;

  // first_record: HTSlib's virtual offset just after the header (see AlignmentReader::first_record_offset).
  // with_md5: the file's MD5 is computed from the bytes as they are linked (md5()). window_bytes: for tests.
  BamChunkReader(const std::string& path, std::uint64_t first_record, int n_references, bool with_md5 = false,
                 std::uint64_t window_bytes = kWindowBytes);
  ~BamChunkReader();
  BamChunkReader(const BamChunkReader&) = delete;
  BamChunkReader& operator=(const BamChunkReader&) = delete;

  // Claims the next window of the file. False at the end.
  bool claim(BamChunk& chunk);
  // Reads, inflates and cuts the claimed window's blocks (see above).
  void load(BamChunk& chunk) const;
  // Completes the chunk in file order; returns the number of records that end in it.
  std::size_t link(BamChunk& chunk);
  // Fills chunk.records from the chunk's spans; their data stays in the chunk, where it was inflated.
  void parse_records(BamChunk& chunk) const;
  // After the last chunk: throws when the file ends inside a record.
  void finish() const;
  std::uint64_t records_read() const { return records_read_; }
  // The whole file's MD5, once, after the last chunk was linked; empty without with_md5.
  std::string md5() { return md5_ ? md5_->hex() : std::string(); }

 private:
  void read_blocks(BamChunk& chunk, bool first_block_known) const;
  void inflate(BamChunk& chunk) const;
  void cut(BamChunk& chunk) const;
  void cut_after_carry(BamChunk& chunk);
  void read_bytes(std::uint8_t* out, std::uint64_t offset, std::size_t n) const;
  void parse(BamChunk::Span span, std::uint64_t number, bam1_t* out) const;
  void move_cg_cigar(bam1_t* record, std::uint64_t number) const;
  [[noreturn]] void bad_record(std::uint64_t number, const std::string& problem) const;

  std::string path_;
  int fd_ = -1;
  std::uint64_t file_size_ = 0;
  std::uint64_t window_bytes_;
  std::uint64_t first_block_;      // of the first record
  std::uint32_t skip_ = 0;         // header bytes at the start of that block's data
  std::uint64_t next_window_ = 0;  // claim's position
  std::uint64_t next_block_ = 0;   // link's position: where the next chunk's first block must begin
  int n_references_ = 0;
  std::vector<std::uint8_t> carry_;  // the start of a record continued in the next chunk
  std::uint64_t records_read_ = 0;
  std::unique_ptr<Md5> md5_;
};

}  // namespace ifnsig
