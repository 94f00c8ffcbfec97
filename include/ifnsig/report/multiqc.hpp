// Owns: ifnsig's MultiQC custom content (ifnsig_scores_mqc.tsv): one table row per sample with the score
//       and call of every panel and method, and the assigned fraction, under the section id "ifnsig_scores".
// Thread-safety: pure functions.
// Invariant: the file holds no paths or times, so identical runs write identical bytes.
#pragma once
#include <filesystem>
#include <ostream>

#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report {

inline constexpr const char* kMultiqcFile = "ifnsig_scores_mqc.tsv";

void write_multiqc_table(std::ostream& out, const ReportData& data);
void write_multiqc_file(const ReportData& data, const std::filesystem::path& path);

}  // namespace ifnsig::report
