// Owns (inside count): where whole-file counting's records come from, in batches whose boundaries depend on
//       the file alone: BAM files on disk through BamChunkReader (blocks read, inflated and cut into records
//       on any thread; only claiming the next blocks by their headers and linking a chunk to the one before
//       are serial), any other input
//       (SAM, CRAM, standard input) through HTSlib, record by record, in the serial claim.
// Thread-safety: claim() and link() in batch order, from one thread at a time; load() and parse() from any
//                thread on distinct batches.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ifnsig/count/alignment_reader.hpp"
#include "bam_chunk_reader.hpp"
#include "ifnsig/io/hts.hpp"

namespace ifnsig::count {

struct RecordBatch {
  BamChunk chunk;                   // BAM files on disk: the blocks the records are cut from, and the records
  std::vector<io::RecordPtr> records;   // other inputs: records read through HTSlib
  bool from_chunk = false;
  std::size_t size = 0;             // records in the batch, known after link()

  const bam1_t* record(std::size_t i) const { return from_chunk ? &chunk.records[i] : records[i].get(); }
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next batch's place in the file (or, through HTSlib, its records). False at the end.
  virtual bool claim(RecordBatch& batch) = 0;
  // The work of a claimed batch that needs no other batch: reading, inflating, cutting.
  virtual void load(RecordBatch& batch) const = 0;
  // What a batch needs of the one before it; sets batch.size.
  virtual void link(RecordBatch& batch) = 0;
  // Makes the batch's records readable through batch.record().
  virtual void parse(RecordBatch& batch) const = 0;
  // After the last batch: throws when the input ends inside a record.
  virtual void finish() = 0;
  virtual std::uint64_t records_read() const = 0;
  // With with_md5: the input's MD5 after finish() (empty for standard input).
  virtual std::string md5() = 0;
};

// A BamChunkReader for BAM files on disk, else HTSlib's reading through `reader` (kept by the caller).
std::unique_ptr<RecordSource> open_record_source(AlignmentReader& reader, bool with_md5);

}  // namespace ifnsig::count
