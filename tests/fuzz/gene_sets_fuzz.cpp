// Gene sets: GMT files, panel files (the built-in panels' format), gene maps (id -> symbol tables) and the
// gene alias table (data/panels/gene_aliases.tsv.gz).
#include "fuzz_input.hpp"
#include "ifnsig/score/gene_aliases.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/gene_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "sets.txt");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::read_gmt(path); });
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::read_panel_file(path); });
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::read_gene_map(path); });
  ifnsig::fuzz::expect_clean_outcome([&] {
    const auto table = ifnsig::score::GeneAliasTable::read(path);
    const ifnsig::score::GeneSetMember member{"WARS", {"DDX58"}, {}};
    ifnsig::score::with_table_names(member, table);
  });
  return 0;
}
