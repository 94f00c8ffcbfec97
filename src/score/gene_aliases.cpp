#include "ifnsig/score/gene_aliases.hpp"

#include <algorithm>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::score {
GeneAliasTable GeneAliasTable::read(const std::filesystem::path& path) {
  GeneAliasTable table;
  io::LineReader reader(path.string());
  std::string_view line;
  std::vector<std::string_view> fields;
  bool have_header = false;
  const std::string fix = "regenerate it with: Rscript data/panels/build_gene_aliases.R";
  constexpr std::size_t kHumanGenes = 80'000, kHumanAliases = 250'000;  // the shipped table's size, about
  table.genes_.reserve(kHumanGenes);
  table.by_symbol_.reserve(kHumanGenes);
  table.by_alias_.reserve(kHumanAliases);
  while (reader.next(line)) {
    if (line.rfind("# source\t", 0) == 0) table.source_ = std::string(io::trim(line.substr(9)));
    if (io::trim(line).empty() || line.front() == '#') continue;
    io::split_fields(line, '\t', fields);
    const auto where = [&] { return at_line(reader.line_number()); };
    if (!have_header) {
      if (fields.size() != 4 || fields[0] != "symbol" || fields[1] != "entrez_id" || fields[2] != "aliases" ||
          fields[3] != "ensembl_ids") {
        throw InputError(path.string(), where(), "expected the header symbol, entrez_id, aliases, ensembl_ids", fix);
      }
      have_header = true;
      continue;
    }
    if (fields.size() != 4 || io::trim(fields[0]).empty()) {
      throw InputError(path.string(), where(), "expected 4 tab-separated fields with a symbol", fix);
    }
    GeneRecord gene{std::string(io::trim(fields[0])), std::string(io::trim(fields[1])), io::comma_items(fields[2]),
                    io::comma_items(fields[3])};
    const std::size_t index = table.genes_.size();
    table.by_symbol_[gene.symbol].push_back(index);
    for (const auto& alias : gene.aliases) table.by_alias_[alias].push_back(index);
    table.genes_.push_back(std::move(gene));
  }
  if (!have_header) throw InputError(path.string(), "", "the gene alias table is empty", fix);
  return table;
}

std::vector<const GeneRecord*> GeneAliasTable::genes_named(std::string_view name) const {
  const std::string key(name);
  const std::vector<std::size_t>* indices = nullptr;
  if (auto it = by_symbol_.find(key); it != by_symbol_.end()) {
    indices = &it->second;
  } else if (auto alias = by_alias_.find(key); alias != by_alias_.end()) {
    indices = &alias->second;
  }
  std::vector<const GeneRecord*> genes;
  if (indices != nullptr) {
    for (const auto index : *indices) genes.push_back(&genes_[index]);
  }
  return genes;
}

const GeneRecord* GeneAliasTable::gene_named(std::string_view name) const {
  const auto genes = genes_named(name);
  return genes.size() == 1 ? genes.front() : nullptr;
}

bool GeneAliasTable::names_only(std::string_view name, const GeneRecord& gene) const {
  const auto genes = genes_named(name);
  return genes.empty() || (genes.size() == 1 && genes.front() == &gene);
}

GeneSetMember with_table_names(const GeneSetMember& member, const GeneAliasTable& table) {
  const GeneRecord* gene = table.gene_named(member.symbol);
  for (std::size_t a = 0; gene == nullptr && a < member.aliases.size(); ++a) gene = table.gene_named(member.aliases[a]);
  GeneSetMember named{member.symbol, {}, member.ids};
  const auto add_alias = [&](const std::string& alias) {
    const bool usable = gene != nullptr ? table.names_only(alias, *gene) : table.genes_named(alias).empty();
    if (usable && alias != member.symbol &&
        std::find(named.aliases.begin(), named.aliases.end(), alias) == named.aliases.end()) {
      named.aliases.push_back(alias);
    }
  };
  const auto add_id = [&](const std::string& id) {
    if (!id.empty() && std::find(named.ids.begin(), named.ids.end(), id) == named.ids.end()) named.ids.push_back(id);
  };
  for (const auto& alias : member.aliases) add_alias(alias);
  if (gene != nullptr) {
    add_alias(gene->symbol);
    for (const auto& alias : gene->aliases) add_alias(alias);
    add_id(gene->entrez_id);
    for (const auto& id : gene->ensembl_ids) add_id(id);
  }
  return named;
}

std::filesystem::path gene_alias_table_path(const std::filesystem::path& panel_dir) {
  return panel_dir / "gene_aliases.tsv.gz";
}

}  // namespace ifnsig::score
