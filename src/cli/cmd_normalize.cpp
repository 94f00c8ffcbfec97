// ifnsig normalize: placeholder until the subcommand lands.
#include "commands.hpp"
#include "ifnsig/core/error.hpp"

namespace ifnsig::cli {

void register_normalize(CLI::App& app) {
  auto* command = app.add_subcommand("normalize", "(not yet available)");
  command->callback([] { throw UsageError("ifnsig normalize is not available in this build yet"); });
}

}  // namespace ifnsig::cli
