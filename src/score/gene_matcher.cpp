#include "ifnsig/score/gene_matcher.hpp"

#include <algorithm>
#include <string_view>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::score {

void check_panel_names(const std::string& source, const std::vector<std::string>& gene_ids,
                       const std::vector<std::string>& names, const std::vector<GeneSet>& panels,
                       const std::string& fix) {
  std::unordered_map<std::string_view, std::vector<std::size_t>> rows;
  for (std::size_t g = 0; g < names.size(); ++g) {
    if (!names[g].empty()) rows[names[g]].push_back(g);
  }
  for (const auto& panel : panels) {
    for (const auto& member : panel.members) {
      const auto it = rows.find(member.symbol);
      if (it == rows.end() || it->second.size() < 2) continue;
      std::string ids;
      for (const auto g : it->second) ids += (ids.empty() ? "" : ", ") + quote_field(gene_ids[g]);
      throw InputError(source, "gene_name " + quote_field(member.symbol),
                       "names " + std::to_string(it->second.size()) + " rows (" + ids + "), and panel " +
                           quote_field(panel.name) + " needs this gene",
                       fix);
    }
  }
}

std::string strip_ensembl_version(const std::string& id) {
  if (id.rfind("ENS", 0) != 0) return id;
  const auto dot = id.find('.');
  return dot == std::string::npos ? id : id.substr(0, dot);
}

std::unordered_map<std::string, std::string> read_gene_map(const std::string& path) {
  std::unordered_map<std::string, std::string> map;
  io::LineReader reader(path);
  std::string_view line;
  std::vector<std::string_view> fields;
  std::size_t id_column = 0;
  std::size_t name_column = 0;
  bool have_header = false;
  while (reader.next(line)) {
    if (io::trim(line).empty() || line.front() == '#') continue;
    io::split_fields(line, '\t', fields);
    if (!have_header) {
      auto id_it = std::find(fields.begin(), fields.end(), "gene_id");
      auto name_it = std::find(fields.begin(), fields.end(), "gene_name");
      if (id_it == fields.end() || name_it == fields.end()) {
        throw InputError(path, at_line(reader.line_number()), "the header lacks gene_id or gene_name",
                         "the gene map is a TSV with columns gene_id and gene_name");
      }
      id_column = static_cast<std::size_t>(id_it - fields.begin());
      name_column = static_cast<std::size_t>(name_it - fields.begin());
      have_header = true;
      continue;
    }
    if (fields.size() <= std::max(id_column, name_column)) {
      throw InputError(path, at_line(reader.line_number()), "too few fields");
    }
    const std::string name(io::trim(fields[name_column]));
    if (!name.empty() && name != "NA") map.emplace(std::string(io::trim(fields[id_column])), name);
  }
  if (!have_header) throw InputError(path, "", "the gene map is empty");
  return map;
}

GeneMatcher::GeneMatcher(const std::vector<std::string>& gene_ids,
                         const std::unordered_map<std::string, std::string>& gene_map, const GeneAliasTable* aliases)
    : aliases_(aliases) {
  // Ids first, so that an id never loses to a symbol of another row.
  for (std::size_t row = 0; row < gene_ids.size(); ++row) {
    add_key(gene_ids[row], static_cast<int>(row));
    add_key(strip_ensembl_version(gene_ids[row]), static_cast<int>(row));
  }
  for (std::size_t row = 0; row < gene_ids.size(); ++row) {
    auto it = gene_map.find(gene_ids[row]);
    if (it == gene_map.end()) it = gene_map.find(strip_ensembl_version(gene_ids[row]));
    if (it != gene_map.end()) add_key(it->second, static_cast<int>(row));
  }
}

void GeneMatcher::add_key(const std::string& key, int row) { index_.emplace(key, row); }

std::optional<int> GeneMatcher::find(const std::string& key) const {
  auto it = index_.find(key);
  if (it == index_.end()) it = index_.find(strip_ensembl_version(key));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

MatchedSet GeneMatcher::match(const GeneSet& set) const {
  MatchedSet matched;
  matched.name = set.name;
  matched.n_members = set.members.size();
  for (const auto& given : set.members) {
    const GeneSetMember member = aliases_ != nullptr ? with_table_names(given, *aliases_) : given;
    std::optional<int> row = find(member.symbol);
    for (std::size_t a = 0; !row && a < member.aliases.size(); ++a) {
      row = find(member.aliases[a]);
      if (row) matched.aliased.push_back({member.symbol, member.aliases[a]});
    }
    for (std::size_t i = 0; !row && i < member.ids.size(); ++i) row = find(member.ids[i]);
    if (!row) {
      matched.missing.push_back(member.symbol);
    } else if (std::find(matched.rows.begin(), matched.rows.end(), *row) == matched.rows.end()) {
      matched.rows.push_back(*row);
      matched.symbols.push_back(member.symbol);
    } else if (!matched.aliased.empty() && matched.aliased.back().symbol == member.symbol) {
      matched.aliased.pop_back();  // the row is another member's: this one adds nothing
    }
  }
  return matched;
}

std::string describe_alias_matches(const MatchedSet& matched) {
  if (matched.aliased.empty()) return "";
  std::string pairs;
  for (const auto& m : matched.aliased) pairs += (pairs.empty() ? "" : ", ") + m.symbol + " -> " + m.matrix_name;
  return "panel " + matched.name + ": " + std::to_string(matched.aliased.size()) + " of " +
         std::to_string(matched.n_members) + " genes matched through an alias: " + pairs;
}

}  // namespace ifnsig::score
