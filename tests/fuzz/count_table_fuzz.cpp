// Count tables in every layout read_count_table accepts (featureCounts tables, htseq-count output, plain
// TSV/CSV matrices), plain or compressed (gzip, bgzip): detection, then reading.
#include "fuzz_input.hpp"
#include "ifnsig/matrix/count_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "counts.tsv");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::matrix::read_count_table(path); });
  return 0;
}
