#include "ifnsig/count/alignment_reader.hpp"

#include <htslib/bgzf.h>
#include <htslib/cram.h>
#include <htslib/kseq.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <filesystem>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "sam_header_text.hpp"

namespace ifnsig::count {

AlignmentReader::AlignmentReader(const std::string& path, const std::string& reference_fasta,
                                 int decompression_threads)
    : path_(path) {
  if (path != "-" && !io::is_remote_path(path) && !std::filesystem::exists(path)) {
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
  const bool pooled = decompression_threads > 0 && format != sam && !block_readable;
  if (pooled) hts_set_threads(file_.get(), decompression_threads);
  if (format == sam) {
    sam_text_ = true;
    read_sam_header();
  } else {
    header_.reset(sam_hdr_read(file_.get()));
  }
  if (!header_) {
    throw InputError(path, "header", "cannot read the header", "the file is truncated or not an alignment file");
  }
  check_end_of_file_marker(format == cram && pooled);
  if (block_readable) first_record_offset_ = static_cast<std::uint64_t>(bgzf_tell(file_->fp.bgzf));
}

// The lines starting with '@' before the first record, read as featureCounts reads them (sam_header_text.hpp).
// The first record's line stays in the file's line buffer, where sam_read1 takes it first, as after
// sam_hdr_read.
void AlignmentReader::read_sam_header() {
  std::vector<std::string> lines;
  kstring_t& line = file_->line;
  int status;
  while ((status = hts_getline(file_.get(), KS_SEP_LINE, &line)) >= 0 && line.l > 0 && line.s[0] == '@') {
    lines.emplace_back(line.s, line.l);
  }
  if (status < -1) {
    throw InputError(path_, "line " + std::to_string(lines.size() + 1), "cannot read the file",
                     "the file is truncated or its compression is damaged");
  }
  if (status == -1) line.l = 0;
  header_lines_ = lines.size();
  ReadableSamHeader readable = keep_readable_header_lines(lines);
  if (!readable.contigs_left_out.empty()) {
    throw InputError(path_, "header", "contig '" + readable.contigs_left_out.front() +
                                          "' is declared only by a header line HTSlib cannot read, so its records "
                                          "would be read as unmapped",
                     "give its @SQ line an LN tag (the contig's length): @SQ<tab>SN:name<tab>LN:length");
  }
  if (readable.left_out > 0) {
    log_warning(path_ + ": left out " + std::to_string(readable.left_out) +
                (readable.left_out == 1 ? " header line" : " header lines") +
                " that HTSlib cannot read, and read the records as featureCounts does (first: line " +
                std::to_string(readable.first_left_out) + ", '" + readable.first_left_out_text.substr(0, 80) + "')");
  }
  header_ = std::move(readable.header);
}

const char* AlignmentReader::format_name() const {
  switch (hts_get_format(file_.get())->format) {
    case bam: return "BAM";
    case cram: return "CRAM";
    default: return "SAM";
  }
}

// A file cut at a block boundary (what a killed writer leaves) reads cleanly up to the cut; only the missing
// end-of-file marker (BGZF's empty block, CRAM's EOF container) tells. HTSlib checks the last bytes of a file;
// a stream cannot be checked until it ends (see at_end). HTSlib's threaded CRAM decoder reports the end of
// any stream as clean (1.16: draining its queue sets cram_eof to 1), so CRAM streams are checked only when
// decoded without threads (-T 1).
void AlignmentReader::check_end_of_file_marker(bool threaded_cram) {
  const int status = hts_check_EOF(file_.get());
  if (status == 0) refuse_missing_end_of_file_marker();
  if (status < 0) {
    throw InputError(path_, "", std::string("cannot read the end of the file: ") + std::strerror(errno),
                     "check that the file is readable");
  }
  seekable_ = status != 2;
  check_at_end_ = status == 2 && !threaded_cram;
}

void AlignmentReader::refuse_missing_end_of_file_marker() const {
  const bool cram_file = hts_get_format(file_.get())->format == cram;
  throw InputError(path_, "",
                   std::string(cram_file ? "no CRAM end-of-file container" : "no BGZF end-of-file marker") +
                       ": the file is truncated, e.g. by a killed writer",
                   std::string("regenerate the ") + format_name() + "; check files with 'samtools quickcheck'");
}

// At the end of a stream: HTSlib notes whether the last BGZF block was the empty end-of-file block (with or
// without threads), and whether a CRAM stream ended on its EOF container.
void AlignmentReader::at_end() const {
  if (!check_at_end_) return;
  const bool missing = hts_get_format(file_.get())->format == cram
                           ? cram_eof(file_->fp.cram) == 2
                           : file_->fp.bgzf->no_eof_block != 0;
  if (missing) refuse_missing_end_of_file_marker();
}

bool AlignmentReader::compressed() const { return hts_get_format(file_.get())->format != sam; }

bool AlignmentReader::read(bam1_t* record) {
  if (sam_text_) return read_sam_line(record);
  const int status = sam_read1(file_.get(), header_.get(), record);
  if (status >= 0) {
    ++records_read_;
    return true;
  }
  if (status == -1) {
    at_end();
    return false;
  }
  fail_read(status);
}

// SAM text, a line at a time, as sam_read1 reads it (hts_getline, sam_parse1), but noting the RNAME column
// before parsing: HTSlib reads a record on a contig no @SQ line declares as unmapped, without a word, where
// featureCounts stops; this stops with the line and the contig.
bool AlignmentReader::read_sam_line(bam1_t* record) {
  kstring_t& line = file_->line;
  if (line.l == 0) {
    const int status = hts_getline(file_.get(), KS_SEP_LINE, &line);
    if (status == -1) {
      at_end();
      return false;
    }
    if (status < -1) fail_read(-2);
  }
  // The RNAME column: after the second tab. sam_parse1 ends the columns it reads with a NUL in place, so its
  // bytes are read before parsing; on a line with fewer columns parsing fails anyway.
  const char* end = line.s + line.l;
  const char* tab = static_cast<const char*>(std::memchr(line.s, '\t', line.l));
  if (tab != nullptr) tab = static_cast<const char*>(std::memchr(tab + 1, '\t', static_cast<std::size_t>(end - tab - 1)));
  const char* contig = tab == nullptr ? end : tab + 1;
  const char* contig_end = static_cast<const char*>(std::memchr(contig, '\t', static_cast<std::size_t>(end - contig)));
  if (contig_end == nullptr) contig_end = end;
  const bool placed = !(contig_end - contig == 1 && *contig == '*');
  const std::string_view contig_name(contig, static_cast<std::size_t>(contig_end - contig));
  const int status = sam_parse1(&line, header_.get(), record);
  line.l = 0;
  if (status < 0) fail_read(status);
  ++records_read_;
  // (A declared contig with POS 0 is read as unmapped too: that record is not refused.)
  if (record->core.tid < 0 && placed && sam_hdr_name2tid(header_.get(), std::string(contig_name).c_str()) < 0) {
    throw InputError(path_, "line " + std::to_string(header_lines_ + records_read_),
                     "the record's contig '" + std::string(contig_name) + "' is not declared by an @SQ header line",
                     "add its @SQ line (@SQ<tab>SN:name<tab>LN:length; the reference's .fai lists the lengths) "
                     "to the header");
  }
  return true;
}

namespace {

// The index file of a local alignment file, where samtools index puts it: beside the file with the index's
// extension added (x.bam.bai, x.bam.csi, x.cram.crai) or in its place (x.bai).
std::optional<std::filesystem::path> find_index_file(const std::filesystem::path& path, bool cram_file) {
  const std::vector<std::string> extensions = cram_file ? std::vector<std::string>{".crai"}
                                                        : std::vector<std::string>{".bai", ".csi"};
  for (const auto& extension : extensions) {
    for (auto candidate : {std::filesystem::path(path.string() + extension),
                           std::filesystem::path(path).replace_extension(extension)}) {
      if (std::filesystem::is_regular_file(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace

std::filesystem::path AlignmentReader::check_indexed() const {
  const htsExactFormat format = hts_get_format(file_.get())->format;
  const std::string reindex = "samtools index " + path_;
  if (format == sam) {
    throw InputError(path_, "", "SAM text cannot be read by region",
                     "convert it to a sorted, indexed BAM: samtools sort -o x.bam " + path_ + " && samtools index x.bam");
  }
  kstring_t sort_order{0, 0, nullptr};
  if (sam_hdr_find_tag_hd(header_.get(), "SO", &sort_order) == 0) {
    const std::string order(sort_order.s);
    std::free(sort_order.s);
    if (order != "coordinate") {
      throw InputError(path_, "header", "not coordinate-sorted (@HD SO:" + order + "): it cannot be read by region",
                       "sort and index it: samtools sort -o sorted.bam " + path_ + " && samtools index sorted.bam");
    }
  } else {
    std::free(sort_order.s);
  }
  if (io::is_remote_path(path_)) {
    // HTSlib could not read the file's last bytes, so the server does not serve parts of it: reading by region
    // would see no records at all rather than fail.
    if (!seekable_) {
      throw InputError(path_, "", "the server does not serve byte ranges (HTTP Range requests): the file cannot be read by region",
                       "use a server that answers Range requests (any object store does), or download the file");
    }
    return {};
  }
  const auto index_file = find_index_file(path_, format == cram);
  if (!index_file) {
    throw InputError(path_, "", "no index (" + std::string(format == cram ? ".crai" : ".bai or .csi") +
                                    "): reading by region needs one",
                     "make it with: " + reindex);
  }
  if (std::filesystem::last_write_time(*index_file) < std::filesystem::last_write_time(path_)) {
    throw InputError(index_file->string(), "", "the index is older than " + path_ + ": it may not describe it",
                     "remake it with: " + reindex + " (or, if it was made from this very file and only copied "
                     "before it, touch the index)");
  }
  return *index_file;
}

void AlignmentReader::load_index() {
  const std::filesystem::path index_file = check_indexed();
  const bool is_cram = hts_get_format(file_.get())->format == cram;
  if (index_file.empty()) {  // remote: HTSlib finds the index beside the file
    index_.reset(sam_index_load3(file_.get(), path_.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
    if (!index_) {
      throw InputError(path_, "", "no index found beside the remote file (or the server refused it)",
                       "put its index (" + std::string(is_cram ? ".crai" : ".bai or .csi") +
                           ") beside it, made with samtools index");
    }
    return;
  }
  index_.reset(sam_index_load2(file_.get(), path_.c_str(), index_file.c_str()));
  if (!index_) {
    throw InputError(index_file.string(), "", "cannot read the index", "remake it with: samtools index " + path_);
  }
}

namespace {

// CRAM regions closer than this are read by one query: each query decodes the containers it touches again.
constexpr std::int64_t kCramSpanGap = 64 * 1024;

}  // namespace

bool RegionQuery::first_overlap_in_span(const bam1_t* record) const {
  const Span& span = spans_[next_span_ - 1];
  const auto& intervals = contigs_[span.contig].intervals;
  const std::int64_t begin = record->core.pos, end = bam_endpos(record);
  // Intervals are sorted and disjoint: the first one ending after the record's start is the only candidate.
  const auto first = std::upper_bound(
      intervals.begin(), intervals.end(), begin,
      [](std::int64_t position, const auto& interval) { return position < interval.second; });
  const auto index = static_cast<std::size_t>(first - intervals.begin());
  return first != intervals.end() && first->first < end && index >= span.first_interval && index < span.end_interval;
}

RegionQuery AlignmentReader::query(const std::vector<ContigRegions>& regions) {
  std::vector<const ContigRegions*> used;
  for (const auto& contig : regions) {
    if (!contig.intervals.empty()) used.push_back(&contig);
  }
  if (used.empty()) return {};
  if (hts_get_format(file_.get())->format == cram) {
    RegionQuery query;
    for (const ContigRegions* contig : used) {
      query.contigs_.push_back(*contig);
      const auto& intervals = contig->intervals;
      for (std::size_t i = 0; i < intervals.size();) {
        std::size_t end = i + 1;
        while (end < intervals.size() && intervals[end].first - intervals[end - 1].second < kCramSpanGap) ++end;
        query.spans_.push_back({query.contigs_.size() - 1, i, end});
        i = end;
      }
    }
    return query;
  }
  // HTSlib takes the list (malloc'd) and frees it, and each contig's intervals, with the iterator.
  auto* list = static_cast<hts_reglist_t*>(std::calloc(used.size(), sizeof(hts_reglist_t)));
  if (list == nullptr) throw Error("out of memory for the regions of " + path_);
  for (std::size_t i = 0; i < used.size(); ++i) {
    const ContigRegions& contig = *used[i];
    hts_reglist_t& entry = list[i];
    entry.reg = sam_hdr_tid2name(header_.get(), contig.tid);
    entry.tid = contig.tid;
    entry.count = static_cast<std::uint32_t>(contig.intervals.size());
    entry.intervals = static_cast<hts_pair_pos_t*>(std::malloc(contig.intervals.size() * sizeof(hts_pair_pos_t)));
    if (entry.intervals == nullptr) {
      hts_reglist_free(list, static_cast<int>(i));
      throw Error("out of memory for the regions of " + path_);
    }
    for (std::size_t j = 0; j < contig.intervals.size(); ++j) {
      entry.intervals[j] = {contig.intervals[j].first, contig.intervals[j].second};
    }
    entry.min_beg = contig.intervals.front().first;
    entry.max_end = contig.intervals.back().second;
  }
  io::IteratorPtr iterator(sam_itr_regions(index_.get(), header_.get(), list, static_cast<unsigned>(used.size())));
  if (!iterator) throw InputError(path_, "", "cannot query the index for the regions", "remake it with: samtools index " + path_);
  return RegionQuery(std::move(iterator));
}

RegionQuery AlignmentReader::query_unplaced() {
  io::IteratorPtr iterator(sam_itr_queryi(index_.get(), HTS_IDX_NOCOOR, 0, 0));
  if (!iterator) throw InputError(path_, "", "cannot query the index for unplaced reads", "remake it with: samtools index " + path_);
  return RegionQuery(std::move(iterator));
}

bool AlignmentReader::read(RegionQuery& query, bam1_t* record) {
  for (;;) {
    if (query.iterator_ && read(query.iterator_.get(), record)) {
      if (query.spans_.empty() || query.first_overlap_in_span(record)) return true;
      continue;
    }
    if (query.next_span_ == query.spans_.size()) return false;
    const RegionQuery::Span& span = query.spans_[query.next_span_++];
    const ContigRegions& contig = query.contigs_[span.contig];
    query.iterator_.reset(sam_itr_queryi(index_.get(), contig.tid, contig.intervals[span.first_interval].first,
                                         contig.intervals[span.end_interval - 1].second));
    if (!query.iterator_) {
      throw InputError(path_, "", "cannot query the index for the regions", "remake it with: samtools index " + path_);
    }
  }
}

bool AlignmentReader::read(hts_itr_t* iterator, bam1_t* record) {
  const int status = sam_itr_next(file_.get(), iterator, record);
  if (status >= 0) {
    ++records_read_;
    return true;
  }
  if (status == -1) return false;
  const std::string where = "record " + std::to_string(records_read_ + 1) + " read by region";
  if (io::is_remote_path(path_)) {
    throw InputError(path_, where, "reading a part of the file failed: the server may not serve byte ranges "
                                   "(HTTP Range requests), or the connection failed",
                     "use a server that answers Range requests (any object store does), or download the file");
  }
  throw InputError(path_, where, "the file is truncated, a compressed block is corrupt, or the index does not describe it",
                   "check the file with samtools quickcheck and remake the index with samtools index");
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

}  // namespace ifnsig::count
