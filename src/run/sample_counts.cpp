#include "ifnsig/run/sample_counts.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/count/alignment_reader.hpp"
#include "ifnsig/count/count_output.hpp"
#include "ifnsig/count/counter.hpp"
#include "ifnsig/count/strand_detection.hpp"
#include "ifnsig/io/input_text.hpp"

namespace ifnsig::run {
namespace {

using nlohmann::json;
constexpr const char* kRecordFormat = "ifnsig-sample-counts";
constexpr std::size_t kPairedProbeRecords = 1000;

count::Strandedness strand_from_name(const std::string& name) {
  for (auto s : {count::Strandedness::kUnstranded, count::Strandedness::kForward, count::Strandedness::kReverse,
                 count::Strandedness::kAuto}) {
    if (name == count::strandedness_name(s)) return s;
  }
  return count::Strandedness::kAuto;
}

// When the sheet states the strandedness, measure it anyway so that the report can flag a disagreement.
void check_sheet_strand(const CountJob& job, const annotation::GeneModel& model, const annotation::FeatureIndex& index,
                        const count::CountOptions& options, SampleRecord& record) {
  const count::StrandEvidence evidence =
      count::detect_strandedness(job.sample->bam_path.string(), model, index, options);
  if (evidence.reads_used > 0) record.same_strand_fraction = evidence.forward_fraction();
  try {
    record.detected_strandedness =
        count::strandedness_name(count::decide_strandedness(evidence, job.sample->bam_path.string()));
  } catch (const InputError&) {
    record.detected_strandedness = "undetermined";
  }
}

json record_json(const SampleRecord& r, const std::string& count_json) {
  json doc;
  doc["format"] = kRecordFormat;
  doc["version"] = 1;
  doc["sample"] = r.sample;
  doc["input"] = {{"bam", r.bam},           {"size_bytes", r.input.size_bytes}, {"mtime_ns", r.input.mtime_ns},
                  {"ctime_ns", r.input.ctime_ns}, {"inode", r.input.inode},           {"md5", r.input.md5}};
  doc["options"] = json::parse(r.options_key);
  doc["layout"] = {{"paired", r.layout.paired},
                   {"paired_source", r.layout.paired_from_sheet ? "sheet" : "detected"},
                   {"strandedness", count::strandedness_name(r.strandedness)},
                   {"strand_source", r.layout.strand == count::Strandedness::kAuto ? "detected" : "sheet"},
                   {"detected_strandedness", r.detected_strandedness},
                   {"same_strand_fraction", r.same_strand_fraction}};
  doc["count"] = json::parse(count_json);
  return doc;
}

}  // namespace

double SampleRecord::assigned_fraction() const {
  const auto total = status.total();
  return total == 0 ? 0.0 : static_cast<double>(status[count::ReadStatus::kAssigned]) / static_cast<double>(total);
}

SamplePaths sample_paths(const std::filesystem::path& outdir, const std::string& sample) {
  // Sample ids are bounded so that the longest of these names fits a file name (io/input_text.hpp).
  static_assert(io::kLongestSampleFileSuffix == ".counts.tsv.genes.tsv");
  const auto base = (outdir / "samples" / (sample + ".counts.tsv")).string();
  return {base, base + ".summary", base + ".genes.tsv", base + ".json"};
}

bool detect_paired(const std::filesystem::path& alignment, const std::string& reference_fasta) {
  count::AlignmentReader reader(alignment.string(), reference_fasta, 0);
  auto record = io::new_record();
  for (std::size_t n = 0; n < kPairedProbeRecords && reader.read(record.get()); ++n) {
    if (record->core.flag & BAM_FPAIRED) return true;
  }
  return false;
}

count::CountOptions sample_options(const CountSettings& settings, const SampleLayout& layout) {
  count::CountOptions options = settings.options;
  options.paired = layout.paired;
  options.count_fragments = layout.paired;
  options.strandedness = {layout.strand};
  return options;
}

std::string options_key(const CountSettings& settings, const SampleLayout& layout) {
  json key = {{"annotation_md5", settings.annotation_md5},
              {"rules", count::rules_json(sample_options(settings, layout))}};
  if (!settings.targets_reference_md5.empty()) key["genes_of_reference_md5"] = settings.targets_reference_md5;
  return json_text(key);
}

InputStamp stamp_of(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    const int error = errno;
    throw InputError(path.string(), "", std::string("cannot read the file's status: ") + std::strerror(error));
  }
  const auto nanoseconds = [](const timespec& t) { return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec; };
  InputStamp stamp;
  stamp.size_bytes = static_cast<std::uintmax_t>(status.st_size);
  stamp.mtime_ns = nanoseconds(status.st_mtim);
  stamp.ctime_ns = nanoseconds(status.st_ctim);
  stamp.inode = status.st_ino;
  return stamp;
}

