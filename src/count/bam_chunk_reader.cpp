#include "ifnsig/count/bam_chunk_reader.hpp"

#include <htslib/hts.h>
#include <libdeflate.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/text_source.hpp"

namespace ifnsig {
namespace {

// Blocks per chunk: up to 512 KiB of records, about two thousand short reads.
constexpr std::size_t kBlocksPerChunk = 8;
constexpr std::size_t kBlockHeaderBytes = 18;  // gzip header with the BGZF extra field
constexpr std::size_t kBlockFooterBytes = 8;   // CRC32, ISIZE
constexpr std::uint32_t kMaxBlockData = 65536;
constexpr std::size_t kRecordCoreBytes = 32;
constexpr const char* kRecreateHint = "re-create the file (samtools quickcheck finds damaged files)";

std::uint32_t little_endian_u32(const std::uint8_t* bytes) {
  std::uint32_t value;
  std::memcpy(&value, bytes, sizeof value);  // the reader is only used on little-endian hosts
  return value;
}

std::uint16_t little_endian_u16(const std::uint8_t* bytes) {
  return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
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

BamChunkReader::BamChunkReader(const std::string& path, std::uint64_t first_record, int n_references, bool with_md5)
    : path_(path), offset_(first_record >> 16), skip_(first_record & 0xFFFF), n_references_(n_references) {
  file_.reset(std::fopen(path.c_str(), "rb"));
  const auto cannot_read = [&] {
    throw InputError(path, "", std::string("cannot read: ") + std::strerror(errno), "check that the file is readable");
  };
  if (!file_) cannot_read();
  if (!with_md5) {
    if (std::fseek(file_.get(), static_cast<long>(offset_), SEEK_SET) != 0) cannot_read();
    return;
  }
  // The blocks before the first record's (the header) are hashed here, the others as they are read.
  md5_ = std::make_unique<Md5>();
  std::vector<std::uint8_t> header(offset_);
  if (!header.empty() && std::fread(header.data(), 1, header.size(), file_.get()) != header.size()) cannot_read();
  md5_->update(header.data(), header.size());
}

bool BamChunkReader::read_blocks(BamChunk& chunk) {
  chunk.file_offset = offset_;
  chunk.compressed.clear();
  chunk.block_ends.clear();
  chunk.inflated_ends.clear();
  std::uint32_t inflated = 0;
  while (chunk.block_ends.size() < kBlocksPerChunk) {
    const std::size_t start = chunk.compressed.size();
    chunk.compressed.resize(start + kBlockHeaderBytes);
    const std::size_t got = std::fread(chunk.compressed.data() + start, 1, kBlockHeaderBytes, file_.get());
    if (got == 0 && std::feof(file_.get())) {
      chunk.compressed.resize(start);
      break;
    }
    const auto bad_block = [&](const std::string& problem) {
      const std::string where = "compressed block at byte " + std::to_string(offset_);
      if (std::ferror(file_.get())) throw InputError(path_, where, std::string("read error: ") + std::strerror(errno));
      throw InputError(path_, where, problem, kRecreateHint);
    };
    if (got < kBlockHeaderBytes) bad_block("the file is truncated inside a block header");
    const std::uint8_t* header = chunk.compressed.data() + start;
    if (!is_bgzf_header(header)) bad_block("not a BGZF block header: the file is corrupt");
    const std::size_t block_bytes = std::size_t{little_endian_u16(header + 16)} + 1;
    if (block_bytes < kBlockHeaderBytes + kBlockFooterBytes) bad_block("the block size in the header is impossible: the file is corrupt");
    chunk.compressed.resize(start + block_bytes);
    const std::size_t rest = block_bytes - kBlockHeaderBytes;
    if (std::fread(chunk.compressed.data() + start + kBlockHeaderBytes, 1, rest, file_.get()) != rest) {
      bad_block("the file is truncated inside this block");
    }
    if (md5_) md5_->update(chunk.compressed.data() + start, block_bytes);
    const std::uint32_t block_data = little_endian_u32(chunk.compressed.data() + start + block_bytes - 4);
    if (block_data > kMaxBlockData) bad_block("the block's data size is impossible: the file is corrupt");
    inflated += block_data;
    chunk.block_ends.push_back(static_cast<std::uint32_t>(chunk.compressed.size()));
    chunk.inflated_ends.push_back(inflated);
    offset_ += block_bytes;
  }
  return !chunk.block_ends.empty();
}

void BamChunkReader::inflate(BamChunk& chunk) const {
  libdeflate_decompressor* decompressor = thread_decompressor();
  chunk.inflated.resize(chunk.inflated_ends.empty() ? 0 : chunk.inflated_ends.back());
  std::uint32_t in_start = 0;
  std::uint32_t out_start = 0;
  std::uint64_t block_offset = chunk.file_offset;
  for (std::size_t b = 0; b < chunk.block_ends.size(); ++b) {
    const std::size_t in_bytes = chunk.block_ends[b] - in_start;
    const std::size_t out_bytes = chunk.inflated_ends[b] - out_start;
    std::size_t produced = 0;
    const libdeflate_result result =
        libdeflate_gzip_decompress(decompressor, chunk.compressed.data() + in_start, in_bytes,
                                   chunk.inflated.data() + out_start, out_bytes, &produced);
    if (result != LIBDEFLATE_SUCCESS || produced != out_bytes) {
      throw InputError(path_, "compressed block at byte " + std::to_string(block_offset),
                       "the block is corrupt: its data does not inflate or fails its CRC32 check", kRecreateHint);
    }
    block_offset += in_bytes;
    in_start = chunk.block_ends[b];
    out_start = chunk.inflated_ends[b];
  }
}

std::size_t BamChunkReader::cut_records(BamChunk& chunk) {
  chunk.spans.clear();
  chunk.first_record = records_read_ + 1;
  const auto checked_length = [&](const std::uint8_t* bytes) {
    const auto length = static_cast<std::int32_t>(little_endian_u32(bytes));
    if (length < static_cast<std::int32_t>(kRecordCoreBytes)) {
      bad_record(records_read_ + chunk.spans.size() + 1, "invalid alignment record (block size " + std::to_string(length) + ")");
    }
    return static_cast<std::uint32_t>(length);
  };
  std::uint8_t* data = chunk.inflated.data();
  const std::size_t size = chunk.inflated.size();
  std::size_t pos = std::min<std::size_t>(skip_, size);
  skip_ = 0;
  if (!carry_.empty()) {  // finish the record begun in an earlier chunk
    while (carry_.size() < 4 && pos < size) carry_.push_back(data[pos++]);
    if (carry_.size() < 4) return 0;
    const std::size_t total = 4 + std::size_t{checked_length(carry_.data())};
    const std::size_t take = std::min(total - carry_.size(), size - pos);
    carry_.insert(carry_.end(), data + pos, data + pos + take);
    pos += take;
    if (carry_.size() < total) return 0;
    chunk.straddling.swap(carry_);
    carry_.clear();
    chunk.spans.push_back({chunk.straddling.data() + 4, static_cast<std::uint32_t>(total - 4)});
  }
  while (size - pos >= 4) {
    const std::uint32_t length = checked_length(data + pos);
    if (size - pos - 4 < length) break;
    chunk.spans.push_back({data + pos + 4, length});
    pos += 4 + std::size_t{length};
  }
  carry_.assign(data + pos, data + size);
  records_read_ += chunk.spans.size();
  return chunk.spans.size();
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

}  // namespace ifnsig
