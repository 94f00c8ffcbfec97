// Owns: the shipped table of human genes (data/panels/gene_aliases.tsv.gz, written by
//       data/panels/build_gene_aliases.R from org.Hs.eg.db): current symbol, Entrez id, aliases (previous
//       symbols included) and Ensembl ids, and the rule for which gene a name stands for.
// Thread-safety: immutable after read(); concurrent lookups are safe.
// Invariant: a name stands for the genes whose current symbol it is (Entrez Gene gives a few symbols, such as
//            HBD, to two genes); a name that is no current symbol stands for every gene that has it as an
//            alias. A name that stands for several genes is ambiguous and names none of them alone.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ifnsig/score/gene_set.hpp"

namespace ifnsig::score {

struct GeneRecord {
  std::string symbol;                // current symbol
  std::string entrez_id;
  std::vector<std::string> aliases;  // previous symbols and aliases
  std::vector<std::string> ensembl_ids;
};

class GeneAliasTable {
 public:
  // InputError naming the file and line for a malformed table.
  static GeneAliasTable read(const std::filesystem::path& path);

  // The genes `name` may stand for (see the invariant); empty for a name the table does not know.
  std::vector<const GeneRecord*> genes_named(std::string_view name) const;
  // The one gene `name` stands for, else nullptr (unknown or ambiguous).
  const GeneRecord* gene_named(std::string_view name) const;
  // True when `name` is no other gene's name: the table does not know it, or it stands for `gene` alone.
  // Only such names are matched for `gene`.
  bool names_only(std::string_view name, const GeneRecord& gene) const;
  // The `# source` line: org.Hs.eg.db version and its Entrez Gene and Ensembl dates.
  const std::string& source() const { return source_; }
  std::size_t size() const { return genes_.size(); }

 private:
  std::string source_;
  std::vector<GeneRecord> genes_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_symbol_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_alias_;
};

// The names a gene set member is matched by: its aliases followed by the current symbol and aliases of the
// table gene it stands for (the gene its symbol names, else the first of its aliases that names one), less
// the member's symbol and any alias that names another gene of the table (names_only); its ids followed by the
// gene's Entrez and Ensembl ids.
GeneSetMember with_table_names(const GeneSetMember& member, const GeneAliasTable& table);

// The table shipped beside the built-in panels: `panel_dir`/gene_aliases.tsv.gz.
std::filesystem::path gene_alias_table_path(const std::filesystem::path& panel_dir);

}  // namespace ifnsig::score
