// Owns: the files `ifnsig count` writes: the featureCounts-format table and .summary, the gene
//       annotation table (<out>.genes.tsv), the provenance JSON (<out>.json) and, with -J, the junction
//       table (<out>.jcounts, junction_counts.hpp).
// Thread-safety: pure writers over finished results.
// Invariant: table and summary are byte-compatible with featureCounts 2.0.3 apart from the program line. A
//            count of chosen genes only (--genes) writes their rows, and NA for every summary category,
//            which reading part of a file cannot know.
#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/count/count_options.hpp"
#include "ifnsig/count/counter.hpp"

namespace ifnsig::count {

struct CountRun {
  std::string command_line;  // as typed
  std::vector<std::string> arguments;
  std::string annotation_md5;
  double wall_seconds = 0;
  double cpu_seconds = 0;
  std::vector<std::uint32_t> targets;  // --genes: the only targets written, sorted; empty: all of them
};

void write_count_table(std::ostream& out, const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                       const CountOptions& options, const CountRun& run);
void write_count_summary(std::ostream& out, const std::vector<FileCounts>& files, const CountOptions& options);
void write_gene_table(std::ostream& out, const annotation::GeneModel& model);
void write_count_json(std::ostream& out, const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                      const CountOptions& options, const CountRun& run);
// A count in the table: an integer, or two decimals when --fraction made it fractional.
std::string format_count(std::int64_t units, bool fractional);

}  // namespace ifnsig::count

namespace ifnsig::count {
// The files `-o <out>` names: <out>, <out>.summary, <out>.genes.tsv and <out>.json, in that order, then
// <out>.jcounts with junction counts (-J).
std::vector<std::filesystem::path> count_output_paths(const std::string& out_path, bool junction_counts);
// Writes the count_output_paths: all of them, or none.
void write_count_outputs(const std::string& out_path, const annotation::GeneModel& model,
                         const std::vector<FileCounts>& files, const CountOptions& options, const CountRun& run);
}  // namespace ifnsig::count
