// Owns: the list of ifnsig subcommands. Each cmd_<name>.cpp fills a plain options struct with CLI11,
// validates it into the library's config, and calls the library. Only src/cli/ includes CLI11.
#pragma once
#include <CLI/CLI.hpp>

namespace ifnsig::cli {

void register_count(CLI::App& app);
void register_normalize(CLI::App& app);
void register_score(CLI::App& app);
void register_panels(CLI::App& app);
void register_run(CLI::App& app);
void register_report(CLI::App& app);
void register_simulate(CLI::App& app);

// The command line as typed, for provenance ("ifnsig count -a x.gtf ..."), and its arguments.
const std::string& command_line();
const std::vector<std::string>& command_arguments();

}  // namespace ifnsig::cli
