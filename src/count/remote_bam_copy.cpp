#include "remote_bam_copy.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <htslib/sam.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string_view>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/hts.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/io/text_source.hpp"

namespace ifnsig::count {

std::vector<VirtualChunk> chunks_read_by(const hts_itr_t* iterator) {
  if (iterator == nullptr || iterator->is_cram || iterator->finished) return {};
  // An unplaced-reads query reads from its start offset to the end of the file (from where the file stands
  // when that offset is 0: only at its start, as nothing was read before).
  if (iterator->read_rest) return {{iterator->curr_off, VirtualChunk::kToEndOfFile}};
  std::vector<VirtualChunk> chunks;
  chunks.reserve(static_cast<std::size_t>(iterator->n_off));
  for (int i = 0; i < iterator->n_off; ++i) chunks.push_back({iterator->off[i].u, iterator->off[i].v});
  return chunks;
}

std::uint64_t compressed_span(const std::vector<VirtualChunk>& chunks, std::uint64_t file_bytes) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  for (const VirtualChunk& chunk : chunks) {
    spans.emplace_back(chunk.begin >> 16, chunk.end == VirtualChunk::kToEndOfFile ? file_bytes : chunk.end >> 16);
  }
  std::sort(spans.begin(), spans.end());
  std::uint64_t bytes = 0;
  std::uint64_t covered_to = 0;
  for (const auto& [begin, end] : spans) {
    const std::uint64_t from = std::max(begin, covered_to);
    if (end > from) bytes += end - from;
    covered_to = std::max(covered_to, end);
  }
  return bytes;
}

namespace {

constexpr std::uint64_t kEndOfFileBlockBytes = 28;
// Ranges closer than this are fetched as one: a request costs a round trip, a few kilobytes cost less.
constexpr std::uint64_t kJoinGap = 8192;
constexpr std::uint64_t kIndexFirstBytes = 4096;  // the first request of an index
constexpr std::uint64_t kBinBytes = 26;

struct ByteRange {
  std::uint64_t begin, end;
};

const char* const kNoRanges = "the server does not serve byte ranges (HTTP Range requests): the file cannot be read by region";
const char* const kNoRangesHint = "use a server that answers Range requests (any object store does), or download the file";

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

// One connection (kept alive between requests) to one file, and what its responses said of it.
class HttpRangeClient {
 public:
  explicit HttpRangeClient(std::string url) : url_(std::move(url)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw Error("cannot start an HTTP client for " + url_);
    curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 60L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled transfer fails after a minute
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &HttpRangeClient::on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpRangeClient::on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
  }
  ~HttpRangeClient() { curl_easy_cleanup(curl_); }
  HttpRangeClient(const HttpRangeClient&) = delete;
  HttpRangeClient& operator=(const HttpRangeClient&) = delete;

  // Writes the file's bytes [begin, end) at their offsets into `descriptor`; end is cut to the file's size,
  // learnt from the first response. Returns the end written to.
  // With `missing`, a file the server does not have (404, 410) sets it instead of failing.
  std::uint64_t get_range(std::uint64_t begin, std::uint64_t end, int descriptor, bool* missing = nullptr) {
    if (size_ > 0) end = std::min(end, size_);
    response_ = {};
    response_.descriptor = descriptor;
    response_.offset = begin;
    response_.expected = end - begin;
    const std::string range = std::to_string(begin) + "-" + std::to_string(end - 1);
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_RANGE, range.c_str());
    const CURLcode code = perform();
    if (missing != nullptr && (response_.status == 404 || response_.status == 410)) {
      *missing = true;
      return begin;
    }
    check_ranged_response(code, begin, end);
    return end;
  }

  std::uint64_t size() const { return size_; }
  const std::string& last_modified() const { return last_modified_; }
  std::uint64_t bytes() const { return bytes_; }
  std::uint64_t requests() const { return requests_; }

 private:
  struct Response {
    long status = 0;
    std::string content_range, etag, last_modified;
    int descriptor = -1;  // the body goes here, at offset + bytes received
    std::uint64_t offset = 0;
    std::uint64_t expected = 0;
    std::uint64_t received = 0;
    int write_error = 0;
  };

