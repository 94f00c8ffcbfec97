// Owns: turning `--genes SET` into genes of the annotation, for counting chosen genes only: gene ids (or
//       names) in a comma list or a file (one per line, '#' comments), a frozen reference (REF.json: its
//       normalizer genes and its score's panel genes), and `panel:NAME` items naming a
//       built-in panel or a GMT set (its genes found by id, symbol, alias, Ensembl or Entrez id, as scoring
//       finds them); and the mask of every built-in panel's genes, which a frozen reference never takes as
//       normalizer genes.
// Thread-safety: pure functions.
// Invariant: a listed id that is not in the annotation stops with an error naming it; a panel gene the
//            annotation lacks is reported once, since scoring reports it too.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig::run {

// Gene indices of `model`, sorted and unique. panel_dir holds the built-in panels.
std::vector<std::uint32_t> select_genes(const std::string& spec, const annotation::GeneModel& model,
                                        const std::filesystem::path& panel_dir);

// A mask over gene_ids (named through gene_map, which may be empty): the genes of every built-in panel.
std::vector<char> builtin_panel_genes(const std::vector<std::string>& gene_ids,
                                      const std::unordered_map<std::string, std::string>& gene_map,
                                      const std::filesystem::path& panel_dir);

}  // namespace ifnsig::run
