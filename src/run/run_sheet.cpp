#include "ifnsig/run/run_sheet.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/input_text.hpp"
#include "ifnsig/io/sheet_rows.hpp"

namespace ifnsig::run {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_known(const std::string& column, const SheetRules& rules) {
  return std::find(std::begin(kSheetColumns), std::end(kSheetColumns), column) != std::end(kSheetColumns) ||
         std::find(rules.extra_columns.begin(), rules.extra_columns.end(), column) != rules.extra_columns.end();
}

std::optional<std::size_t> column_of(const io::SheetRows& raw, std::string_view name) {
  const auto it = std::find(raw.columns.begin(), raw.columns.end(), name);
  if (it == raw.columns.end()) return std::nullopt;
  return static_cast<std::size_t>(it - raw.columns.begin());
}

void check_columns(const io::SheetRows& raw, const SheetRules& rules, Problems& problems) {
  if (raw.columns.empty()) {
    problems.add(rules.alignments ? "the sheet is empty: it needs a header naming sample, bam and group"
                                  : "the sheet is empty: it needs a header naming sample and group");
    return;
  }
  for (const char* required : {"sample", "bam", "group"}) {
    if (!rules.alignments && std::string_view(required) == "bam") continue;
    if (!column_of(raw, required)) problems.add(std::string("no '") + required + "' column");
  }
  std::map<std::string, int> seen;
  for (const auto& column : raw.columns) {
    if (++seen[column] == 2) problems.add("column " + quote_field(column) + " appears twice");
    if (!is_known(column, rules)) {
      std::string known;
      for (const auto name : kSheetColumns) known += (known.empty() ? "" : ", ") + std::string(name);
      problems.add("unknown column " + quote_field(column) + " (known: " + known + "; allow it with --extra-column " +
                   quote_field(column) + ")");
    }
  }
  for (const auto& extra : rules.extra_columns) {
    if (!column_of(raw, extra)) problems.add("--extra-column " + quote_field(extra) + " is not a column of the sheet");
  }
}

RunSample parse_row(const io::SheetRows& raw, std::size_t r, const std::filesystem::path& base, const SheetRules& rules,
                    Problems& problems) {
  const auto& row = raw.rows[r];
  const std::string where = at_line(raw.lines[r]) + ": ";
  const auto get = [&](std::string_view name) -> std::string {
    const auto c = column_of(raw, name);
    return c ? row[*c] : std::string();
  };
  RunSample s;
  s.id = get("sample");
  s.bam = get("bam");
  s.group = get("group");
  s.batch = get("batch");
  s.subject = get("subject");
  s.time = get("time");
  if (!s.subject.empty() && s.time.empty()) problems.add(where + "subject " + quote_field(s.subject) + " has no time");
  if (auto problem = io::sample_id_problem(s.id); !problem.empty()) {
    problems.add(where + problem);
  } else if (s.id.find_first_of(" \\") != std::string::npos) {
    problems.add(where + "sample id " + quote_field(s.id) + " has a space or backslash");
  }
  if (!rules.alignments) {
    s.bam.clear();  // the counts are given: alignment files, layouts and strandedness are not read
  } else if (s.bam.empty()) {
    problems.add(where + "sample " + quote_field(s.id) + " has no bam");
  } else {
    s.bam_path = std::filesystem::path(s.bam).is_absolute() ? std::filesystem::path(s.bam) : base / s.bam;
    if (!std::filesystem::is_regular_file(s.bam_path)) {
      problems.add(where + "sample " + quote_field(s.id) + ": alignment file " + s.bam_path.string() + " does not exist");
    }
  }
  if (rules.alignments && column_of(raw, "paired") && !get("paired").empty()) {
    s.paired = parse_paired(get("paired"));
    if (!s.paired) problems.add(where + "paired " + quote_field(get("paired")) + " is not yes/no (true/false, 1/0, paired/single)");
  }
  if (rules.alignments && column_of(raw, "strand") && !get("strand").empty()) {
    s.strand = parse_strand(get("strand"));
    if (!s.strand) problems.add(where + "strand " + quote_field(get("strand")) + " is not unstranded/forward/reverse/auto (0/1/2)");
  }
  for (const auto& extra : rules.extra_columns) s.extra.push_back(get(extra));
  return s;
}

}  // namespace

