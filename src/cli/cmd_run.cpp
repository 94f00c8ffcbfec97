// ifnsig run: placeholder until the subcommand lands.
#include "commands.hpp"
#include "ifnsig/core/error.hpp"

namespace ifnsig::cli {

void register_run(CLI::App& app) {
  auto* command = app.add_subcommand("run", "(not yet available)");
  command->callback([] { throw UsageError("ifnsig run is not available in this build yet"); });
}

}  // namespace ifnsig::cli
