// Frozen references: the normalization reference (normalize --reference) and the score reference
// (score --reference), both read from the same JSON file as ifnsig writes it, its checksum verified first
// (core/reference_file.hpp). A mutated reference mostly fails there; the seeds without a checksum, which are
// read with a warning, reach the readers of its keys (tests/fuzz/run.sh).
#include "fuzz_input.hpp"
#include "ifnsig/norm/frozen_reference.hpp"
#include "ifnsig/score/score_reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = ifnsig::fuzz::write_input(data, size, "reference.json");
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::norm::read_reference(path); });
  ifnsig::fuzz::expect_clean_outcome([&] { ifnsig::score::load_score_reference(path); });
  return 0;
}
