// ifnsig: the command-line entry point. Maps library exceptions to exit codes; nothing else lives here.
#include <cstdio>
#include <exception>
#include <string>

#include "commands.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/version.hpp"

namespace ifnsig::cli {
std::string g_command_line;
std::vector<std::string> g_arguments;
void print_error(const ifnsig::Error& error) {
  std::fprintf(stderr, "ifnsig: error: %s\n", error.what());
  if (!error.hint().empty()) std::fprintf(stderr, "ifnsig: hint: %s\n", error.hint().c_str());
}

const std::string& command_line() { return g_command_line; }
const std::vector<std::string>& command_arguments() { return g_arguments; }

}  // namespace ifnsig::cli

int main(int argc, char** argv) {
  using namespace ifnsig;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) cli::g_command_line += ' ';
    cli::g_command_line += argv[i];
    cli::g_arguments.emplace_back(argv[i]);
  }
  CLI::App app{
      "ifnsig: type I interferon signatures from aligned RNA-seq reads.\n"
      "BAM/CRAM/SAM -> gene counts -> cohort normalization -> per-sample IFN scores, calls and reports.",
      "ifnsig"};
  app.require_subcommand(1);
  app.fallthrough();  // -v/-q also after the subcommand name
  app.set_version_flag("--version", version_banner());
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "More messages on stderr (repeat for debug)");
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors on stderr");
  app.parse_complete_callback([&] {
    set_log_level(quiet ? LogLevel::kWarning : verbosity > 0 ? LogLevel::kDebug : LogLevel::kInfo);
  });
  cli::register_count(app);
  cli::register_normalize(app);
  cli::register_score(app);
  cli::register_panels(app);
  cli::register_run(app);
  cli::register_report(app);
  cli::register_simulate(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version exit 0; every other command-line problem is a usage error (2).
    return app.exit(error) == 0 ? 0 : 2;
  } catch (const UsageError& error) {
    cli::print_error(error);
    return 2;
  } catch (const Error& error) {
    cli::print_error(error);
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "ifnsig: error: out of memory\n");
    return 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ifnsig: internal error: %s\n", error.what());
    return 3;
  }
  return 0;
}
