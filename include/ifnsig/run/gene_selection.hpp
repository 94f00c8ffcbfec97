// Owns: turning `--genes SET` into genes of the annotation, for counting chosen genes only: gene ids (or
//       names) in a comma list or a file (one per line, '#' comments), and `panel:NAME` items naming a
//       built-in panel or a GMT set (its genes found by id, symbol, alias, Ensembl or Entrez id, as scoring
//       finds them).
// Thread-safety: pure functions.
// Invariant: a listed id that is not in the annotation stops with an error naming it; a panel gene the
//            annotation lacks is reported once, since scoring reports it too.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig::run {

// Gene indices of `model`, sorted and unique. panel_dir holds the built-in panels.
std::vector<std::uint32_t> select_genes(const std::string& spec, const GeneModel& model,
                                        const std::filesystem::path& panel_dir);

}  // namespace ifnsig::run
