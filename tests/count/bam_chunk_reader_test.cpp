#include "count/bam_chunk_reader.hpp"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <unistd.h>
#include <htslib/sam.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ifnsig/core/error.hpp"

namespace {

namespace fs = std::filesystem;

fs::path scratch_dir() { return fs::temp_directory_path() / ("ifnsig_bam_chunk_" + std::to_string(::getpid())); }

fs::path scratch_file(const std::string& name) {
  fs::create_directories(scratch_dir());
  return scratch_dir() / name;
}

// Writes a BAM through HTSlib: many short records, one record larger than a chunk, and one CIGAR of 70,000
// operations (which HTSlib stores in the CG tag).
void write_htslib_bam(const fs::path& path) {
  samFile* out = sam_open(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  sam_hdr_t* header = sam_hdr_init();
  ASSERT_EQ(sam_hdr_add_line(header, "SQ", "SN", "chr1", "LN", "100000000", nullptr), 0);
  ASSERT_EQ(sam_hdr_add_line(header, "SQ", "SN", "chr2", "LN", "100000000", nullptr), 0);
  ASSERT_EQ(sam_hdr_write(out, header), 0);
  bam1_t* record = bam_init1();
  const auto write = [&](const std::string& name, int tid, hts_pos_t pos, const std::vector<std::uint32_t>& cigar,
                         std::size_t length) {
    const std::string bases(length, 'A');
    const std::string qualities(length, 30);
    ASSERT_GE(bam_set1(record, name.size(), name.c_str(), BAM_FPAIRED | BAM_FREAD1, tid, pos, 60, cigar.size(),
                       cigar.data(), tid, pos + 100, 200, length, bases.c_str(), qualities.c_str(), 16),
              0);
    const int nh = 1 + static_cast<int>(pos % 3);
    ASSERT_EQ(bam_aux_update_int(record, "NH", nh), 0);
    ASSERT_GE(sam_write1(out, header, record), 0);
  };
  for (int i = 0; i < 20000; ++i) {
    const std::size_t length = 50 + static_cast<std::size_t>(i % 101);
    write("read" + std::to_string(i) + std::string(i % 7, 'x'), i % 2, 1000 + 10 * i,
          {bam_cigar_gen(static_cast<std::uint32_t>(length), BAM_CMATCH)}, length);
    if (i == 9000) write("long_read", 0, 100000, {bam_cigar_gen(700000, BAM_CMATCH)}, 700000);
    if (i == 12000) {
      std::vector<std::uint32_t> cigar;
      for (int op = 0; op < 35000; ++op) {
        cigar.push_back(bam_cigar_gen(1, BAM_CMATCH));
        cigar.push_back(bam_cigar_gen(2, BAM_CREF_SKIP));
      }
      write("many_ops", 1, 200000, cigar, 35000);
    }
  }
  bam_destroy1(record);
  sam_hdr_destroy(header);
  ASSERT_EQ(sam_close(out), 0);
}

// HTSlib ends its blocks between records; other writers do not. Re-compress in blocks of 1,000 bytes, so
// that short records straddle blocks and chunks.
void write_bam(const fs::path& path) {
  const fs::path htslib_bam = scratch_file("htslib.bam");
  write_htslib_bam(htslib_bam);
  BGZF* in = bgzf_open(htslib_bam.c_str(), "r");
  ASSERT_NE(in, nullptr);
  std::vector<char> bytes;
  char buffer[65536];
  for (ssize_t n; (n = bgzf_read(in, buffer, sizeof buffer)) > 0;) bytes.insert(bytes.end(), buffer, buffer + n);
  ASSERT_EQ(bgzf_close(in), 0);
  BGZF* out = bgzf_open(path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  for (std::size_t start = 0; start < bytes.size(); start += 1000) {
    const std::size_t n = std::min<std::size_t>(1000, bytes.size() - start);
    ASSERT_EQ(bgzf_write(out, bytes.data() + start, n), static_cast<ssize_t>(n));
    ASSERT_EQ(bgzf_flush(out), 0);
  }
  ASSERT_EQ(bgzf_close(out), 0);
}

// Reads all records with the chunk reader, as the counting pipeline does (claim, load, link, parse), in
// chunks of blocks_per_chunk blocks.
std::vector<ifnsig::io::RecordPtr> read_in_chunks(
    const fs::path& path, std::size_t blocks_per_chunk = ifnsig::count::BamChunkReader::kBlocksPerChunk) {
  ifnsig::count::AlignmentReader header_reader(path.string(), "", 0);
  EXPECT_TRUE(header_reader.first_record_offset().has_value());
  ifnsig::count::BamChunkReader reader(path.string(), *header_reader.first_record_offset(),
                                       sam_hdr_nref(header_reader.header()), false, blocks_per_chunk);
  std::vector<ifnsig::io::RecordPtr> all;
  ifnsig::count::BamChunk chunk;
  while (reader.claim(chunk)) {
    reader.load(chunk);
    const std::size_t n = reader.link(chunk);
    reader.parse_records(chunk);
    for (std::size_t i = 0; i < n; ++i) all.emplace_back(bam_dup1(&chunk.records[i]));
  }
  reader.finish();
  EXPECT_EQ(reader.records_read(), all.size());
  return all;
}

std::string message_of(const fs::path& path) {
  try {
    read_in_chunks(path);
  } catch (const ifnsig::InputError& error) {
    return error.what();
  }
  return "";
}

std::vector<char> bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::vector<char>& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class BamChunkReaderTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { write_bam(bam_path()); }
  static void TearDownTestSuite() { fs::remove_all(scratch_dir()); }
  static fs::path bam_path() { return scratch_file("records.bam"); }
};

// Compares every record read in chunks with HTSlib's; returns how many, and whether one has a CG-tag CIGAR.
std::size_t expect_records_equal_htslibs(
    const fs::path& path, bool& saw_cg_cigar,
    std::size_t blocks_per_chunk = ifnsig::count::BamChunkReader::kBlocksPerChunk) {
  const auto chunked = read_in_chunks(path, blocks_per_chunk);
  ifnsig::count::AlignmentReader reader(path.string(), "", 0);
  auto record = ifnsig::io::new_record();
  std::size_t i = 0;
  while (reader.read(record.get())) {
    EXPECT_LT(i, chunked.size());
    if (i >= chunked.size()) break;
    const bam1_t* mine = chunked[i++].get();
    bam1_core_t expected_core = record->core;
    expected_core.l_qname = static_cast<std::uint16_t>(record->core.l_qname - record->core.l_extranul);
    expected_core.l_extranul = 0;
    EXPECT_EQ(std::memcmp(&mine->core, &expected_core, sizeof expected_core), 0) << bam_get_qname(record.get());
    // HTSlib's data without the NULs padding the name: name, CIGAR, sequence, qualities, auxiliary fields.
    const std::uint8_t* data = record->data;
    std::vector<std::uint8_t> expected(data, data + expected_core.l_qname);
    expected.insert(expected.end(), data + record->core.l_qname, data + record->l_data);
    EXPECT_EQ(mine->l_data, static_cast<int>(expected.size())) << bam_get_qname(record.get());
    if (mine->l_data != static_cast<int>(expected.size())) continue;
    EXPECT_EQ(std::memcmp(mine->data, expected.data(), expected.size()), 0) << bam_get_qname(record.get());
    for (std::uint32_t op = 0; op < mine->core.n_cigar; ++op) {
      EXPECT_EQ(ifnsig::count::cigar_operation(mine, op), bam_get_cigar(record.get())[op]);
    }
    saw_cg_cigar |= mine->core.n_cigar == 70000;
  }
  EXPECT_EQ(i, chunked.size());
  return i;
}

TEST_F(BamChunkReaderTest, RecordsEqualHtslibsWithoutTheNamePadding) {
  bool saw_cg_cigar = false;
  EXPECT_EQ(expect_records_equal_htslibs(bam_path(), saw_cg_cigar), 20002U);
  EXPECT_TRUE(saw_cg_cigar);
}

// Chunks of one, two, three and 64 blocks: records split between blocks and chunks (the guess that a chunk
// starts with a record is wrong for most of them) give the same records.
TEST_F(BamChunkReaderTest, RecordsDoNotDependOnTheChunkSize) {
  for (const std::size_t blocks_per_chunk : {1U, 2U, 3U, 64U}) {
    bool saw_cg_cigar = false;
    EXPECT_EQ(expect_records_equal_htslibs(bam_path(), saw_cg_cigar, blocks_per_chunk), 20002U) << blocks_per_chunk;
    EXPECT_TRUE(saw_cg_cigar);
  }
}

// With with_md5, the bytes read (the header's blocks before the first chunk) give the file's MD5.
TEST_F(BamChunkReaderTest, Md5OfTheBytesReadIsTheFiles) {
  ifnsig::count::AlignmentReader header_reader(bam_path().string(), "", 0);
  ifnsig::count::BamChunkReader reader(bam_path().string(), *header_reader.first_record_offset(),
                                sam_hdr_nref(header_reader.header()), true);
  ifnsig::count::BamChunk chunk;
  std::size_t chunks = 0;
  while (reader.claim(chunk)) {
    reader.load(chunk);
    reader.link(chunk);
    ++chunks;
  }
  EXPECT_GT(chunks, 1u);
  EXPECT_EQ(reader.md5(), ifnsig::md5_of_file(bam_path()));
}

// A record's name must end with a NUL; HTSlib adds one when it does not, and so does the chunk reader.
TEST_F(BamChunkReaderTest, NameWithoutItsNulGetsOne) {
  const auto u32 = [](std::vector<std::uint8_t>& bytes, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  };
  std::vector<std::uint8_t> bam = {'B', 'A', 'M', 1};
  u32(bam, 0);  // no header text
  u32(bam, 1);
  u32(bam, 5);
  bam.insert(bam.end(), {'c', 'h', 'r', '1', 0});
  u32(bam, 1000);
  for (const std::string name : {"abc", "abcd", "abcdefg"}) {  // without the NUL
    std::vector<std::uint8_t> record;
    u32(record, 0);  // tid
    u32(record, 100);  // pos
    u32(record, (4680U << 16) | (60U << 8) | static_cast<std::uint32_t>(name.size()));  // bin, MAPQ, l_read_name
    u32(record, 1);  // flag 0, n_cigar 1
    u32(record, 4);  // l_seq
    u32(record, static_cast<std::uint32_t>(-1));  // next tid
    u32(record, static_cast<std::uint32_t>(-1));  // next pos
    u32(record, 0);  // tlen
    record.insert(record.end(), name.begin(), name.end());
    u32(record, bam_cigar_gen(4, BAM_CMATCH));
    record.insert(record.end(), {0x12, 0x48, 30, 30, 30, 30, 'N', 'H', 'C', 2});
    u32(bam, static_cast<std::uint32_t>(record.size()));
    bam.insert(bam.end(), record.begin(), record.end());
  }
  const fs::path path = scratch_file("no_nul.bam");
  BGZF* out = bgzf_open(path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(bgzf_write(out, bam.data(), bam.size()), static_cast<ssize_t>(bam.size()));
  ASSERT_EQ(bgzf_close(out), 0);
  bool saw_cg_cigar = false;
  EXPECT_EQ(expect_records_equal_htslibs(path, saw_cg_cigar), 3U);
  const auto chunked = read_in_chunks(path);
  ASSERT_EQ(chunked.size(), 3U);
  EXPECT_STREQ(bam_get_qname(chunked[1].get()), "abcd");
  EXPECT_EQ(bam_aux2i(bam_aux_get(chunked[1].get(), "NH")), 2);
}

// The end of the first `n` BGZF blocks.
std::size_t end_of_blocks(const std::vector<char>& bytes, int n) {
  std::size_t offset = 0;
  for (int block = 0; block < n; ++block) offset += static_cast<unsigned char>(bytes[offset + 16]) + 256U * static_cast<unsigned char>(bytes[offset + 17]) + 1;
  return offset;
}

// BGZF's end-of-file marker: an empty block, the last 28 bytes of an intact file.
constexpr std::size_t kEofBlockBytes = 28;

// A file cut at a block boundary, as a killed writer leaves it, reads cleanly up to the cut: only the missing
// end-of-file block tells.
TEST_F(BamChunkReaderTest, FileWithoutTheEndOfFileBlockIsRefused) {
  const auto bytes = bytes_of(bam_path());
  for (const std::size_t cut_at : {bytes.size() - kEofBlockBytes, end_of_blocks(bytes, 40)}) {
    const fs::path cut = scratch_file("cut_" + std::to_string(cut_at) + ".bam");
    write_bytes(cut, std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut_at)));
    const std::string message = message_of(cut);
    EXPECT_NE(message.find(cut.string() + ": no BGZF end-of-file marker: the file is truncated, e.g. by a killed writer"),
              std::string::npos)
        << message;
  }
}

TEST_F(BamChunkReaderTest, FileEndingInsideABlockNamesTheBlock) {
  // The first 40 blocks, 20 bytes of the next and the end-of-file block (so that it is not refused for the
  // missing marker): the 41st block is cut short.
  auto bytes = bytes_of(bam_path());
  const std::vector<char> eof_block(bytes.end() - kEofBlockBytes, bytes.end());
  const std::size_t cut_block = end_of_blocks(bytes, 40);
  bytes.resize(cut_block + 20);
  bytes.insert(bytes.end(), eof_block.begin(), eof_block.end());
  const fs::path truncated = scratch_file("truncated.bam");
  write_bytes(truncated, bytes);
  const std::string message = message_of(truncated);
  EXPECT_NE(message.find("truncated.bam:compressed block at byte " + std::to_string(cut_block) + ": the file is truncated"),
            std::string::npos)
      << message;
}

TEST_F(BamChunkReaderTest, FileEndingInsideARecordNamesTheRecord) {
  // Keep the first 40 blocks whole and the end-of-file block: the records end at a block end, inside a record.
  auto bytes = bytes_of(bam_path());
  const std::vector<char> eof_block(bytes.end() - kEofBlockBytes, bytes.end());
  bytes.resize(end_of_blocks(bytes, 40));
  bytes.insert(bytes.end(), eof_block.begin(), eof_block.end());
  const fs::path cut = scratch_file("cut.bam");
  write_bytes(cut, bytes);
  const std::string message = message_of(cut);
  EXPECT_NE(message.find("cut.bam:record "), std::string::npos) << message;
  EXPECT_NE(message.find("ends inside this record"), std::string::npos) << message;
}

TEST_F(BamChunkReaderTest, CorruptBlockFailsItsCheck) {
  auto bytes = bytes_of(bam_path());
  const std::size_t header_block = static_cast<unsigned char>(bytes[16]) + 256U * static_cast<unsigned char>(bytes[17]) + 1;
  bytes[header_block + 100] = static_cast<char>(bytes[header_block + 100] ^ 0x5A);
  const fs::path corrupt = scratch_file("corrupt.bam");
  write_bytes(corrupt, bytes);
  const std::string message = message_of(corrupt);
  EXPECT_NE(message.find("corrupt.bam:compressed block at byte " + std::to_string(header_block)), std::string::npos)
      << message;
}

}  // namespace
