// ifnsig report: renders the report of a finished `ifnsig run` again from the data it kept in OUTDIR
// (report_data.json), without counting, normalizing or scoring: report.html, every sample page, the MultiQC
// table and trajectories.tsv, or one page.
#include <memory>
#include <string>

#include "commands.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/run/run_report.hpp"

namespace ifnsig::cli {
namespace {

struct ReportArguments {
  std::string outdir;
  std::string sample;
};

void run(const ReportArguments& args) {
  const auto written = run::rewrite_report(args.outdir, args.sample);
  for (const auto& path : written) log_debug("report: wrote " + path.string());
  log_info("report: wrote " + (written.size() == 1 ? written.front().string()
                                                   : std::to_string(written.size()) + " files in " + args.outdir));
}

}  // namespace

void register_report(CLI::App& app) {
  auto args = std::make_shared<ReportArguments>();
  auto* command = app.add_subcommand(
      "report",
      "Render the report of a finished `ifnsig run` again from OUTDIR/report_data.json: report.html, every "
      "OUTDIR/samples/<id>.html, the MultiQC table and trajectories.tsv, or with --sample one page (nothing is "
      "counted, normalized or scored again)");
  command->add_option("outdir", args->outdir, "Output directory of a finished `ifnsig run` (-o)")->required();
  command->add_option("--sample", args->sample, "Render only OUTDIR/samples/ID.html (ID as in the sample sheet)");
  command->callback([args] { run(*args); });
}

}  // namespace ifnsig::cli
