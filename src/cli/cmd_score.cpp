// ifnsig score: placeholder until the subcommand lands.
#include "commands.hpp"
#include "ifnsig/core/error.hpp"

namespace ifnsig::cli {

void register_score(CLI::App& app) {
  auto* command = app.add_subcommand("score", "(not yet available)");
  command->callback([] { throw UsageError("ifnsig score is not available in this build yet"); });
}

}  // namespace ifnsig::cli
