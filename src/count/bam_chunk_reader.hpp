// Owns: reading the records of a BAM file on disk in chunks of BGZF blocks, in four steps that the counting
//       pipeline runs in different stages, so that little of the work is serial:
//       claim (serial, in file order): the next blocks, found by reading their 18-byte headers (a fixed
//         number of blocks, so chunk boundaries depend on the file alone and a chunk's memory is bounded);
//       load (any thread): reads the chunk's blocks in one piece, inflates them and cuts their data into
//         records, guessing that the first block starts with a record (true of files HTSlib writes);
//       link (serial, in file order): checks the guess against the chunk before (did it leave a record
//         unfinished?) and cuts again after the carried-over record when it was wrong; reports a problem claim
//         or load found, in file order; hashes the bytes for md5();
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
//            the byte offset of the bad block.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ifnsig/core/checksum.hpp"
#include "ifnsig/count/alignment_reader.hpp"

namespace ifnsig::count {

struct BamChunk {
  struct Span {
    std::uint8_t* bytes;  // after the record's length field
    std::uint32_t length;
  };
  std::uint64_t first_block = 0;  // file offset of the first block
  std::uint64_t end = 0;          // file offset just after the last block
  std::vector<std::uint8_t> compressed;     // the blocks, from first_block; grows, never shrinks
  std::vector<std::uint32_t> block_ends;    // end of each block in `compressed`
  std::vector<std::uint32_t> inflated_ends;  // end of each block's data in `inflated` (from ISIZE)
  std::vector<std::uint8_t> inflated;       // grows, never shrinks
  std::vector<std::uint8_t> straddling;  // a record begun in an earlier chunk and completed in this one
  std::vector<Span> spans;               // the records that end in this chunk, in file order
  std::size_t cut_end = 0;               // where the cut stopped: the start of an unfinished record
  std::string bad_record;                // what is wrong with record spans.size() of the cut, if anything
  std::string block_problem;             // a bad block claim() or load() found: its message and where
  std::uint64_t block_problem_offset = 0;
  std::uint64_t first_record = 0;        // number (from 1) of spans[0] in the file, set by link()
  // The parsed records, [0, spans.size()); their data points into `inflated` or `straddling`.
  std::vector<bam1_t> records;

  std::size_t inflated_size() const;  // of this chunk's data (`inflated` may be longer)
};

class BamChunkReader {
 public:
  // Blocks per chunk: up to 512 KiB of records, about two thousand short reads.
  static constexpr std::size_t kBlocksPerChunk = 8;

  // first_record: HTSlib's virtual offset just after the header (see AlignmentReader::first_record_offset).
  // with_md5: the file's MD5 is computed from the bytes as they are linked (md5()). blocks_per_chunk: for tests.
  BamChunkReader(const std::string& path, std::uint64_t first_record, int n_references, bool with_md5 = false,
                 std::size_t blocks_per_chunk = kBlocksPerChunk);
  ~BamChunkReader();
  BamChunkReader(const BamChunkReader&) = delete;
  BamChunkReader& operator=(const BamChunkReader&) = delete;

  // Claims the next blocks of the file. False at the end (or after a bad block, which link() reports).
  bool claim(BamChunk& chunk);
  // Reads, inflates and cuts the claimed blocks (see above).
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
  std::size_t blocks_per_chunk_;
  std::uint64_t first_block_;      // of the first record
  std::uint32_t skip_ = 0;         // header bytes at the start of that block's data
  std::uint64_t next_block_ = 0;   // claim's position
  bool stopped_ = false;           // claim found a bad block
  int n_references_ = 0;
  std::vector<std::uint8_t> carry_;  // the start of a record continued in the next chunk
  std::uint64_t records_read_ = 0;
  std::unique_ptr<Md5> md5_;
};

}  // namespace ifnsig::count
