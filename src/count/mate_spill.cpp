#include "ifnsig/count/mate_spill.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <queue>

#include "ifnsig/core/error.hpp"

namespace ifnsig {
namespace {

template <typename T>
void put(std::ostream& out, const T& value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}
template <typename T>
bool get(std::istream& in, T& value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), sizeof value));
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
}

void write_entry(std::ostream& out, std::string_view key, const MateHits& mate) {
  put(out, static_cast<std::uint32_t>(key.size()));
  out.write(key.data(), static_cast<std::streamsize>(key.size()));
  visit_fields(mate, [&](const auto& field) { put(out, field); });
  put(out, static_cast<std::uint32_t>(mate.hits.size()));
  for (const auto& hit : mate.hits) put(out, hit);
}

bool read_entry(std::istream& in, std::string& key, MateHits& mate) {
  std::uint32_t size = 0;
  if (!get(in, size)) return false;
  key.resize(size);
  in.read(key.data(), size);
  visit_fields(mate, [&](auto& field) { get(in, field); });
  std::uint32_t n_hits = 0;
  get(in, n_hits);
  mate.hits.resize(n_hits);
  for (auto& hit : mate.hits) get(in, hit);
  return static_cast<bool>(in);
}

struct RunReader {
  std::ifstream in;
  std::string key;
  MateHits mate;
  bool has_entry = false;
  void advance() { has_entry = read_entry(in, key, mate); }
};

}  // namespace

MateSpill::~MateSpill() {
  for (const auto& run : runs_) {
    std::error_code ignored;
    std::filesystem::remove(run, ignored);
  }
}

void MateSpill::spill(MateTable& waiting) {
  std::vector<const MateTable::Entry*> order = waiting.waiting();
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
  const auto path = directory_ / ("ifnsig-mates-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(runs_.size()) + ".tmp");
  runs_.push_back(path);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto* entry : order) write_entry(out, entry->key(), entry->mate);
  out.flush();
  if (!out) {
    throw InputError(path.string(), "", "cannot write waiting mates to the temporary directory",
                     "free disk space or choose another directory with --tmp-dir");
  }
  waiting.clear();
}

void MateSpill::merge(MateTable& waiting,
                      const std::function<void(const MateHits&, const MateHits&)>& on_pair,
                      const std::function<void(std::string_view, const MateHits&)>& on_lone) {
  spill(waiting);  // the mates still in memory become the last run
  std::vector<std::unique_ptr<RunReader>> readers;
  for (const auto& run : runs_) {
    auto reader = std::make_unique<RunReader>();
    reader->in.open(run, std::ios::binary);
    reader->advance();
    readers.push_back(std::move(reader));
  }
  const auto later = [](const RunReader* a, const RunReader* b) { return a->key > b->key; };
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
      on_pair(held, reader->mate);
      holding = false;
    } else {
      if (holding) on_lone(held_key, held);
      held_key = reader->key;
      held = reader->mate;
      holding = true;
    }
    reader->advance();
    if (reader->has_entry) heap.push(reader);
  }
  if (holding) on_lone(held_key, held);
}

}  // namespace ifnsig