  CURLcode perform() {
    ++requests_;
    const CURLcode code = curl_easy_perform(curl_);
    bytes_ += response_.received;
    return code;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    Response& response = static_cast<HttpRangeClient*>(self)->response_;
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {  // a new response (after a redirect or 100 Continue): forget the last
      const std::size_t space = line.find(' ');
      Response fresh;
      fresh.descriptor = response.descriptor;
      fresh.offset = response.offset;
      fresh.expected = response.expected;
      response = std::move(fresh);
      if (space != std::string_view::npos) response.status = std::atol(std::string(line.substr(space + 1, 3)).c_str());
    } else if (starts_with_ignoring_case(line, "content-range:")) {
      response.content_range = io::trim(line.substr(14));
    } else if (starts_with_ignoring_case(line, "etag:")) {
      response.etag = io::trim(line.substr(5));
    } else if (starts_with_ignoring_case(line, "last-modified:")) {
      response.last_modified = io::trim(line.substr(14));
    }
    return size * count;
  }

  // Takes only the range asked for: a whole file sent instead, an error page or a longer body stops the
  // transfer (returning less than given).
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    Response& response = static_cast<HttpRangeClient*>(self)->response_;
    const std::size_t n = size * count;
    if (response.status != 206 || response.received + n > response.expected) return 0;
    std::size_t written = 0;
    while (written < n) {
      const ssize_t w = pwrite(response.descriptor, data + written, n - written,
                               static_cast<off_t>(response.offset + response.received + written));
      if (w < 0) {
        if (errno == EINTR) continue;
        response.write_error = errno;
        return 0;
      }
      written += static_cast<std::size_t>(w);
    }
    response.received += n;
    return n;
  }

  void check_ranged_response(CURLcode code, std::uint64_t begin, std::uint64_t end) {
    const Response& r = response_;
    const std::string asked = " (bytes " + std::to_string(begin) + "-" + std::to_string(end - 1) + ")";
    if (r.write_error != 0) {
      throw Error("cannot write the part of " + url_ + " fetched to the temporary directory: " +
                  std::strerror(r.write_error), "give --tmp-dir a directory with space");
    }
    if (r.status == 200) throw InputError(url_, "", kNoRanges, kNoRangesHint);
    if (r.status == 416) {
      throw InputError(url_, "", "the server has fewer bytes than asked for" + asked + ": the file changed on the server",
                       "run again once the file no longer changes");
    }
    if (r.status != 206) fail(code);
    // Content-Range: bytes FIRST-LAST/SIZE
    unsigned long long first = 0, last = 0, total = 0;
    if (std::sscanf(r.content_range.c_str(), "bytes %llu-%llu/%llu", &first, &last, &total) != 3 || first != begin ||
        last + 1 > end || (size_ > 0 && last + 1 != end)) {
      throw InputError(url_, "", "the server answered a byte-range request" + asked + " with other bytes (Content-Range: " +
                                     r.content_range + ")", kNoRangesHint);
    }
    if (size_ == 0) {
      size_ = total;
      etag_ = r.etag;
      last_modified_ = r.last_modified;
    } else if (total != size_ || r.etag != etag_ || r.last_modified != last_modified_) {
      throw InputError(url_, "", "the file changed on the server while it was read (its size, ETag or Last-Modified differ "
                                 "between requests)", "run again once the file no longer changes");
    }
    if (code != CURLE_OK || r.received != last + 1 - first) {
      throw InputError(url_, "", "a short response" + asked + ": " + std::to_string(r.received) + " of " +
                                     std::to_string(last + 1 - first) + " bytes (" + curl_easy_strerror(code) + ")",
                       "check the connection and the server, and run again");
    }
  }

  [[noreturn]] void fail(CURLcode code) const {
    if (response_.status >= 400) {
      throw InputError(url_, "", "the server answered HTTP " + std::to_string(response_.status),
                       response_.status == 404 ? "check the URL" : "check the URL and that the server lets it be read");
    }
    if (code != CURLE_OK && code != CURLE_WRITE_ERROR) {
      throw InputError(url_, "", std::string("cannot fetch: ") + curl_easy_strerror(code), "check the URL and the connection");
    }
    throw InputError(url_, "", "unexpected answer from the server (HTTP " + std::to_string(response_.status) + ")",
                     "check the URL");
  }

  std::string url_;
  CURL* curl_ = nullptr;
  Response response_;
  std::uint64_t size_ = 0;
  std::string etag_, last_modified_;
  std::uint64_t bytes_ = 0;
  std::uint64_t requests_ = 0;
};

