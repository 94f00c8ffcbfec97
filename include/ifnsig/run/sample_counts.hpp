// Owns: one sample's counts under OUTDIR/samples/ (<id>.counts.tsv, .summary, .genes.tsv and the .json
//       record of its input checksum, options and layout), counting it, and deciding on a restart
//       whether the files can be reused.
// Thread-safety: count_sample() may run for different samples at once; each writes only its own files.
// Invariant: <id>.counts.tsv.json is committed last, so its presence means the other three are complete.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/count/count_options.hpp"
#include "ifnsig/count/read_status.hpp"
#include "ifnsig/run/run_sheet.hpp"

namespace ifnsig::run {

// What a sample's counts depend on besides its input file.
struct CountSettings {
  count::CountOptions options;  // shared options; paired and strandedness come from each SampleLayout
  std::string annotation_md5;
  // run --targeted: the MD5 of the reference whose normalizer and panel genes are counted (with the
  // annotation, it decides them); empty: every gene.
  std::string targets_reference_md5;
};

struct SampleLayout {
  bool paired = false;
  bool paired_from_sheet = false;
  count::Strandedness strand = count::Strandedness::kAuto;  // as requested: from the sheet, or kAuto to detect
};

// What identifies an input file without reading it. mtime can be set back (touch, cp -p, rsync -t), so a
// file replaced by another of the same size and mtime is told apart by its inode and status-change time,
// which no user can set; any difference sends the decision to the MD5.
struct InputStamp {
  std::uintmax_t size_bytes = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = -1;  // -1: unknown (records written before it was kept)
  std::uint64_t inode = 0;
  std::string md5;  // empty until computed
};

// The parsed <id>.counts.tsv.json.
struct SampleRecord {
  std::string sample;
  std::string bam;  // as in the sheet
  InputStamp input;
  std::string options_key;  // canonical JSON of the options the counts depend on
  SampleLayout layout;
  count::Strandedness strandedness = count::Strandedness::kUnstranded;  // as used
  std::string detected_strandedness;  // "forward"/"reverse"/"unstranded"/"undetermined"; empty if not checked
  double same_strand_fraction = -1;   // from the strand check; < 0 when not measured
  // Zero when targeted: only the records that can count for the chosen genes were read.
  count::StatusCounts status;
  bool targeted = false;  // counted for the genes of CountSettings::targets_reference_md5 only
  // Not counted: the counts were read from this file (run --counts/--quant-dir); no status, layout or
  // strandedness is known.
  std::string counts_from;
  std::uint64_t records = 0;
  double seconds = 0;
  double assigned_fraction() const;
};

struct SamplePaths {
  std::filesystem::path counts, summary, genes, record;
};
SamplePaths sample_paths(const std::filesystem::path& outdir, const std::string& sample);

// True when the first mapped records carry the paired flag. Throws InputError for unreadable files.
bool detect_paired(const std::filesystem::path& alignment, const std::string& reference_fasta);

// The settings with the sample's layout (paired, strandedness) applied.
count::CountOptions sample_options(const CountSettings& settings, const SampleLayout& layout);
std::string options_key(const CountSettings& settings, const SampleLayout& layout);
// Size and modification time; the MD5 comes from counting (CountOptions::input_md5).
InputStamp stamp_of(const std::filesystem::path& path);
// nullopt when the record is missing or not a record of this format.
std::optional<SampleRecord> load_record(const std::filesystem::path& path);
// Empty when `record` can be reused for `sample` with `key`; else why it cannot ("options changed", ...).
// Compares size and mtime first and falls back to the MD5 when they differ.
std::string stale_reason(const std::optional<SampleRecord>& record, const RunSample& sample, const std::string& key);

struct CountJob {
  const RunSample* sample = nullptr;
  SampleLayout layout;
  int threads = 1;
  std::uint64_t max_memory_bytes = 0;  // the job's share of the budget
  const std::vector<std::uint32_t>* targets = nullptr;  // the targets counted (run --targeted); null: all
};

// Counts one sample and writes its four files; returns the record written.
SampleRecord count_sample(const CountJob& job, const annotation::GeneModel& model,
                          const annotation::FeatureIndex& index, const CountSettings& settings,
                          const std::filesystem::path& outdir, const std::string& command_line);

}  // namespace ifnsig::run
