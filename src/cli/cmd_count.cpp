// ifnsig count: placeholder until the subcommand lands.
#include "commands.hpp"
#include "ifnsig/core/error.hpp"

namespace ifnsig::cli {

void register_count(CLI::App& app) {
  auto* command = app.add_subcommand("count", "(not yet available)");
  command->callback([] { throw UsageError("ifnsig count is not available in this build yet"); });
}

}  // namespace ifnsig::cli
