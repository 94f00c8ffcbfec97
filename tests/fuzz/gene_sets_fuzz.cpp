// Gene sets: GMT files, panel files (the built-in panels' format) and gene maps (id -> symbol tables).
#include "fuzz_input.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/gene_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "sets.txt");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::read_gmt(path); });
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::read_panel_file(path); });
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::read_gene_map(path); });
  return 0;
}
