#include "ifnsig/run/gene_selection.hpp"

#include <algorithm>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/norm/frozen_reference.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/gene_set.hpp"

namespace ifnsig::run {
namespace {

constexpr std::string_view kPanelPrefix = "panel:";

struct Item {
  std::string text;
  std::string where;  // "--genes" or "FILE:LINE"
};

// A frozen reference's genes: its normalizer genes and the panel genes its score part holds.
std::vector<Item> reference_items(const std::string& path) {
  const norm::FrozenReference reference = norm::read_reference(path);
  std::vector<Item> items;
  for (const auto& gene : reference.normalizers.genes) items.push_back({gene, path});
  const auto score = nlohmann::json::parse(reference.score_json);
  if (score.contains("genes") && score["genes"].is_object()) {
    for (const auto& [gene, stats] : score["genes"].items()) items.push_back({gene, path});
  }
  if (items.empty()) {
    throw InputError(path, "", "the reference holds neither normalizer genes nor panel genes",
                     "refit it with this ifnsig: ifnsig run, or ifnsig normalize --save-reference (ratio factors)");
  }
  return items;
}

// The items of a spec: a reference's genes, a readable file's lines, else the comma list itself.
std::vector<Item> spec_items(const std::string& spec) {
  std::vector<Item> items;
  std::error_code not_a_file;  // e.g. a comma list longer than a file name may be
  const bool file = !spec.starts_with(kPanelPrefix) && std::filesystem::is_regular_file(spec, not_a_file);
  if (file && spec.ends_with(".json")) return reference_items(spec);
  if (file) {
    io::LineReader lines(spec);
    std::string_view line;
    while (lines.next(line)) {
      const std::string_view text = io::trim(line);
      if (text.empty() || text.front() == '#') continue;
      items.push_back({std::string(text), spec + ":" + std::to_string(lines.line_number())});
    }
    if (items.empty()) throw InputError(spec, "", "no gene ids in the file", "list one gene id per line");
    return items;
  }
  for (const auto field : io::split_fields(spec, ',')) {
    const std::string_view text = io::trim(field);
    if (!text.empty()) items.push_back({std::string(text), "--genes"});
  }
  if (items.empty()) {
    throw UsageError("--genes " + quote_field(spec) + " names no gene",
                     "give gene ids (a comma list or a file, one per line) or panel:NAME");
  }
  return items;
}

}  // namespace

std::vector<std::uint32_t> select_genes(const std::string& spec, const annotation::GeneModel& model,
                                        const std::filesystem::path& panel_dir) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::string> names;
  for (const annotation::GeneInfo& gene : model.genes()) {
    ids.push_back(gene.id);
    if (!gene.name.empty()) names.emplace(gene.id, gene.name);
  }
  const score::GeneMatcher matcher(ids, names);
  std::vector<std::uint32_t> genes;
  std::vector<std::string> unknown;
  for (const Item& item : spec_items(spec)) {
    if (item.text.starts_with(kPanelPrefix)) {
      for (const auto& set : score::resolve_panels({item.text.substr(kPanelPrefix.size())}, panel_dir)) {
        const score::MatchedSet matched = matcher.match(set);
        for (const int row : matched.rows) genes.push_back(static_cast<std::uint32_t>(row));
        if (!matched.missing.empty()) {
          log_warning("--genes " + item.text + ": " + std::to_string(matched.missing.size()) + " of " +
                      std::to_string(matched.n_members) + " genes not in the annotation (" +
                      io::join(matched.missing, ", ") + ")");
        }
      }
      continue;
    }
    const auto row = matcher.find(item.text);
    if (!row) {
      unknown.push_back(item.where == "--genes" ? item.text : item.where + " " + item.text);
      continue;
    }
    genes.push_back(static_cast<std::uint32_t>(*row));
  }
  if (!unknown.empty()) {
    constexpr std::size_t kShown = 5;
    std::string shown;
    for (std::size_t i = 0; i < std::min(kShown, unknown.size()); ++i) shown += (i > 0 ? ", " : "") + quote_field(unknown[i]);
    throw InputError(model.path(), "", std::to_string(unknown.size()) + " gene(s) given to --genes are not in the annotation: " +
                                           shown + (unknown.size() > kShown ? ", ..." : ""),
                     "use the annotation's gene ids (or gene names) as in the count table's Geneid column");
  }
  std::sort(genes.begin(), genes.end());
  genes.erase(std::unique(genes.begin(), genes.end()), genes.end());
  return genes;
}

std::vector<char> builtin_panel_genes(const std::vector<std::string>& gene_ids,
                                      const std::unordered_map<std::string, std::string>& gene_map,
                                      const std::filesystem::path& panel_dir) {
  std::vector<char> mask(gene_ids.size(), 0);
  const score::GeneMatcher matcher(gene_ids, gene_map);
  for (const auto& panel : score::read_builtin_panels(panel_dir)) {
    for (const int row : matcher.match(panel).rows) mask[static_cast<std::size_t>(row)] = 1;
  }
  return mask;
}

}  // namespace ifnsig::run
