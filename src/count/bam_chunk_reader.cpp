#include "bam_chunk_reader.hpp"

#include <htslib/hts.h>
#include <libdeflate.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/text_source.hpp"

namespace ifnsig::count {
namespace {

constexpr std::size_t kBlockFooterBytes = 8;   // CRC32, ISIZE
constexpr std::uint32_t kMaxBlockData = 65536;
constexpr std::size_t kRecordCoreBytes = 32;
constexpr const char* kRecreateHint = "re-create the file (samtools quickcheck finds damaged files)";

std::uint32_t little_endian_u32(const std::uint8_t* bytes) {
  std::uint32_t value;
  std::memcpy(&value, bytes, sizeof value);  // the reader is only used on little-endian hosts
  return value;
}

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* decompressor) const { libdeflate_free_decompressor(decompressor); }
};

libdeflate_decompressor* thread_decompressor() {
  thread_local std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> decompressor(
      libdeflate_alloc_decompressor());
  if (!decompressor) throw Error("out of memory allocating a BGZF decompressor");
  return decompressor.get();
}

// HTSlib's bam_cigar2rlen and bam_cigar2qlen in one pass.
void cigar_lengths(const bam1_t* record, hts_pos_t& reference, hts_pos_t& query) {
  for (std::uint32_t i = 0; i < record->core.n_cigar; ++i) {
    const std::uint32_t operation = cigar_operation(record, i);
    const int type = bam_cigar_type(bam_cigar_op(operation));
    const hts_pos_t length = bam_cigar_oplen(operation);
    if (type & 2) reference += length;
    if (type & 1) query += length;
  }
}

}  // namespace

BamChunkReader::BamChunkReader(const std::string& path, std::uint64_t first_record, int n_references, bool with_md5,
                               std::size_t blocks_per_chunk)
    : path_(path),
      blocks_per_chunk_(std::max<std::size_t>(1, blocks_per_chunk)),
      first_block_(first_record >> 16),
      skip_(first_record & 0xFFFF),
      next_block_(first_block_),
      n_references_(n_references) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat status {};
  if (fd_ < 0 || ::fstat(fd_, &status) != 0) {
    const std::string reason = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    throw InputError(path, "", "cannot read: " + reason, "check that the file is readable");
  }
  file_size_ = static_cast<std::uint64_t>(status.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (!with_md5) return;
  // The blocks before the first record's (the header) are hashed here, the others as they are linked.
  md5_ = std::make_unique<Md5>();
  std::vector<std::uint8_t> header(first_block_);
  read_bytes(header.data(), 0, header.size());
  md5_->update(header.data(), header.size());
}

BamChunkReader::~BamChunkReader() { ::close(fd_); }

// Reads n bytes at offset; the caller has checked that the file holds them.
void BamChunkReader::read_bytes(std::uint8_t* out, std::uint64_t offset, std::size_t n) const {
  while (n > 0) {
    const ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw InputError(path_, "byte " + std::to_string(offset),
                       got < 0 ? std::string("read error: ") + std::strerror(errno) : "the file shrank while it was read",
                       "check the file system, then count again");
    }
    out += got;
    offset += static_cast<std::uint64_t>(got);
    n -= static_cast<std::size_t>(got);
  }
}

// Walks the next blocks' headers (18 bytes read for each). A bad header ends the chunk and the file: it is
// kept in block_problem, for link() to report in file order.
bool BamChunkReader::claim(BamChunk& chunk) {
  if (next_block_ >= file_size_ || stopped_) return false;
  chunk.first_block = next_block_;
  chunk.block_ends.clear();
  chunk.block_problem.clear();
  std::uint64_t offset = next_block_;
  std::uint8_t header[io::kBgzfHeaderBytes];
  while (chunk.block_ends.size() < blocks_per_chunk_ && offset < file_size_) {
    const auto bad_block = [&](const char* problem) {
      chunk.block_problem = problem;
      chunk.block_problem_offset = offset;
      stopped_ = true;
    };
    if (file_size_ - offset < io::kBgzfHeaderBytes) {
      bad_block("the file is truncated inside a block header");
      break;
    }
    read_bytes(header, offset, io::kBgzfHeaderBytes);
    if (!io::is_bgzf_header(header)) {
      bad_block("not a BGZF block header: the file is corrupt");
      break;
    }
    const std::size_t block_bytes = io::bgzf_block_bytes(header);
    if (block_bytes < io::kBgzfHeaderBytes + kBlockFooterBytes) {
      bad_block("the block size in the header is impossible: the file is corrupt");
      break;
    }
    if (file_size_ - offset < block_bytes) {
      bad_block("the file is truncated inside this block");
      break;
    }
    offset += block_bytes;
    chunk.block_ends.push_back(static_cast<std::uint32_t>(offset - chunk.first_block));
  }
  chunk.end = offset;
  next_block_ = offset;
  return true;
}

