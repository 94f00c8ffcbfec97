// Per-sample count files of a large cohort for `ifnsig run --gather` benchmarks, cloned from one sample that
// `ifnsig run --sample` counted: counting thousands of BAMs would take hours, and gather reads only these
// files (and the sheet, and each alignment's size, times and inode, which the clones share with the
// template's alignment through hard links). Each clone is the template's four files with the sample id
// replaced and, in the count table, counts drawn anew: negative binomial around the template's gene means
// (scaled by a per-sample depth), 10x for the first N_RAISED genes in the samples whose group is not
// "control". Seeded per sample, so the files do not depend on the order they are written in.
//
// Usage: make_sample_files SAMPLES_DIR TEMPLATE_ID SHEET.tsv N_RAISED
//   SAMPLES_DIR holds TEMPLATE_ID.counts.tsv{,.summary,.genes.tsv,.json}; SHEET.tsv has sample and group in
//   its first and third columns (as benchmarks/cohort/gather.sh writes it); every other sample gets files.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "make_sample_files: cannot read " << path << "\n";
    std::exit(1);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "make_sample_files: cannot write " << path << "\n";
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: make_sample_files SAMPLES_DIR TEMPLATE_ID SHEET.tsv N_RAISED\n";
    return 2;
  }
  const std::string dir = argv[1], tmpl = argv[2];
  const long n_raised = std::atol(argv[4]);
  const std::string base = dir + "/" + tmpl + ".counts.tsv";
  const std::string summary = read_all(base + ".summary"), genes = read_all(base + ".genes.tsv"),
                    record = read_all(base + ".json");
  // The count table: comment and header lines (naming the template), then one line a gene, its count last.
  std::vector<std::string> head, prefix;
  std::vector<double> mean;
  {
    std::istringstream table(read_all(base));
    for (std::string line; std::getline(table, line);) {
      if (line.empty()) continue;
      if (line[0] == '#' || line.rfind("Geneid\t", 0) == 0) {
        head.push_back(line);
        continue;
      }
      const auto tab = line.rfind('\t');
      prefix.push_back(line.substr(0, tab + 1));
      mean.push_back(std::stod(line.substr(tab + 1)) + 1.0);
    }
  }
  std::ifstream sheet(argv[3]);
  std::string line;
  std::getline(sheet, line);  // header
  std::uint64_t index = 0;
  std::string table;
  while (std::getline(sheet, line)) {
    ++index;
    std::istringstream fields(line);
    std::string id, bam, group;
    std::getline(fields, id, '\t');
    std::getline(fields, bam, '\t');
    std::getline(fields, group, '\t');
    if (id == tmpl) continue;
    std::mt19937_64 rng(20261207 + index);
    const double depth = std::exp(std::normal_distribution<double>(0.0, 0.3)(rng));
    table.clear();
    for (const auto& h : head) table += replace_all(h, tmpl, id) + '\n';
    for (std::size_t g = 0; g < prefix.size(); ++g) {
      const double mu = mean[g] * depth * (group != "control" && static_cast<long>(g) < n_raised ? 10.0 : 1.0);
      const double shape = 1.0 / (0.05 + 2.0 / (mu + 1.0));
      const double lambda = std::gamma_distribution<double>(shape, mu / shape)(rng);
      table += prefix[g];
      table += std::to_string(std::poisson_distribution<long>(lambda)(rng));
      table += '\n';
    }
    const std::string out = dir + "/" + id + ".counts.tsv";
    write_file(out, table);
    write_file(out + ".summary", replace_all(summary, tmpl, id));
    write_file(out + ".genes.tsv", genes);
    write_file(out + ".json", replace_all(record, "\"" + tmpl + "\"", "\"" + id + "\""));
  }
  return 0;
}
