// ifnsig panels: placeholder until the subcommand lands.
#include "commands.hpp"
#include "ifnsig/core/error.hpp"

namespace ifnsig::cli {

void register_panels(CLI::App& app) {
  auto* command = app.add_subcommand("panels", "(not yet available)");
  command->callback([] { throw UsageError("ifnsig panels is not available in this build yet"); });
}

}  // namespace ifnsig::cli
