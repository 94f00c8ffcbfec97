#include "ifnsig/count/alignment_reader.hpp"

#include <htslib/bgzf.h>
#include <htslib/cram.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ifnsig/core/error.hpp"

namespace ifnsig {

RecordPtr new_record() {
  RecordPtr record(bam_init1());
  if (!record) throw Error("out of memory allocating an alignment record");
  return record;
}

AlignmentReader::AlignmentReader(const std::string& path, const std::string& reference_fasta,
                                 int decompression_threads)
    : path_(path) {
  if (path != "-" && !std::filesystem::exists(path)) {
    throw InputError(path, "", "no such file", "check the path of the alignment file");
  }
  file_.reset(hts_open(path.c_str(), "r"));
  if (!file_) {
    throw InputError(path, "", std::string("cannot open as SAM/BAM/CRAM: ") + std::strerror(errno),
                     "check that the file is readable and is SAM, BAM or CRAM");
  }
  const htsExactFormat format = hts_get_format(file_.get())->format;
  if (format != sam && format != bam && format != cram) {
    throw InputError(path, "", "not a SAM, BAM or CRAM file", "counting reads aligned reads (SAM/BAM/CRAM)");
  }
  if (format == cram) {
    if (reference_fasta.empty()) {
      throw InputError(path, "", "CRAM input needs the reference FASTA it was compressed against",
                       "add --reference genome.fa (with its .fai index)");
    }
    if (hts_set_fai_filename(file_.get(), reference_fasta.c_str()) != 0) {
      throw InputError(reference_fasta, "", "cannot use the reference FASTA", "check the path and its .fai index");
    }
    // Counting needs neither sequences nor qualities: skip decoding them.
    hts_set_opt(file_.get(), CRAM_OPT_REQUIRED_FIELDS,
                SAM_QNAME | SAM_FLAG | SAM_RNAME | SAM_POS | SAM_MAPQ | SAM_CIGAR | SAM_RNEXT | SAM_PNEXT |
                    SAM_TLEN | SAM_AUX);
    hts_set_opt(file_.get(), CRAM_OPT_DECODE_MD, 0);
  }
  const bool block_readable = format == bam && hts_get_format(file_.get())->compression == bgzf && path != "-" &&
                              std::filesystem::is_regular_file(path) && std::endian::native == std::endian::little;
  if (decompression_threads > 0 && format != sam && !block_readable) {
    hts_set_threads(file_.get(), decompression_threads);
  }
  header_.reset(sam_hdr_read(file_.get()));
  if (!header_) {
    throw InputError(path, "header", "cannot read the header", "the file is truncated or not an alignment file");
  }
  if (block_readable) first_record_offset_ = static_cast<std::uint64_t>(bgzf_tell(file_->fp.bgzf));
  if (format == sam) {
    const char* text = sam_hdr_str(header_.get());
    for (const char* c = text; c != nullptr && *c != '\0'; ++c) header_lines_ += *c == '\n';
  }
}

const char* AlignmentReader::format_name() const {
  switch (hts_get_format(file_.get())->format) {
    case bam: return "BAM";
    case cram: return "CRAM";
    default: return "SAM";
  }
}

bool AlignmentReader::compressed() const { return hts_get_format(file_.get())->format != sam; }

bool AlignmentReader::read(bam1_t* record) {
  const int status = sam_read1(file_.get(), header_.get(), record);
  if (status >= 0) {
    ++records_read_;
    return true;
  }
  if (status == -1) return false;
  fail_read(status);
}

void AlignmentReader::fail_read(int status) const {
  const bool sam_text = hts_get_format(file_.get())->format == sam;
  const std::string where = sam_text ? "line " + std::to_string(header_lines_ + records_read_ + 1)
                                     : "record " + std::to_string(records_read_ + 1);
  const std::string problem = sam_text      ? "invalid SAM record"
                              : status == -2 ? "the file is truncated or a compressed block is corrupt"
                                             : "invalid alignment record";
  throw InputError(path_, where, problem,
                   sam_text ? "fix the SAM line: 11 tab-separated fields, valid CIGAR, contigs declared in @SQ"
                            : "re-create the file (samtools quickcheck finds damaged files)");
}

}  // namespace ifnsig
