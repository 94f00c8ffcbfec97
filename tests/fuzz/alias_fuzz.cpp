// -A alias files ("annotation_name,alignment_name" per line), applied to a fixed two-contig SAF.
#include "fuzz_input.hpp"
#include "ifnsig/annotation/gene_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string saf = [] {
    const std::string text = "GeneID\tChr\tStart\tEnd\tStrand\nA\t1\t10\t20\t+\nB\tchrX\t5\t50\t-\n";
    return ifnsig::fuzz::write_input(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), "genes.saf");
  }();
  ifnsig::annotation::AnnotationOptions options;
  options.format = ifnsig::annotation::AnnotationFormat::kSaf;
  options.alias_file = ifnsig::fuzz::write_input(data, size, "aliases.csv");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::annotation::GeneModel::read(saf, options); });
  return 0;
}
