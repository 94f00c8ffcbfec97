#include "ifnsig/io/hts.hpp"

#include "ifnsig/core/error.hpp"

namespace ifnsig::io {

RecordPtr new_record() {
  RecordPtr record(bam_init1());
  if (!record) throw Error("out of memory allocating an alignment record");
  return record;
}

}  // namespace ifnsig::io