void Problems::throw_if_any(const std::string& file, const std::string& hint) const {
  if (items_.empty()) return;
  std::string message = std::to_string(items_.size()) + (items_.size() == 1 ? " problem" : " problems") +
                        ", nothing was counted:";
  for (const auto& item : items_) message += "\n  - " + item;
  throw InputError(file, "", message, hint);
}

std::optional<bool> parse_paired(std::string_view text) {
  const std::string value = lower(text);
  for (const char* yes : {"yes", "true", "1", "paired", "pe", "y"}) {
    if (value == yes) return true;
  }
  for (const char* no : {"no", "false", "0", "single", "se", "n"}) {
    if (value == no) return false;
  }
  return std::nullopt;
}

std::optional<count::Strandedness> parse_strand(std::string_view text) {
  const std::string value = lower(text);
  if (value == "0" || value == "unstranded" || value == "none" || value == "no")
    return count::Strandedness::kUnstranded;
  if (value == "1" || value == "forward" || value == "yes") return count::Strandedness::kForward;
  if (value == "2" || value == "reverse") return count::Strandedness::kReverse;
  if (value == "auto") return count::Strandedness::kAuto;
  return std::nullopt;
}

RunSheet read_run_sheet(const std::string& path, const SheetRules& rules, Problems& problems) {
  const io::SheetRows raw = io::read_sheet_rows(
      path, [&](std::uint64_t line, const std::string& problem, const std::string&) {
        problems.add(at_line(line) + ": " + problem);
      });
  check_columns(raw, rules, problems);
  RunSheet sheet;
  sheet.path = path;
  sheet.extra_columns = rules.extra_columns;
  sheet.has_batch = column_of(raw, "batch").has_value();
  sheet.has_follow_up = column_of(raw, "subject").has_value();
  if (column_of(raw, "time") && !sheet.has_follow_up) problems.add("a 'time' column needs a 'subject' column");
  std::map<std::pair<std::string, std::string>, std::uint64_t> visit_line;  // (subject, time) -> first line
  const auto base = std::filesystem::path(path).parent_path();
  std::unordered_map<std::string, std::uint64_t> first_line;
  std::size_t n_controls = 0;
  for (std::size_t r = 0; r < raw.rows.size() && column_of(raw, "sample"); ++r) {
    RunSample sample = parse_row(raw, r, base, rules, problems);
    const auto [it, inserted] = first_line.emplace(sample.id, raw.lines[r]);
    if (!inserted && !sample.id.empty()) {
      problems.add(at_line(raw.lines[r]) + ": duplicate sample id " + quote_field(sample.id) + " (first on " +
                   at_line(it->second) + ")");
    }
    n_controls += sample.group == rules.control ? 1 : 0;
    if (!sample.subject.empty()) {
      const auto [visit, first] = visit_line.emplace(std::pair{sample.subject, sample.time}, raw.lines[r]);
      if (!first) {
        problems.add(at_line(raw.lines[r]) + ": subject " + quote_field(sample.subject) + " has two samples at time " +
                     quote_field(sample.time) + " (the other on " + at_line(visit->second) + ")");
      }
    }
    sheet.samples.push_back(std::move(sample));
  }
  if (raw.rows.empty() && !raw.columns.empty()) problems.add("the sheet lists no samples");
  if (rules.need_controls && n_controls == 0 && column_of(raw, "group") && !raw.rows.empty()) {
    problems.add("no control samples: no row has group " + quote_field(rules.control) +
                 " (use --control VALUE for your control group, or --reference REF.json)");
  }
  return sheet;
}

}  // namespace ifnsig::run
