// Owns: reading the records of a BAM file in chunks of BGZF blocks, in four steps that the counting
//       pipeline runs in different stages: read_blocks (raw bytes, serial), inflate (libdeflate, any
//       thread), cut_records (serial, in file order: finds where each record starts; a record split between
//       chunks is carried over) and parse_records (any thread: checks each record and fills a bam1_t whose
//       data points at the inflated bytes, never copied). It replaces HTSlib's BGZF layer for BAM files on
//       disk, whose own thread pool costs more CPU in hand-offs than it saves at low thread counts.
// Thread-safety: read_blocks and cut_records from one thread at a time, each in chunk order; inflate and
//                parse_records from any thread on distinct chunks.
// Invariant: the records equal what HTSlib's sam_read1 returns for the same file, with its checks (sizes,
//            CIGAR against the sequence length, reference ids against the header, CG-tag CIGARs), except
//            that the read name is not padded with NULs (l_extranul 0), so the CIGAR need not be 4-byte
//            aligned: read it with cigar_operation(); every error names the file and the record number or
//            the byte offset of the bad block.
#pragma once
#include <cstdint>
#include <cstdio>
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
  std::uint64_t file_offset = 0;           // of the first block
  std::vector<std::uint8_t> compressed;    // whole BGZF blocks, back to back
  std::vector<std::uint32_t> block_ends;   // end of each block in `compressed`
  std::vector<std::uint32_t> inflated_ends;  // end of each block's data in `inflated` (from ISIZE)
  std::vector<std::uint8_t> inflated;
  std::vector<std::uint8_t> straddling;    // a record begun in an earlier chunk and completed in this one
  std::vector<Span> spans;                 // the records that end in this chunk, in file order
  std::uint64_t first_record = 0;          // number (from 1) of spans[0] in the file
  // The parsed records, [0, spans.size()); their data points into `inflated` or `straddling`.
  std::vector<bam1_t> records;
};

class BamChunkReader {
 public:
  // first_record: HTSlib's virtual offset just after the header (see AlignmentReader::first_record_offset).
  // with_md5: the file's MD5 is computed from the bytes as they are read (md5()).
  BamChunkReader(const std::string& path, std::uint64_t first_record, int n_references, bool with_md5 = false);

  // Reads the next blocks (a fixed number, so chunk boundaries depend on the file alone). False at the end.
  bool read_blocks(BamChunk& chunk);
  // Inflates every block of the chunk and checks its CRC32 and size.
  void inflate(BamChunk& chunk) const;
  // Finds the records that end in this chunk; returns how many.
  std::size_t cut_records(BamChunk& chunk);
  // Fills chunk.records from the chunk's spans; their data stays in the chunk, where it was inflated.
  void parse_records(BamChunk& chunk) const;
  // After the last chunk: throws when the file ends inside a record.
  void finish() const;
  std::uint64_t records_read() const { return records_read_; }
  // The whole file's MD5, once, after the last chunk was read; empty without with_md5.
  std::string md5() { return md5_ ? md5_->hex() : std::string(); }

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  void parse(BamChunk::Span span, std::uint64_t number, bam1_t* out) const;
  void move_cg_cigar(bam1_t* record, std::uint64_t number) const;
  [[noreturn]] void bad_record(std::uint64_t number, const std::string& problem) const;

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::uint64_t offset_ = 0;       // of the next block in the file
  std::uint32_t skip_ = 0;         // header bytes at the start of the first block
  int n_references_ = 0;
  std::vector<std::uint8_t> carry_;  // the start of a record continued in the next chunk
  std::uint64_t records_read_ = 0;
  std::unique_ptr<Md5> md5_;
};

}  // namespace ifnsig
