// Owns: finding panel genes among the rows of an expression matrix by symbol, alias (the panel's own and,
//       given the shipped gene alias table, the gene's current symbol, previous symbols and aliases), Ensembl
//       id (with or without version) or Entrez id, through an optional gene_id -> gene_name map.
// Thread-safety: immutable after construction; concurrent lookups are safe.
// Invariant: every key maps to the first matrix row (in file order) that carries it.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ifnsig/score/gene_aliases.hpp"
#include "ifnsig/score/gene_set.hpp"

namespace ifnsig::score {

// A TSV with (at least) `gene_id` and `gene_name` columns, e.g. the gene table written by `ifnsig count`.
std::unordered_map<std::string, std::string> read_gene_map(const std::string& path);

// A panel gene found under another name: the panel symbol and the name (alias) it matched in the matrix.
struct AliasMatch {
  std::string symbol;
  std::string matrix_name;
  bool operator==(const AliasMatch&) const = default;
};

struct MatchedSet {
  std::string name;
  std::vector<int> rows;                 // matrix rows of the genes found, in panel order
  std::vector<std::string> symbols;      // panel symbol of each row (as published)
  std::vector<std::string> missing;      // panel symbols found under no key
  std::size_t n_members = 0;
  std::vector<AliasMatch> aliased;       // members found through an alias, in panel order
};

// `panel k of n genes matched through an alias: WARS -> WARS1, ...`; empty when there are none.
std::string describe_alias_matches(const MatchedSet& matched);

class GeneMatcher {
 public:
  // `gene_ids` are the matrix rows; `gene_map` (may be empty) adds a name for each id. `aliases` (may be null;
  // it must outlive the matcher) adds the table's names of each member (with_table_names).
  GeneMatcher(const std::vector<std::string>& gene_ids, const std::unordered_map<std::string, std::string>& gene_map,
              const GeneAliasTable* aliases = nullptr);
  std::optional<int> find(const std::string& key) const;
  // Tries each member's symbol, then its aliases, then its ids (with the alias table: those of
  // with_table_names, so an alias that names another gene is never tried). Rows found twice (two members, one
  // gene) count once; members found through an alias are listed in `aliased`.
  MatchedSet match(const GeneSet& set) const;

 private:
  void add_key(const std::string& key, int row);
  std::unordered_map<std::string, int> index_;
  const GeneAliasTable* aliases_ = nullptr;
};

// A panel symbol that a matrix's gene_name column (`names`, per row of `gene_ids`) gives to several rows
// (nf-core matrices repeat names such as Y_RNA) would be matched to the first of them only: InputError naming
// `source`, the rows and the panel, with `fix` as its hint.
void check_panel_names(const std::string& source, const std::vector<std::string>& gene_ids,
                       const std::vector<std::string>& names, const std::vector<GeneSet>& panels,
                       const std::string& fix);

// Ensembl ids lose their version (ENSG00000185745.10 -> ENSG00000185745); other ids are returned unchanged.
std::string strip_ensembl_version(const std::string& id);

}  // namespace ifnsig::score
