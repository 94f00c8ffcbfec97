#include "record_source.hpp"

#include "ifnsig/core/checksum.hpp"

namespace ifnsig::count {
namespace {

class BamFileSource final : public RecordSource {
 public:
  BamFileSource(const AlignmentReader& reader, bool with_md5)
      : chunks_(reader.path(), *reader.first_record_offset(), sam_hdr_nref(reader.header()), with_md5) {}
  bool claim(RecordBatch& batch) override {
    batch.from_chunk = true;
    return chunks_.claim(batch.chunk);
  }
  void load(RecordBatch& batch) const override { chunks_.load(batch.chunk); }
  void link(RecordBatch& batch) override { batch.size = chunks_.link(batch.chunk); }
  void parse(RecordBatch& batch) const override { chunks_.parse_records(batch.chunk); }
  void finish() override { chunks_.finish(); }
  std::uint64_t records_read() const override { return chunks_.records_read(); }
  std::string md5() override { return chunks_.md5(); }

 private:
  BamChunkReader chunks_;
};

class HtslibSource final : public RecordSource {
 public:
  HtslibSource(AlignmentReader& reader, bool with_md5) : reader_(reader), with_md5_(with_md5) {}
  // Reads up to kBatchRecords records.
  bool claim(RecordBatch& batch) override {
    while (batch.records.size() < kBatchRecords) batch.records.push_back(io::new_record());
    batch.size = 0;
    while (batch.size < kBatchRecords && reader_.read(batch.records[batch.size].get())) ++batch.size;
    return batch.size > 0;
  }
  void load(RecordBatch&) const override {}
  void link(RecordBatch&) override {}
  void parse(RecordBatch&) const override {}
  void finish() override {}
  std::uint64_t records_read() const override { return reader_.records_read(); }
  std::string md5() override { return !with_md5_ || reader_.path() == "-" ? std::string() : md5_of_file(reader_.path()); }

 private:
  static constexpr std::size_t kBatchRecords = 4096;
  AlignmentReader& reader_;
  bool with_md5_;
};

}  // namespace

std::unique_ptr<RecordSource> open_record_source(AlignmentReader& reader, bool with_md5) {
  if (reader.first_record_offset()) return std::make_unique<BamFileSource>(reader, with_md5);
  return std::make_unique<HtslibSource>(reader, with_md5);
}

}  // namespace ifnsig::count