// Reads the claimed blocks in one piece, inflates them and cuts their data into records.
void BamChunkReader::load(BamChunk& chunk) const {
  const std::size_t bytes = static_cast<std::size_t>(chunk.end - chunk.first_block);
  if (chunk.compressed.size() < bytes) chunk.compressed.resize(bytes);
  read_bytes(chunk.compressed.data(), chunk.first_block, bytes);
  inflate(chunk);
  cut(chunk);
}

// Inflates the blocks (the sizes of their data from their footers); a bad block ends the chunk and is kept in
// block_problem, for link() to report in file order.
void BamChunkReader::inflate(BamChunk& chunk) const {
  chunk.inflated_ends.clear();
  std::uint32_t total = 0;
  for (std::size_t b = 0; b < chunk.block_ends.size(); ++b) {
    const std::uint32_t block_data = little_endian_u32(chunk.compressed.data() + chunk.block_ends[b] - 4);
    if (block_data > kMaxBlockData) {
      chunk.block_problem = "the block's data size is impossible: the file is corrupt";
      chunk.block_problem_offset = chunk.first_block + (b == 0 ? 0 : chunk.block_ends[b - 1]);
      chunk.block_ends.resize(b);
      break;
    }
    total += block_data;
    chunk.inflated_ends.push_back(total);
  }
  if (chunk.inflated.size() < total) chunk.inflated.resize(total);
  libdeflate_decompressor* decompressor = thread_decompressor();
  std::uint32_t in_start = 0;
  std::uint32_t out_start = 0;
  for (std::size_t b = 0; b < chunk.block_ends.size(); ++b) {
    const std::size_t in_bytes = chunk.block_ends[b] - in_start;
    const std::size_t out_bytes = chunk.inflated_ends[b] - out_start;
    std::size_t produced = 0;
    const libdeflate_result result =
        libdeflate_gzip_decompress(decompressor, chunk.compressed.data() + in_start, in_bytes,
                                   chunk.inflated.data() + out_start, out_bytes, &produced);
    if (result != LIBDEFLATE_SUCCESS || produced != out_bytes) {  // the chunk ends before this block
      chunk.block_problem = "the block is corrupt: its data does not inflate or fails its CRC32 check";
      chunk.block_problem_offset = chunk.first_block + in_start;
      chunk.block_ends.resize(b);
      chunk.inflated_ends.resize(b);
      return;
    }
    in_start = chunk.block_ends[b];
    out_start = chunk.inflated_ends[b];
  }
}

std::size_t BamChunk::inflated_size() const { return inflated_ends.empty() ? 0 : inflated_ends.back(); }

// Cuts the chunk's data into records, from its first byte (or, in the first chunk, from the end of the header):
// right when no record continues from the chunk before, which link() checks.
void BamChunkReader::cut(BamChunk& chunk) const {
  chunk.spans.clear();
  chunk.bad_record.clear();
  std::uint8_t* data = chunk.inflated.data();
  const std::size_t size = chunk.inflated_size();
  std::size_t pos = chunk.first_block == first_block_ ? std::min<std::size_t>(skip_, size) : 0;
  while (size - pos >= 4) {
    const auto length = static_cast<std::int32_t>(little_endian_u32(data + pos));
    if (length < static_cast<std::int32_t>(kRecordCoreBytes)) {
      chunk.bad_record = "invalid alignment record (block size " + std::to_string(length) + ")";
      break;
    }
    if (size - pos - 4 < static_cast<std::size_t>(length)) break;
    chunk.spans.push_back({data + pos + 4, static_cast<std::uint32_t>(length)});
    pos += 4 + static_cast<std::size_t>(length);
  }
  chunk.cut_end = pos;
}

