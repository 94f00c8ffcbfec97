#include "ifnsig/score/gene_set.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::score {
namespace {

namespace fs = std::filesystem;

void add_member(GeneSet& set, GeneSetMember member, const std::string& where) {
  if (member.symbol.empty()) throw InputError(set.origin, where, "empty gene symbol in set " + quote_field(set.name));
  const bool duplicate = std::any_of(set.members.begin(), set.members.end(),
                                     [&](const GeneSetMember& m) { return m.symbol == member.symbol; });
  if (!duplicate) set.members.push_back(std::move(member));
}

void set_field(GeneSet& set, std::string_view key, std::string value) {
  static const std::map<std::string_view, std::string GeneSet::*> kFields = {
      {"name", &GeneSet::name},       {"title", &GeneSet::title},   {"citation", &GeneSet::citation},
      {"doi", &GeneSet::doi},         {"version", &GeneSet::version}, {"status", &GeneSet::status},
      {"source", &GeneSet::source},   {"licence", &GeneSet::licence}, {"method", &GeneSet::method},
      {"note", &GeneSet::note},       {"response", &GeneSet::response}, {"derivation", &GeneSet::derivation}};
  auto it = kFields.find(key);
  if (it != kFields.end()) set.*(it->second) = std::move(value);
}

}  // namespace

GeneSet read_panel_file(const fs::path& path) {
  GeneSet set;
  set.origin = path.string();
  io::LineReader reader(path.string());
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(line)) {
    if (io::trim(line).empty() || line.front() == '#') continue;
    io::split_fields(line, '\t', fields);
    const std::string where = at_line(reader.line_number());
    if (fields.size() < 2) throw InputError(set.origin, where, "expected key<TAB>value", "see data/panels/README.md");
    if (fields[0] != "gene") {
      set_field(set, fields[0], std::string(io::trim(fields[1])));
      continue;
    }
    GeneSetMember member{std::string(io::trim(fields[1])), {}, {}};
    if (fields.size() > 2) member.aliases = io::comma_items(fields[2]);
    if (fields.size() > 3) member.ids = io::comma_items(fields[3]);
    add_member(set, std::move(member), where);
  }
  if (!set.response.empty() && set.response != "type I" && set.response != "type II") {
    throw InputError(set.origin, "", "response " + quote_field(set.response) + " is not a response",
                     "use 'type I' or 'type II' (see data/panels/README.md)");
  }
  if (set.name.empty() || set.members.empty()) {
    throw InputError(set.origin, "", "a panel file needs a name line and at least one gene line",
                     "see data/panels/README.md");
  }
  return set;
}

std::vector<GeneSet> read_builtin_panels(const fs::path& panel_dir) {
  std::vector<GeneSet> sets;
  for (const auto& entry : fs::directory_iterator(panel_dir)) {
    if (entry.path().extension() == ".tsv") sets.push_back(read_panel_file(entry.path()));
  }
  std::sort(sets.begin(), sets.end(), [](const GeneSet& a, const GeneSet& b) { return a.name < b.name; });
  return sets;
}

std::vector<GeneSet> read_gmt(const fs::path& path) {
  std::vector<GeneSet> sets;
  io::LineReader reader(path.string());
  std::string_view line;
  std::vector<std::string_view> fields;
  std::unordered_set<std::string> names;
  while (reader.next(line)) {
    if (io::trim(line).empty() || line.front() == '#') continue;
    io::split_fields(line, '\t', fields);
    const std::string where = at_line(reader.line_number());
    if (fields.size() < 3) {
      throw InputError(path.string(), where, "a GMT line needs a name, a description and at least one gene",
                       "GMT lines are: name<TAB>description<TAB>gene1<TAB>gene2...");
    }
    GeneSet set;
    set.name = std::string(io::trim(fields[0]));
    set.title = std::string(io::trim(fields[1]));
    set.status = "user";
    set.origin = path.string();
    if (!names.insert(set.name).second) throw InputError(set.origin, where, "duplicated set name " + quote_field(set.name));
    for (std::size_t i = 2; i < fields.size(); ++i) {
      if (!io::trim(fields[i]).empty()) add_member(set, GeneSetMember{std::string(io::trim(fields[i])), {}, {}}, where);
    }
    if (set.members.empty()) throw InputError(set.origin, where, "set " + quote_field(set.name) + " has no genes");
    sets.push_back(std::move(set));
  }
  if (sets.empty()) throw InputError(path.string(), "", "no gene sets in the GMT file");
  return sets;
}

fs::path find_panel_dir(const fs::path& executable, const std::string& compiled_in_data_dir) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("IFNSIG_DATA_DIR"); env != nullptr && *env != '\0') {
    candidates.push_back(fs::path(env) / "panels");
  }
  if (!executable.empty()) candidates.push_back(executable.parent_path() / ".." / "share" / "ifnsig" / "panels");
  candidates.push_back(fs::path(compiled_in_data_dir) / "panels");
  std::string tried;
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate.lexically_normal();
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  throw InputError("panels", "", "no panel directory found (tried " + tried + ")",
                   "set IFNSIG_DATA_DIR to the directory that holds panels/");
}

std::vector<GeneSet> resolve_panels(const std::vector<std::string>& specs, const fs::path& panel_dir) {
  std::vector<GeneSet> result;
  std::vector<GeneSet> builtin;
  for (const auto& spec : specs) {
    const auto gmt_at = spec.find(".gmt");
    if (gmt_at != std::string::npos) {
      const std::string file = spec.substr(0, gmt_at + 4);
      const std::string only = gmt_at + 4 < spec.size() && spec[gmt_at + 4] == ':' ? spec.substr(gmt_at + 5) : "";
      for (auto& set : read_gmt(file)) {
        if (only.empty() || set.name == only) result.push_back(std::move(set));
      }
      if (!only.empty() && (result.empty() || result.back().name != only)) {
        throw UsageError("gene set " + quote_field(only) + " is not in " + file, "list the set names with: cut -f1 " + file);
      }
      continue;
    }
    if (builtin.empty()) builtin = read_builtin_panels(panel_dir);
    auto it = std::find_if(builtin.begin(), builtin.end(), [&](const GeneSet& s) { return s.name == spec; });
    if (it == builtin.end()) {
      throw UsageError("unknown panel " + quote_field(spec), "run `ifnsig panels` for the built-in names, or pass a .gmt file");
    }
    result.push_back(*it);
  }
  for (std::size_t i = 0; i < result.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (result[i].name == result[j].name) throw UsageError("panel " + quote_field(result[i].name) + " is given twice");
    }
  }
  return result;
}

}  // namespace ifnsig::score
