// run.json: what `ifnsig run` read, with which options, how long each step took, which samples it counted.
#include <nlohmann/json.hpp>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/report/follow_up.hpp"
#include "ifnsig/report/multiqc.hpp"
#include "ifnsig/report/report_data.hpp"
#include "ifnsig/run/run_report.hpp"
#include "run_steps.hpp"

namespace ifnsig::run {
namespace {

using nlohmann::json;

json sample_json(const RunState& state, std::size_t i) {
  const RunSample& sample = state.sheet.samples[i];
  const SampleRecord& record = *state.records[i];
  if (!record.counts_from.empty()) {  // counts given (run --counts/--quant-dir): nothing of alignments is known
    json item = {{"sample", sample.id}, {"group", sample.group}, {"counts_from", record.counts_from}, {"counted", false}};
    if (!sample.batch.empty()) item["batch"] = sample.batch;
    return item;
  }
  json item = {{"sample", sample.id},
               {"group", sample.group},
               {"bam", sample.bam},
               {"size_bytes", record.input.size_bytes},
               {"md5", record.input.md5},
               {"paired", record.layout.paired},
               {"paired_source", record.layout.paired_from_sheet ? "sheet" : "detected"},
               {"strandedness", count::strandedness_name(record.strandedness)},
               {"strand_source", record.layout.strand == count::Strandedness::kAuto ? "detected" : "sheet"},
               {"detected_strandedness", record.detected_strandedness},
               {"records", record.records},
               {"assigned_fraction", record.assigned_fraction()},
               {"counted", static_cast<bool>(state.counted[i])}};
  if (state.counted[i]) item["count_reason"] = state.count_reasons[i];
  if (!sample.batch.empty()) item["batch"] = sample.batch;
  return item;
}

}  // namespace

void write_run_json(const RunState& state, const std::vector<std::string>& panel_names,
                    const std::filesystem::path& out) {
  const RunConfig& c = *state.config;
  json doc = provenance_json("ifnsig run", c.command_line);
  doc["mode"] = c.gather ? "gather" : "run";
  json samples = json::array(), counted = json::array(), reused = json::array();
  for (std::size_t i = 0; i < state.sheet.samples.size(); ++i) {
    samples.push_back(sample_json(state, i));
    (state.counted[i] ? counted : reused).push_back(state.sheet.samples[i].id);
  }
  doc["inputs"] = {{"sample_sheet", {{"path", c.sheet}, {"md5", state.sheet_md5}}},
                   {"annotation", {{"path", c.annotation}, {"md5", state.settings.annotation_md5}}},
                   {"samples", samples}};
  if (state.imported) {  // the description names the quantifier, its files and tximport's mode
    const json source = !c.counts_matrix.empty()    ? json(c.counts_matrix)
                        : !c.quant.directory.empty() ? json(c.quant.directory)
                                                     : json(c.quant.files);
    doc["inputs"]["counts"] = {{"source", source},
                               {"description", state.imported->note}};
    if (c.annotation.empty()) doc["inputs"]["annotation"] = nullptr;
  }
  if (!c.reference.empty()) doc["inputs"]["reference"] = c.reference;
  doc["options"] = {{"control", c.control},
                    {"panels", panel_names},
                    {"methods", c.methods},
                    {"threads", c.threads},
                    {"counting", state.imported ? json() : count::rules_json(state.settings.options)},
                    {"normalization", c.reference.empty() ? "ratio/counts" : "reference"}};
  if (c.targeted) doc["options"]["targeted"] = true;  // the reference's normalizer and panel genes only
  // Each sample's layout is in its input entry.
  if (!state.imported) {
    for (const char* per_sample : {"paired", "count_fragments", "strandedness"}) doc["options"]["counting"].erase(per_sample);
  }
  doc["samples_counted"] = counted;
  doc["samples_reused"] = reused;
  json timings = json::object();
  for (const auto& [step, seconds] : state.timings_seconds) timings[step] = seconds;
  timings["total"] = seconds_since(state.clock_start);
  doc["timings_seconds"] = timings;
  doc["outputs"] = {"counts.tsv",          "counts.tsv.summary", "normalized.tsv", "scores.tsv",
                    "calls.tsv",           "signature_genes.tsv", "panel_genes.tsv", "reference.json",
                    "report.html",         report::kMultiqcFile, "samples/",        report::kReportDataFile};
  if (state.imported) doc["outputs"].erase(1);  // no read categories: no counts.tsv.summary
  if (state.sheet.has_follow_up) doc["outputs"].push_back(report::kTrajectoriesFile);
  doc[kReportDataMd5Key] = md5_of_file(out / report::kReportDataFile);  // `ifnsig report` renders from that file
  AtomicFile file(out / "run.json");
  file.stream() << json_text(doc, 2) << '\n';
  file.commit();
}

}  // namespace ifnsig::run
