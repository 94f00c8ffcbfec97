#include "mate_spill.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <queue>

#include "ifnsig/core/error.hpp"

namespace ifnsig::count {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxOpenRuns = 32;
constexpr const char* kSpillHint =
    "raise the open-file limit (ulimit -n), raise --max-waiting-mates so that fewer runs are written, or free "
    "space in --tmp-dir (or point --tmp-dir at another directory)";

[[noreturn]] void spill_error(const fs::path& path, const std::string& problem, int error) {
  throw InputError(path.string(), "", problem + ": " + std::strerror(error), kSpillHint);
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// One run file, written once and read once; every failure is an InputError naming it.
class RunFile {
 public:
  // A new, empty file with a name no other process or object uses.
  static RunFile create(const fs::path& directory) {
    std::string name = (directory / "ifnsig-mates-XXXXXX").string();
    const int descriptor = ::mkstemp(name.data());
    if (descriptor < 0) spill_error(directory, "cannot create a file for waiting mates", errno);
    RunFile run(name, ::fdopen(descriptor, "wb"));
    if (!run.file_) {
      const int error = errno;
      ::close(descriptor);
      ::unlink(name.c_str());
      spill_error(name, "cannot open the file for waiting mates", error);
    }
    return run;
  }

  static RunFile open(const fs::path& path) {
    RunFile run(path, std::fopen(path.c_str(), "rb"));
    if (!run.file_) spill_error(path, "cannot reopen the file of waiting mates", errno);
    return run;
  }

  const fs::path& path() const { return path_; }

  void write(const void* bytes, std::size_t size) {
    if (std::fwrite(bytes, 1, size, file_.get()) != size) spill_error(path_, "cannot write waiting mates", errno);
  }

  // Flushes and closes a file that was written.
  void finish_writing() {
    const bool flushed = std::fflush(file_.get()) == 0;
    const int flush_error = errno;
    if (std::fclose(file_.release()) != 0 || !flushed) {
      spill_error(path_, "cannot write waiting mates", flushed ? errno : flush_error);
    }
  }

  // Reads `size` bytes; false only at the end of the file when `may_end` and nothing was read.
  bool read(void* bytes, std::size_t size, bool may_end) {
    const std::size_t got = std::fread(bytes, 1, size, file_.get());
    if (got == size) return true;
    if (std::ferror(file_.get())) spill_error(path_, "cannot read waiting mates back", errno);
    if (got == 0 && may_end) return false;
    throw InputError(path_.string(), "", "the file of waiting mates ends inside an entry (changed by another program?)",
                     kSpillHint);
  }

 private:
  RunFile(fs::path path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  fs::path path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
};

template <typename T>
void put(RunFile& out, const T& value) {
  out.write(&value, sizeof value);
}

// The fields of a MateHits in file order; one list serves writing and reading.
template <typename Mate, typename Visit>
void visit_fields(Mate& mate, Visit&& visit) {
  visit(mate.flag);
  visit(mate.mapq);
  visit(mate.split);
  visit(mate.on_known_contig);
  visit(mate.nh);
  visit(mate.hi);
  visit(mate.length_bp);
  visit(mate.tid);
  visit(mate.mate_tid);
  visit(mate.template_length);
  visit(mate.read_group);
}

void write_entry(RunFile& out, std::string_view key, const MateHits& mate) {
  put(out, static_cast<std::uint32_t>(key.size()));
  out.write(key.data(), key.size());
  visit_fields(mate, [&](const auto& field) { put(out, field); });
  put(out, static_cast<std::uint32_t>(mate.hits.size()));
  for (const auto& hit : mate.hits) put(out, hit);
  put(out, static_cast<std::uint32_t>(mate.junctions.size()));
  for (const auto& junction : mate.junctions) put(out, junction);
}

// False at the end of the run.
bool read_entry(RunFile& in, std::string& key, MateHits& mate) {
  std::uint32_t size = 0;
  if (!in.read(&size, sizeof size, true)) return false;
  key.resize(size);
  in.read(key.data(), size, false);
  visit_fields(mate, [&](auto& field) { in.read(&field, sizeof field, false); });
  std::uint32_t n_hits = 0;
  in.read(&n_hits, sizeof n_hits, false);
  mate.hits.resize(n_hits);
  for (auto& hit : mate.hits) in.read(&hit, sizeof hit, false);
  std::uint32_t n_junctions = 0;
  in.read(&n_junctions, sizeof n_junctions, false);
  mate.junctions.resize(n_junctions);
  for (auto& junction : mate.junctions) in.read(&junction, sizeof junction, false);
  return true;
}

struct RunReader {
  explicit RunReader(const fs::path& path) : file(RunFile::open(path)) { advance(); }
  void advance() { has_entry = read_entry(file, key, mate); }
  RunFile file;
  std::string key;
  MateHits mate;
  bool has_entry = false;
  std::size_t age = 0;  // the run's place among the runs merged, oldest first
};

// Merges sorted runs: on_pair(key, a, b) for two equal keys in a row, on_single(key, mate) for a key seen once,
// in key order.
void merge_runs(const std::vector<fs::path>& runs, const MateSpill::PairCallback& on_pair,
                const MateSpill::LoneCallback& on_single) {
  std::vector<std::unique_ptr<RunReader>> readers;
  for (const auto& run : runs) {
    readers.push_back(std::make_unique<RunReader>(run));
    readers.back()->age = readers.size();
  }
  // Runs are oldest first: equal keys come from the older run first, so that on_pair's first mate is the
  // earlier record of the file (--byReadGroup counts a pair for its first record's group).
  const auto later = [](const RunReader* a, const RunReader* b) {
    return a->key != b->key ? a->key > b->key : a->age > b->age;
  };
  std::priority_queue<RunReader*, std::vector<RunReader*>, decltype(later)> heap(later);
  for (auto& reader : readers) {
    if (reader->has_entry) heap.push(reader.get());
  }
  std::string held_key;
  MateHits held;
  bool holding = false;
  while (!heap.empty()) {
    RunReader* reader = heap.top();
    heap.pop();
    if (holding && reader->key == held_key) {
      on_pair(held_key, held, reader->mate);
      holding = false;
    } else {
      if (holding) on_single(held_key, held);
      held_key = reader->key;
      held = reader->mate;
      holding = true;
    }
    reader->advance();
    if (reader->has_entry) heap.push(reader);
  }
  if (holding) on_single(held_key, held);
}

}  // namespace

std::size_t MateSpill::default_max_open_runs() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kMaxOpenRuns;
  return std::clamp<std::size_t>(static_cast<std::size_t>(limit.rlim_cur / 4), 2, kMaxOpenRuns);
}

MateSpill::MateSpill(std::filesystem::path directory, std::size_t max_open_runs)
    : directory_(std::move(directory)), max_open_runs_(std::max<std::size_t>(2, max_open_runs)) {}

MateSpill::~MateSpill() {
  for (const auto& run : runs_) {
    std::error_code ignored;
    std::filesystem::remove(run, ignored);
  }
}

void MateSpill::spill(MateTable& waiting) {
  std::vector<const MateTable::Entry*> order = waiting.waiting();
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
  RunFile run = RunFile::create(directory_);
  runs_.push_back(run.path());
  for (const auto* entry : order) write_entry(run, entry->key(), entry->mate);
  run.finish_writing();
  waiting.clear();
}

void MateSpill::merge(MateTable& waiting, const PairCallback& on_pair, const LoneCallback& on_lone) {
  if (waiting.size() > 0) spill(waiting);  // the mates still in memory become the last run
  while (runs_.size() > max_open_runs_) {
    const std::vector<fs::path> oldest(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(max_open_runs_));
    RunFile merged = RunFile::create(directory_);
    runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(max_open_runs_), merged.path());
    merge_runs(oldest, on_pair, [&](std::string_view key, const MateHits& mate) { write_entry(merged, key, mate); });
    merged.finish_writing();
    for (const auto& run : oldest) {
      std::error_code ignored;
      std::filesystem::remove(run, ignored);
    }
    runs_.erase(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(max_open_runs_));
  }
  merge_runs(runs_, on_pair, on_lone);
}

}  // namespace ifnsig::count