std::optional<SampleRecord> load_record(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  const json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded() || doc.value("format", "") != kRecordFormat) return std::nullopt;
  try {
    SampleRecord r;
    r.sample = doc.at("sample").get<std::string>();
    r.bam = doc.at("input").at("bam").get<std::string>();
    const json& input = doc.at("input");
    r.input = {input.at("size_bytes").get<std::uintmax_t>(), input.at("mtime_ns").get<std::int64_t>(),
               input.value("ctime_ns", std::int64_t{-1}), input.value("inode", std::uint64_t{0}),
               input.at("md5").get<std::string>()};
    r.options_key = json_text(doc.at("options"));
    const json& layout = doc.at("layout");
    r.layout.paired = layout.at("paired").get<bool>();
    r.layout.paired_from_sheet = layout.at("paired_source").get<std::string>() == "sheet";
    r.strandedness = strand_from_name(layout.at("strandedness").get<std::string>());
    r.layout.strand =
        layout.at("strand_source").get<std::string>() == "sheet" ? r.strandedness : count::Strandedness::kAuto;
    r.detected_strandedness = layout.at("detected_strandedness").get<std::string>();
    r.same_strand_fraction = layout.at("same_strand_fraction").get<double>();
    const json& counted = doc.at("count").at("inputs").at(0);
    r.targeted = counted.contains("targeted");
    for (std::size_t s = 0; s < count::kReadStatusCount && !r.targeted; ++s) {
      r.status.counts[s] =
          counted.at("summary").at(std::string(count::read_status_name(static_cast<count::ReadStatus>(s), false)));
    }
    r.records = counted.at("records").get<std::uint64_t>();
    r.seconds = counted.at("seconds").get<double>();
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string stale_reason(const std::optional<SampleRecord>& record, const RunSample& sample, const std::string& key) {
  if (!record) return "no counts yet";
  if (record->sample != sample.id) return "the record belongs to sample " + quote_field(record->sample);
  if (json::parse(record->options_key) != json::parse(key)) return "counting options or annotation changed";
  const InputStamp now = stamp_of(sample.bam_path);
  if (now.size_bytes != record->input.size_bytes) return "the alignment file changed size";
  if (now.mtime_ns == record->input.mtime_ns && now.ctime_ns == record->input.ctime_ns &&
      now.inode == record->input.inode) {
    return {};
  }
  // A count of chosen genes only reads too little of the file to checksum it.
  if (record->input.md5.empty()) return "the alignment file changed (size, time or inode)";
  return md5_of_file(sample.bam_path) == record->input.md5 ? std::string() : "the alignment file changed (MD5)";
}

SampleRecord count_sample(const CountJob& job, const annotation::GeneModel& model,
                          const annotation::FeatureIndex& index, const CountSettings& settings,
                          const std::filesystem::path& outdir, const std::string& command_line) {
  const RunSample& sample = *job.sample;
  count::CountOptions options = sample_options(settings, job.layout);
  options.threads = job.threads;
  options.max_memory_bytes = job.max_memory_bytes;
  options.input_md5 = job.targets == nullptr;  // computed from the bytes the counting reads, not in a pass of its own
  options.validate(1);
  SampleRecord record;
  record.sample = sample.id;
  record.bam = sample.bam;
  record.layout = job.layout;
  record.options_key = options_key(settings, job.layout);
  record.input = stamp_of(sample.bam_path);
  // A targeted count reads too little of the file for the check of a strandedness the sheet gives.
  if (job.layout.strand != count::Strandedness::kAuto && !job.targets)
    check_sheet_strand(job, model, index, options, record);
  count::FileCounts counts =
      job.targets
          ? count::count_file_targets(sample.bam_path.string(), model, index, options, job.layout.strand, *job.targets)
          : count::count_file(sample.bam_path.string(), model, index, options, job.layout.strand);
  record.input.md5 = counts.input_md5;
  if (job.layout.strand == count::Strandedness::kAuto) {
    record.detected_strandedness = count::strandedness_name(counts.strandedness);
    if (counts.strand_evidence.reads_used > 0) record.same_strand_fraction = counts.strand_evidence.forward_fraction();
  }
  counts.path = sample.id;  // the column name in the tables
  record.strandedness = counts.strandedness;
  record.status = counts.targeted ? count::StatusCounts{} : counts.status;
  record.targeted = counts.targeted.has_value();
  record.records = counts.records;
  record.seconds = counts.seconds;
  count::CountRun run;
  run.command_line = command_line;
  run.arguments = {"ifnsig", "run", "--sample", sample.id};
  run.annotation_md5 = settings.annotation_md5;
  run.wall_seconds = counts.seconds;
  if (job.targets) run.targets = *job.targets;
  const SamplePaths paths = sample_paths(outdir, sample.id);
  AtomicFile table(paths.counts), summary(paths.summary), genes(paths.genes), json_file(paths.record);
  count::write_count_table(table.stream(), model, {counts}, options, run);
  count::write_count_summary(summary.stream(), {counts}, options);
  count::write_gene_table(genes.stream(), model);
  std::ostringstream count_json;
  count::write_count_json(count_json, model, {counts}, options, run);
  json_file.stream() << json_text(record_json(record, count_json.str()), 2) << '\n';
  for (AtomicFile* file : {&table, &summary, &genes, &json_file}) file->commit();
  return record;
}

}  // namespace ifnsig::run