// A local file of a remote file's size holding, at their own offsets, only the bytes fetched from it.
class SparseFile {
 public:
  SparseFile(const std::string& url, std::filesystem::path path) : url_(url), path_(std::move(path)), client_(url) {
    descriptor_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (descriptor_ < 0) {
      throw Error("cannot create " + path_.string() + ": " + std::strerror(errno), "give --tmp-dir a writable directory");
    }
  }
  ~SparseFile() { ::close(descriptor_); }
  SparseFile(const SparseFile&) = delete;
  SparseFile& operator=(const SparseFile&) = delete;

  // Fetches the first `bytes` (the file's size comes with them); false when the server has no such file.
  bool open_remote(std::uint64_t bytes) {
    bool missing = false;
    const std::uint64_t end = client_.get_range(0, bytes, descriptor_, &missing);
    if (missing) return false;
    size_ = client_.size();
    present_.emplace(0, std::min(end, size_));
    if (ftruncate(descriptor_, static_cast<off_t>(size_)) != 0) {
      throw Error("cannot size " + path_.string() + ": " + std::strerror(errno), "give --tmp-dir a directory with space");
    }
    return true;
  }

  // Fetches the ranges' bytes the copy lacks, ranges closer than kJoinGap joined.
  void fetch(const std::vector<ByteRange>& ranges) {
    std::vector<ByteRange> missing;
    for (ByteRange range : ranges) {
      range.end = std::min(range.end, size_);
      auto next = present_.upper_bound(range.begin);
      if (next != present_.begin() && std::prev(next)->second > range.begin) range.begin = std::prev(next)->second;
      while (range.begin < range.end) {
        if (next == present_.end() || next->first >= range.end) {
          missing.push_back(range);
          break;
        }
        if (next->first > range.begin) missing.push_back({range.begin, next->first});
        range.begin = next->second;
        ++next;
      }
    }
    std::sort(missing.begin(), missing.end(), [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
    std::vector<ByteRange> joined;
    for (const ByteRange& range : missing) {
      if (!joined.empty() && range.begin <= joined.back().end + kJoinGap) {
        joined.back().end = std::max(joined.back().end, range.end);
      } else {
        joined.push_back(range);
      }
    }
    for (ByteRange range : joined) {
      range.end = client_.get_range(range.begin, range.end, descriptor_);
      // Recorded as present, merged with the ranges it touches.
      auto next = present_.lower_bound(range.begin);
      if (next != present_.begin() && std::prev(next)->second >= range.begin) --next;
      while (next != present_.end() && next->first <= range.end) {
        range.begin = std::min(range.begin, next->first);
        range.end = std::max(range.end, next->second);
        next = present_.erase(next);
      }
      present_.emplace(range.begin, range.end);
    }
  }

  // `bytes` bytes at `offset`, fetched first when missing (with `ahead` more); false past the end.
  bool read(std::uint64_t offset, void* out, std::uint64_t bytes, std::uint64_t ahead = 0) {
    if (offset + bytes > size_) return false;
    if (!has(offset, offset + bytes)) fetch({{offset, offset + bytes + ahead}});
    return pread(descriptor_, out, bytes, static_cast<off_t>(offset)) == static_cast<ssize_t>(bytes);
  }

  // Whether all of [begin, end) was fetched.
  bool has(std::uint64_t begin, std::uint64_t end) const {
    const auto next = present_.upper_bound(begin);
    return next != present_.begin() && std::prev(next)->second >= end;
  }
  const std::string& url() const { return url_; }
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }
  const HttpRangeClient& client() const { return client_; }

 private:
  std::string url_;
  std::filesystem::path path_;
  HttpRangeClient client_;
  int descriptor_ = -1;
  std::uint64_t size_ = 0;
  std::map<std::uint64_t, std::uint64_t> present_;  // fetched byte ranges, begin -> end, disjoint
};

namespace {

std::uint32_t little_endian_u32(const unsigned char* bytes) {
  return std::uint32_t{bytes[0]} | std::uint32_t{bytes[1]} << 8 | std::uint32_t{bytes[2]} << 16 |
         std::uint32_t{bytes[3]} << 24;
}

}  // namespace

bool RemoteBamCopy::handles(const std::string& path) {
  return path.starts_with("http://") || path.starts_with("https://");
}

RemoteBamCopy::RemoteBamCopy(const std::string& url, std::filesystem::path directory) : directory_(std::move(directory)) {
  std::string name = url.substr(0, url.find_first_of("?#"));
  name = name.substr(name.find_last_of('/') + 1);
  data_ = std::make_unique<SparseFile>(url, directory_ / (name.empty() ? std::string("input.bam") : name));
}

RemoteBamCopy::~RemoteBamCopy() {
  data_.reset();
  index_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::unique_ptr<RemoteBamCopy> RemoteBamCopy::open(const std::string& url, const std::filesystem::path& temp_directory) {
  std::string pattern = (temp_directory / "ifnsig-remote-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw Error("cannot create a directory in " + temp_directory.string() + ": " + std::strerror(errno),
                "give --tmp-dir a writable directory");
  }
  std::unique_ptr<RemoteBamCopy> copy(new RemoteBamCopy(url, pattern));
  // The first bytes: the file's size, and whether it is BGZF (a BAM) at all.
  if (!copy->data_->open_remote(io::kBgzfHeaderBytes)) {
    throw InputError(url, "", "the server answered HTTP 404", "check the URL");
  }
  std::array<unsigned char, 2> magic{};
  if (!copy->data_->read(0, magic.data(), magic.size()) || magic[0] != 0x1f || magic[1] != 0x8b) return nullptr;
  copy->open_index();
  // The header: everything before the first record, whose offset the index gives (the file's start when the
  // index knows no placed record).
  io::IndexPtr index(hts_idx_load2(copy->local_path().c_str(), copy->index_->path().c_str()));
  if (!index) throw InputError(copy->index_->url(), "", "cannot read the index", "remake it with samtools index");
  const io::IteratorPtr first(sam_itr_queryi(index.get(), HTS_IDX_START, 0, 0));
  const std::uint64_t first_record = first ? first->curr_off : 0;
  copy->fetch({{0, first_record == 0 ? VirtualChunk::kToEndOfFile : first_record}});
  const std::uint64_t size = copy->data_->size();
  copy->data_->fetch({{size - std::min(size, kEndOfFileBlockBytes), size}});
  copy->index_written();
  return copy;
}

std::string RemoteBamCopy::local_path() const { return data_->path().string(); }

// The index beside the file: x.bam.bai (its bins and chunks, and of its linear index only the entries
// fetch_index_windows asks for), else x.bam.csi (whole). Refused when older than the file.
void RemoteBamCopy::open_index() {
  for (const char* extension : {".bai", ".csi"}) {
    auto index = std::make_unique<SparseFile>(data_->url() + extension, data_->path().string() + extension);
    if (!index->open_remote(kIndexFirstBytes)) continue;
    const time_t index_time = curl_getdate(index->client().last_modified().c_str(), nullptr);
    const time_t file_time = curl_getdate(data_->client().last_modified().c_str(), nullptr);
    if (index_time >= 0 && file_time >= 0 && index_time < file_time) {
      throw InputError(index->url(), "", "the index is older than " + data_->url() + ": it may not describe it",
                       "remake it with samtools index and put it beside the file");
    }
    index_ = std::move(index);
    if (std::string_view(extension) == ".bai") {
      read_bai_layout();
    } else {
      index_->fetch({{0, index_->size()}});
    }
    return;
  }
  throw InputError(data_->url(), "", "no index beside the remote file (" + data_->url() + ".bai or .csi): reading by region needs one",
                   "make it with samtools index and put it beside the file");
}

// A BAI: magic, n_ref, then per contig its bins (id, chunk count, chunks) and its linear index (a count, then
// one virtual offset per 16 kb window). Fetches everything but the linear indexes, whose places it records.
// Windows not fetched stay 0, which HTSlib fills with the window before's offset: a lower bound, as offsets
// grow with position, so a region query may read more but never misses a record.
void RemoteBamCopy::read_bai_layout() {
  const auto u32 = [&](std::uint64_t offset, std::uint64_t ahead) {
    std::array<unsigned char, 4> bytes{};
    if (!index_->read(offset, bytes.data(), bytes.size(), ahead)) {
      throw InputError(index_->url(), "byte " + std::to_string(offset), "the index ends early", "remake it with samtools index");
    }
    return little_endian_u32(bytes.data());
  };
  if (u32(0, 0) != little_endian_u32(reinterpret_cast<const unsigned char*>("BAI\1"))) {
    throw InputError(index_->url(), "", "not a BAI index", "remake it with samtools index");
  }
  const std::uint32_t contigs = u32(4, 0);
  std::uint64_t offset = 8;
  for (std::uint32_t contig = 0; contig < contigs; ++contig) {
    const std::uint32_t bins = u32(offset, 0);
    offset += 4;
    // A bin takes at least 24 bytes (one chunk), 26 on average here: asking for that many per bin still to
    // walk (and the linear index's count) rarely reaches into the linear index, in few requests.
    for (std::uint32_t bin = 0; bin < bins; ++bin) {
      const std::uint64_t ahead = kBinBytes * (bins - bin) + 4;
      u32(offset, ahead);  // the bin's number, for HTSlib
      const std::uint64_t chunk_bytes = 16 * std::uint64_t{u32(offset + 4, ahead)};
      offset += 8;
      index_->fetch({{offset, offset + chunk_bytes}});
      offset += chunk_bytes;
    }
    const std::uint32_t windows = u32(offset, 0);
    linear_index_.push_back({offset + 4, windows});
    offset += 4 + 8 * std::uint64_t{windows};
  }
  index_->fetch({{offset, index_->size()}});  // the count of unplaced reads, when there
}

void RemoteBamCopy::fetch_index_windows(const std::vector<ContigRegions>& regions) {
  std::vector<ByteRange> ranges;
  for (const ContigRegions& contig : regions) {
    if (contig.tid < 0 || static_cast<std::size_t>(contig.tid) >= linear_index_.size()) continue;
    const LinearIndex& linear = linear_index_[static_cast<std::size_t>(contig.tid)];
    for (const auto& interval : contig.intervals) {
      const std::uint64_t window = static_cast<std::uint64_t>(interval.first) >> 14;
      if (window < linear.windows) ranges.push_back({linear.offset + 8 * window, linear.offset + 8 * window + 8});
    }
  }
  index_->fetch(ranges);
  index_written();
}

// The index must not look older than the file it describes, whose copy was written to since.
void RemoteBamCopy::index_written() const {
  std::filesystem::last_write_time(index_->path(), std::filesystem::last_write_time(data_->path()));
}

void RemoteBamCopy::fetch(const std::vector<VirtualChunk>& chunks) {
  // First each chunk through the header of the block its end points into; then those blocks whole.
  std::vector<ByteRange> ranges;
  std::vector<std::uint64_t> end_blocks;
  for (const VirtualChunk& chunk : chunks) {
    const std::uint64_t begin = chunk.begin >> 16;
    if (chunk.end == VirtualChunk::kToEndOfFile) {
      ranges.push_back({begin, data_->size()});
    } else if ((chunk.end & 0xffff) == 0) {
      ranges.push_back({begin, chunk.end >> 16});
    } else {
      end_blocks.push_back(chunk.end >> 16);
      ranges.push_back({begin, end_blocks.back() + io::kBgzfHeaderBytes});
    }
  }
  data_->fetch(ranges);
  ranges.clear();
  for (const std::uint64_t block : end_blocks) ranges.push_back({block, block + block_size_at(block)});
  data_->fetch(ranges);
}

// The size of the BGZF block at `offset` (already in the copy), from its header's BSIZE field.
std::uint64_t RemoteBamCopy::block_size_at(std::uint64_t offset) const {
  std::array<std::uint8_t, io::kBgzfHeaderBytes> header{};
  if (!data_->read(offset, header.data(), header.size()) || !io::is_bgzf_header(header.data())) {
    throw InputError(data_->url(), "byte " + std::to_string(offset), "no BGZF block where the index points: the index does not describe the file",
                     "remake the index with samtools index and put it beside the file");
  }
  return io::bgzf_block_bytes(header.data());
}

std::uint64_t RemoteBamCopy::bytes_fetched() const { return data_->client().bytes() + index_->client().bytes(); }
std::uint64_t RemoteBamCopy::requests() const { return data_->client().requests() + index_->client().requests(); }

}  // namespace ifnsig::count
