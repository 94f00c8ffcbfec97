// ifnsig simulate: placeholder until the subcommand lands.
#include "commands.hpp"
#include "ifnsig/core/error.hpp"

namespace ifnsig::cli {

void register_simulate(CLI::App& app) {
  auto* command = app.add_subcommand("simulate", "(not yet available)");
  command->callback([] { throw UsageError("ifnsig simulate is not available in this build yet"); });
}

}  // namespace ifnsig::cli