std::size_t BamChunkReader::link(BamChunk& chunk) {
  if (!chunk.block_problem.empty()) {
    throw InputError(path_, "compressed block at byte " + std::to_string(chunk.block_problem_offset),
                     chunk.block_problem, kRecreateHint);
  }
  if (md5_) md5_->update(chunk.compressed.data(), chunk.end - chunk.first_block);
  chunk.first_record = records_read_ + 1;
  if (carry_.empty()) {  // the cut began at a record: keep it
    if (!chunk.bad_record.empty()) bad_record(records_read_ + chunk.spans.size() + 1, chunk.bad_record);
    carry_.assign(chunk.inflated.data() + chunk.cut_end, chunk.inflated.data() + chunk.inflated_size());
  } else {
    cut_after_carry(chunk);
  }
  records_read_ += chunk.spans.size();
  return chunk.spans.size();
}

// Completes the record begun in earlier chunks, then cuts the rest of the chunk from where it ends.
void BamChunkReader::cut_after_carry(BamChunk& chunk) {
  chunk.spans.clear();
  const auto checked_length = [&](const std::uint8_t* bytes) {
    const auto length = static_cast<std::int32_t>(little_endian_u32(bytes));
    if (length < static_cast<std::int32_t>(kRecordCoreBytes)) {
      bad_record(records_read_ + chunk.spans.size() + 1, "invalid alignment record (block size " + std::to_string(length) + ")");
    }
    return static_cast<std::uint32_t>(length);
  };
  std::uint8_t* data = chunk.inflated.data();
  const std::size_t size = chunk.inflated_size();
  std::size_t pos = 0;
  while (carry_.size() < 4 && pos < size) carry_.push_back(data[pos++]);
  if (carry_.size() < 4) return;
  const std::size_t total = 4 + std::size_t{checked_length(carry_.data())};
  const std::size_t take = std::min(total - carry_.size(), size - pos);
  carry_.insert(carry_.end(), data + pos, data + pos + take);
  pos += take;
  if (carry_.size() < total) return;
  chunk.straddling.swap(carry_);
  carry_.clear();
  chunk.spans.push_back({chunk.straddling.data() + 4, static_cast<std::uint32_t>(total - 4)});
  while (size - pos >= 4) {
    const std::uint32_t length = checked_length(data + pos);
    if (size - pos - 4 < length) break;
    chunk.spans.push_back({data + pos + 4, length});
    pos += 4 + std::size_t{length};
  }
  carry_.assign(data + pos, data + size);
}

void BamChunkReader::finish() const {
  if (!carry_.empty()) {
    throw InputError(path_, "record " + std::to_string(records_read_ + 1),
                     "the file is truncated: it ends inside this record", kRecreateHint);
  }
}

void BamChunkReader::parse_records(BamChunk& chunk) const {
  if (chunk.records.size() < chunk.spans.size()) chunk.records.resize(chunk.spans.size());
  for (std::size_t i = 0; i < chunk.spans.size(); ++i) parse(chunk.spans[i], chunk.first_record + i, &chunk.records[i]);
}

