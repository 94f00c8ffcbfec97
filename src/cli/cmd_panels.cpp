// ifnsig panels: the built-in gene panels with their sources, and the scoring methods.
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "shared_options.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/scorer.hpp"

namespace ifnsig::cli {
namespace {

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

void show_panel(const std::string& name) {
  for (const auto& p : score::resolve_panels({name}, builtin_panel_dir())) {
    std::printf("# name: %s\n# title: %s\n# status: %s\n# citation: %s\n# doi: %s\n# version: %s\n# source: %s\n"
                "# licence: %s\n# method: %s\n# response: %s\n# derivation: %s\n# note: %s\n# file: %s\n",
                p.name.c_str(), p.title.c_str(), p.status.c_str(), p.citation.c_str(), p.doi.c_str(),
                p.version.c_str(), p.source.c_str(), p.licence.c_str(), p.method.c_str(),
                p.response.empty() ? "-" : p.response.c_str(), p.derivation.empty() ? "-" : p.derivation.c_str(),
                p.note.c_str(),
                p.origin.c_str());
    std::printf("gene\taliases\tids\n");
    for (const auto& member : p.members) {
      std::printf("%s\t%s\t%s\n", member.symbol.c_str(), join(member.aliases, ",").c_str(),
                  join(member.ids, ",").c_str());
    }
  }
}

}  // namespace

void register_panels(CLI::App& app) {
  auto* command = app.add_subcommand("panels", "List the built-in gene panels with their sources, and the methods");
  auto* show = command->add_subcommand("show", "Print one panel's genes and metadata");
  auto name = std::make_shared<std::string>();
  show->add_option("name", *name, "Panel name, FILE.gmt or FILE.gmt:SET")->required();
  show->callback([name] { show_panel(*name); });
  command->callback([show] {
    if (!show->parsed()) list_panels();
  });
}

}  // namespace ifnsig::cli
