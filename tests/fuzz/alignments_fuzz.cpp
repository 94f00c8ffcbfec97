// Alignment files: the header through HTSlib, then the records as counting reads them: BAM files through
// BamChunkReader (BGZF blocks inflated and records cut and checked by ifnsig), SAM text through HTSlib.
#include "fuzz_input.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "count/bam_chunk_reader.hpp"

namespace {

void read_all(const std::string& path) {
  ifnsig::count::AlignmentReader reader(path, "", 0);
  const auto first_record = reader.first_record_offset();
  if (!first_record) {
    const ifnsig::io::RecordPtr record = ifnsig::io::new_record();
    while (reader.read(record.get())) {
    }
    return;
  }
  ifnsig::count::BamChunkReader chunks(path, *first_record, sam_hdr_nref(reader.header()));
  ifnsig::count::BamChunk chunk;
  while (chunks.claim(chunk)) {
    chunks.load(chunk);
    chunks.link(chunk);
    chunks.parse_records(chunk);
  }
  chunks.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "alignments");
  ifnsig::fuzz::expect_clean_outcome([&] { read_all(path); });
  return 0;
}
