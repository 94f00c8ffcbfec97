// Sample sheets: normalize's and score's SampleSheet, and ifnsig run's sheet with its checks.
#include "fuzz_input.hpp"
#include "ifnsig/io/sample_sheet.hpp"
#include "ifnsig/run/run_sheet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "samples.tsv");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::io::SampleSheet::read(path); });
  ifnsig::fuzz::expect_clean_outcome([&] {
    ifnsig::run::Problems problems;
    ifnsig::run::read_run_sheet(path, ifnsig::run::SheetRules{}, problems);
    problems.throw_if_any(path, "");
  });
  return 0;
}
