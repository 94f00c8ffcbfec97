// Quantifier outputs: salmon quant.sf, kallisto abundance.tsv, RSEM genes/isoforms results and STAR
// ReadsPerGene.out.tab (recognised by their header), and the transcript -> gene table (tx2gene TSV or GTF).
#include "fuzz_input.hpp"
#include "ifnsig/quant/quant_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "quant.sf");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::quant::read_quant_file(path); });
  // tx2gene: by content (a TSV, or a GTF when the first line looks like one), then as a GTF by its name.
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::quant::read_tx2gene(path); });
  const std::string gtf = ifnsig::fuzz::write_input(data, size, "tx2gene.gtf");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::quant::read_tx2gene(gtf); });
  return 0;
}
