// ifnsig panels: the built-in gene panels with their sources, and the scoring methods; one panel's genes with
// the names they are matched by, and optionally what a matrix matches of them.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/scorer.hpp"

namespace ifnsig::cli {
namespace {

struct ShowOptions {
  std::string name;
  std::string input;
};

void list_panels() {
  const auto panels = score::read_builtin_panels(builtin_panel_dir());
  std::printf("name\tn_genes\tstatus\tmethod\tresponse\tversion\ttitle\tcitation\tdoi\n");
  for (const auto& p : panels) {
    std::printf("%s\t%zu\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.name.c_str(), p.members.size(), p.status.c_str(),
                p.method.c_str(), p.response.empty() ? "-" : p.response.c_str(), p.version.c_str(), p.title.c_str(),
                p.citation.c_str(), p.doi.c_str());
  }
  std::printf("\n# methods (single_sample = a sample's score does not depend on the other samples of the run)\n");
  std::printf("method\tneeds_controls\tsingle_sample\tdescription\n");
  for (const auto& m : score::method_table()) {
    std::printf("%s\t%s\t%s\t%s\n", m.name, m.needs_controls ? "yes" : "no", m.single_sample ? "yes" : "no",
                m.summary);
  }
}

// The matrix name each member was found under ("-" when missing), in member order.
std::vector<std::string> matched_names(const score::GeneSet& set, const std::string& input) {
  std::vector<std::string> names;
  const matrix::GeneMatrix matrix = matrix::GeneMatrix::read_plain(input, &names);
  std::unordered_map<std::string, std::string> gene_map;
  for (std::size_t g = 0; g < names.size(); ++g) {
    if (!names[g].empty()) gene_map.emplace(matrix.gene_ids[g], names[g]);
  }
  const score::GeneMatcher matcher(matrix.gene_ids, gene_map, &shipped_gene_aliases());
  const score::MatchedSet matched = matcher.match(set);
  if (!matched.aliased.empty()) log_info(score::describe_alias_matches(matched));
  if (!matched.missing.empty()) {
    log_warning("panel " + set.name + ": " + std::to_string(matched.missing.size()) + " of " +
                std::to_string(matched.n_members) + " genes not in the matrix: " + io::join(matched.missing, ", "));
  }
  std::vector<std::string> found;
  for (const auto& member : set.members) {
    std::string name = "-";
    for (std::size_t k = 0; k < matched.symbols.size(); ++k) {
      if (matched.symbols[k] == member.symbol) name = matrix.gene_ids[static_cast<std::size_t>(matched.rows[k])];
    }
    for (const auto& alias : matched.aliased) {
      if (alias.symbol == member.symbol) name += " (" + alias.matrix_name + ")";
    }
    found.push_back(name);
  }
  return found;
}

void show_panel(const ShowOptions& o) {
  const auto& aliases = shipped_gene_aliases();
  for (const auto& p : score::resolve_panels({o.name}, builtin_panel_dir())) {
    std::printf("# name: %s\n# title: %s\n# status: %s\n# citation: %s\n# doi: %s\n# version: %s\n# source: %s\n"
                "# licence: %s\n# method: %s\n# response: %s\n# derivation: %s\n# note: %s\n# file: %s\n"
                "# aliases and ids: the panel's, then the gene alias table's (%s)\n",
                p.name.c_str(), p.title.c_str(), p.status.c_str(), p.citation.c_str(), p.doi.c_str(),
                p.version.c_str(), p.source.c_str(), p.licence.c_str(), p.method.c_str(),
                p.response.empty() ? "-" : p.response.c_str(), p.derivation.empty() ? "-" : p.derivation.c_str(),
                p.note.c_str(), p.origin.c_str(), aliases.source().c_str());
    const std::vector<std::string> found = o.input.empty() ? std::vector<std::string>{} : matched_names(p, o.input);
    std::printf(o.input.empty() ? "gene\taliases\tids\n" : "gene\taliases\tids\tmatrix_row\n");
    for (std::size_t m = 0; m < p.members.size(); ++m) {
      const auto named = score::with_table_names(p.members[m], aliases);
      std::printf("%s\t%s\t%s", named.symbol.c_str(), io::join(named.aliases, ",").c_str(),
                  io::join(named.ids, ",").c_str());
      std::printf(found.empty() ? "\n" : "\t%s\n", found.empty() ? "" : found[m].c_str());
    }
  }
}

}  // namespace

void register_panels(CLI::App& app) {
  auto* command = app.add_subcommand("panels", "List the built-in gene panels with their sources, and the methods");
  auto* show = command->add_subcommand(
      "show", "Print one panel's genes with the aliases and ids they are matched by, and its metadata");
  auto options = std::make_shared<ShowOptions>();
  show->add_option("name", options->name, "Panel name, FILE.gmt or FILE.gmt:SET")->required();
  show->add_option("-i,--input", options->input,
                   "Expression matrix TSV: add the matrix row each gene is matched to (the alias used in brackets; "
                   "- when missing), and report alias matches and missing genes on stderr")
      ->check(CLI::ExistingFile);
  show->callback([options] { show_panel(*options); });
  command->callback([show] {
    if (!show->parsed()) list_panels();
  });
}

}  // namespace ifnsig::cli
