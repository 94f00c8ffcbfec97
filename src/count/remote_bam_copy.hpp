// Owns: reading parts of a BAM served over http(s) with closed byte ranges: a sparse local copy of the file
//       (in the temporary directory, removed with the object) that holds, at their own offsets, only the
//       bytes fetched, plus the index downloaded beside it, so the local region-reading code reads it as it
//       reads any BAM (a BAI is fetched without the linear index entries no query needs). Also the one
//       rule for which compressed bytes a region iterator reads (chunks_read_by).
// Invariant: every response is a 206 for exactly the range asked, of a file of one size (and ETag and
//            Last-Modified when the server gives them); anything else throws InputError naming the URL.
#pragma once
#include <htslib/hts.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ifnsig/count/alignment_reader.hpp"

namespace ifnsig::count {

// A stretch of a BGZF file in virtual offsets (compressed block offset << 16 | offset inside the block),
// end excluded; end kToEndOfFile reads to the end of the file.
struct VirtualChunk {
  static constexpr std::uint64_t kToEndOfFile = ~std::uint64_t{0};
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// The stretches of a BAM a fresh iterator (region or unplaced query) will read, in the order it reads them;
// empty for CRAM. Taken before the first read, which consumes the iterator's start offset.
std::vector<VirtualChunk> chunks_read_by(const hts_itr_t* iterator);

// The compressed bytes the chunks span, from the block where each starts to the block where it ends, overlaps
// counted once (a file's size stands for kToEndOfFile).
std::uint64_t compressed_span(const std::vector<VirtualChunk>& chunks, std::uint64_t file_bytes);

class SparseFile;

class RemoteBamCopy {
 public:
  // True for the URLs read through a copy (http://, https://); s3://, gs:// and the rest stay with HTSlib.
  static bool handles(const std::string& path);
  // Opens the URL (one request for its first bytes) and, when it is a BAM, fetches the header, the
  // end-of-file block and the index beside it (.bai: all but its linear index, see fetch_index_windows;
  // else .csi, whole). Returns nullptr for other formats (CRAM), which HTSlib reads itself.
  static std::unique_ptr<RemoteBamCopy> open(const std::string& url, const std::filesystem::path& temp_directory);
  ~RemoteBamCopy();
  RemoteBamCopy(const RemoteBamCopy&) = delete;
  RemoteBamCopy& operator=(const RemoteBamCopy&) = delete;

  // The copy, and its index beside it.
  std::string local_path() const;
  // Before the index is loaded for a query of these regions: the linear index's entries at their starts.
  void fetch_index_windows(const std::vector<ContigRegions>& regions);
  // Fetches what reading the chunks needs and the copy lacks: each chunk from its first block through the
  // whole block its end points into (that block's size read from its header first).
  void fetch(const std::vector<VirtualChunk>& chunks);
  std::uint64_t bytes_fetched() const;  // response bodies, the index's included
  std::uint64_t requests() const;

 private:
  RemoteBamCopy(const std::string& url, std::filesystem::path directory);
  void open_index();
  void read_bai_layout();
  void index_written() const;
  std::uint64_t block_size_at(std::uint64_t offset) const;

  struct LinearIndex {
    std::uint64_t offset = 0;  // of the first window's entry in the index file
    std::uint32_t windows = 0;
  };
  std::filesystem::path directory_;
  std::unique_ptr<SparseFile> data_;
  std::unique_ptr<SparseFile> index_;
  std::vector<LinearIndex> linear_index_;  // per contig (BAI)
};

}  // namespace ifnsig::count