// The checks of HTSlib's bam_read1 (and sam_read1's reference-id check), but the record's data stays where
// it was inflated: copying it was most of the cost of parsing. So the read name is not padded with NULs
// (l_extranul 0) and the CIGAR may not be 4-byte aligned (read it with cigar_operation()). A name without
// its NUL gets one by moving the name back one byte, over the fixed fields already read.
void BamChunkReader::parse(BamChunk::Span span, std::uint64_t number, bam1_t* out) const {
  std::uint32_t core[8];
  std::memcpy(core, span.bytes, sizeof core);
  bam1_core_t& c = out->core;
  c.tid = static_cast<std::int32_t>(core[0]);
  c.pos = static_cast<std::int32_t>(core[1]);
  c.bin = static_cast<std::uint16_t>(core[2] >> 16);
  c.qual = static_cast<std::uint8_t>(core[2] >> 8 & 0xFF);
  c.l_qname = static_cast<std::uint16_t>(core[2] & 0xFF);
  c.l_extranul = 0;
  c.flag = static_cast<std::uint16_t>(core[3] >> 16);
  c.n_cigar = core[3] & 0xFFFF;
  c.l_qseq = static_cast<std::int32_t>(core[4]);
  c.mtid = static_cast<std::int32_t>(core[5]);
  c.mpos = static_cast<std::int32_t>(core[6]);
  c.isize = static_cast<std::int32_t>(core[7]);

  const std::uint64_t cigar_bytes = std::uint64_t{c.n_cigar} << 2;
  const std::uint64_t sequence_bytes = ((std::uint64_t(c.l_qseq) + 1) >> 1) + std::uint64_t(c.l_qseq);
  std::uint64_t l_data = span.length - kRecordCoreBytes;
  if (c.l_qseq < 0 || c.l_qname < 1 || c.l_qname + cigar_bytes + sequence_bytes > l_data) {
    bad_record(number, "invalid alignment record: its field sizes do not add up");
  }
  std::uint8_t* data = span.bytes + kRecordCoreBytes;
  if (data[c.l_qname - 1] != '\0') {  // a name without its NUL: add one, as HTSlib does
    std::memmove(data - 1, data, c.l_qname);
    --data;
    data[c.l_qname++] = '\0';
    ++l_data;
  }
  out->data = data;
  out->l_data = static_cast<int>(l_data);
  out->m_data = static_cast<std::uint32_t>(l_data);
  out->mempolicy = BAM_USER_OWNS_STRUCT | BAM_USER_OWNS_DATA;  // HTSlib must never free or grow it

  if (c.n_cigar > 0 && bam_cigar_op(cigar_operation(out, 0)) == BAM_CSOFT_CLIP &&
      std::int64_t{bam_cigar_oplen(cigar_operation(out, 0))} == c.l_qseq) {  // maybe a CG placeholder
    move_cg_cigar(out, number);
  }
  if (c.n_cigar > 0) {
    hts_pos_t reference_length = 0;
    hts_pos_t query_length = 0;
    cigar_lengths(out, reference_length, query_length);
    if ((c.flag & BAM_FUNMAP) != 0 || reference_length == 0) reference_length = 1;
    c.bin = static_cast<std::uint16_t>(hts_reg2bin(c.pos, c.pos + reference_length, 14, 5));
    if (c.l_qseq > 0 && (c.flag & BAM_FUNMAP) == 0 && query_length != c.l_qseq) {
      bad_record(number, "CIGAR and sequence lengths differ for read " + quote_field(bam_get_qname(out)));
    }
  }
  if (c.tid >= n_references_ || c.tid < -1 || c.mtid >= n_references_ || c.mtid < -1) {
    bad_record(number, "reference id outside the header's @SQ lines");
  }
}

// A CIGAR of more than 65,535 operations is stored in the CG tag, with a placeholder `<l_qseq>S<n>N` in the
// CIGAR field; like HTSlib, put the real one in place and drop the tag. Called for a CIGAR whose first
// operation soft-clips the whole sequence (parse() tests that inline, on the hot path).
void BamChunkReader::move_cg_cigar(bam1_t* record, std::uint64_t number) const {
  bam1_core_t& c = record->core;
  if (c.tid < 0 || c.pos < 0) return;
  errno = 0;
  const std::uint8_t* tag = bam_aux_get(record, "CG");
  if (tag == nullptr) {
    if (errno != ENOENT) bad_record(number, "corrupt auxiliary fields");
    return;
  }
  if (tag[0] != 'B' || (tag[1] != 'I' && tag[1] != 'i')) return;
  const std::uint32_t n_ops = little_endian_u32(tag + 2);
  if (n_ops < c.n_cigar || n_ops >= (1U << 29)) return;
  const std::uint8_t* data = record->data;
  const std::size_t cigar_start = c.l_qname;
  const std::size_t placeholder_end = cigar_start + 4 * std::size_t{c.n_cigar};
  const std::size_t tag_start = static_cast<std::size_t>(tag - 2 - data);  // at the tag's name
  const std::size_t tag_end = tag_start + 8 + 4 * std::size_t{n_ops};
  if (tag_end > static_cast<std::size_t>(record->l_data)) bad_record(number, "corrupt CG tag");
  std::vector<std::uint8_t> rebuilt(data, data + cigar_start);
  rebuilt.insert(rebuilt.end(), tag + 6, tag + 6 + 4 * std::size_t{n_ops});
  rebuilt.insert(rebuilt.end(), data + placeholder_end, data + tag_start);
  rebuilt.insert(rebuilt.end(), data + tag_end, data + record->l_data);
  std::memcpy(record->data, rebuilt.data(), rebuilt.size());  // shorter than before: the tag's header goes
  record->l_data = static_cast<int>(rebuilt.size());
  c.n_cigar = n_ops;
}

void BamChunkReader::bad_record(std::uint64_t number, const std::string& problem) const {
  throw InputError(path_, "record " + std::to_string(number), problem, kRecreateHint);
}

}  // namespace ifnsig::count
