// Owns: the sample sheet of `ifnsig run` (sample, bam (unless the counts are given), group, optional
//       batch/paired/strand, the follow-up's subject/time, and named extra columns) and its checks, which collect
//       every problem before one error is thrown.
// Thread-safety: value types and pure functions (reading the sheet and stat-ing the BAM files only).
// Invariant: when read_run_sheet() added no problem, ids are unique and non-empty, alignment files exist
//            and, unless a reference replaces them, at least one sample is a control.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/core/error.hpp"
#include "ifnsig/count/count_options.hpp"

namespace ifnsig::run {

struct RunSample {
  std::string id;
  std::string bam;                     // as written in the sheet
  std::filesystem::path bam_path;      // resolved against the sheet's directory
  std::string group;
  std::string batch;                   // empty without a batch column
  std::optional<bool> paired;          // from the sheet's `paired` column
  std::optional<count::Strandedness> strand;  // from the sheet's `strand` column (kAuto = detect)
  std::vector<std::string> extra;      // one value per RunSheet::extra_columns
  std::string subject;                 // follow-up: the subject sampled (empty: not followed)
  std::string time;                    // follow-up: when (a number, or a visit label)
};

struct RunSheet {
  std::string path;
  std::vector<std::string> extra_columns;
  std::vector<RunSample> samples;
  bool has_batch = false;
  bool has_follow_up = false;  // the sheet has a `subject` column
};

struct SheetRules {
  std::string control = "control";          // value of `group` marking the controls
  bool need_controls = true;                 // false when a frozen reference replaces the control group
  std::vector<std::string> extra_columns;    // further columns the user allows (shown in the report)
  // false when the counts come from a matrix or quantifier files (run --counts, --quant-dir): no `bam`
  // column is needed, and one given is not read (nor are `paired` and `strand`).
  bool alignments = true;
};

inline constexpr std::string_view kSheetColumns[] = {"sample", "bam",    "group",   "batch",
                                                     "paired", "strand", "subject", "time"};

// Collects problems so that one error can report all of them.
class Problems {
 public:
  void add(std::string problem) { items_.push_back(std::move(problem)); }
  // `context` followed by the error's message and its hint.
  void add(const std::string& context, const Error& error) {
    add(context + error.what() + (error.hint().empty() ? "" : " (" + error.hint() + ")"));
  }
  bool empty() const { return items_.empty(); }
  // Throws InputError(file, ...) listing every problem, one per line, if there is any.
  void throw_if_any(const std::string& file, const std::string& hint) const;

 private:
  std::vector<std::string> items_;
};

// Reads and checks the sheet, adding every problem found to `problems` (missing or unknown columns, empty
// or duplicate ids, missing alignment files, bad paired/strand values, no controls); the caller throws.
RunSheet read_run_sheet(const std::string& path, const SheetRules& rules, Problems& problems);

std::optional<bool> parse_paired(std::string_view text);
std::optional<count::Strandedness> parse_strand(std::string_view text);

}  // namespace ifnsig::run
