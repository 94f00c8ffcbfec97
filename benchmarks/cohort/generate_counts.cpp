// Seeded negative-binomial count matrix for benchmarks at cohort scale (tens of thousands of genes x
// thousands of samples, written in about a minute where R takes an hour): genes x samples TSV on stdout,
// the sample sheet (sample, batch) to a file.
//
// The model is benchmarks/norm/generate.R's: gene means log-normal (exp(N(3, 2))), mean-dependent dispersion
// 0.05 + 2 / (mean + 1), sample depths exp(N(0, 0.3)), 4 batches each shifting every gene's log mean by
// N(0, 0.2); plus outlier genes (0.5% of genes, x 10-50 in one to three samples). Counts are gamma-Poisson
// draws; each gene has its own random stream (seed + gene index), so the matrix does not depend on how it is
// produced. Gene ids are G000001...; with PANEL_GENES (one symbol a line) the first genes take those names,
// so that built-in panels find their genes.
//
// Usage: generate_counts N_GENES N_SAMPLES SHEET.tsv [PANEL_GENES] > counts.tsv
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: generate_counts N_GENES N_SAMPLES SHEET.tsv [PANEL_GENES] > counts.tsv\n";
    return 2;
  }
  const long genes = std::atol(argv[1]);
  const long samples = std::atol(argv[2]);
  if (genes < 1 || samples < 4) {
    std::cerr << "generate_counts: N_GENES must be positive and N_SAMPLES at least 4\n";
    return 2;
  }
  std::vector<std::string> names;
  if (argc > 4) {
    std::ifstream in(argv[4]);
    if (!in) {
      std::cerr << "generate_counts: cannot read " << argv[4] << "\n";
      return 1;
    }
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) names.push_back(line);
  }
  constexpr int kBatches = 4;
  constexpr std::uint64_t kSeed = 20261207;
  std::mt19937_64 sample_rng(kSeed);
  std::normal_distribution<double> depth_noise(0.0, 0.3);
  std::vector<double> depth(samples);
  std::vector<int> batch(samples);
  for (long j = 0; j < samples; ++j) {
    depth[j] = std::exp(depth_noise(sample_rng));
    batch[j] = static_cast<int>(j % kBatches);
  }
  {
    std::ofstream sheet(argv[3]);
    sheet << "sample\tbatch\n";
    for (long j = 0; j < samples; ++j) sheet << "S" << (j + 1) << "\tbatch" << (batch[j] + 1) << "\n";
    if (!sheet) {
      std::cerr << "generate_counts: cannot write " << argv[3] << "\n";
      return 1;
    }
  }
  std::string line = "gene_id";
  for (long j = 0; j < samples; ++j) line += "\tS" + std::to_string(j + 1);
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::vector<long> counts(samples);
  char number[24];
  for (long g = 0; g < genes; ++g) {
    std::mt19937_64 rng(kSeed + 1 + static_cast<std::uint64_t>(g));
    const double mean = std::exp(std::normal_distribution<double>(3.0, 2.0)(rng));
    const double dispersion = 0.05 + 2.0 / (mean + 1.0);
    double shift[kBatches];
    for (double& s : shift) s = std::exp(std::normal_distribution<double>(0.0, 0.2)(rng));
    std::gamma_distribution<double> gamma(1.0 / dispersion, dispersion);  // mean 1, variance = dispersion
    for (long j = 0; j < samples; ++j) {
      const double mu = mean * depth[j] * shift[batch[j]] * gamma(rng);
      counts[j] = mu > 0 ? std::poisson_distribution<long>(mu)(rng) : 0;
    }
    if (std::uniform_real_distribution<double>()(rng) < 0.005) {  // an outlier gene
      const int hits = 1 + static_cast<int>(std::uniform_int_distribution<int>(0, 2)(rng));
      for (int h = 0; h < hits; ++h) {
        const long j = std::uniform_int_distribution<long>(0, samples - 1)(rng);
        counts[j] = std::lround(counts[j] * std::uniform_real_distribution<double>(10, 50)(rng) +
                                std::uniform_real_distribution<double>(0, 20)(rng));
      }
    }
    line.clear();
    if (static_cast<std::size_t>(g) < names.size()) {
      line = names[g];
    } else {
      const int n = std::snprintf(number, sizeof number, "G%06ld", g + 1);
      line.assign(number, n);
    }
    for (long j = 0; j < samples; ++j) {
      line += '\t';
      const auto end = std::to_chars(number, number + sizeof number, counts[j]).ptr;
      line.append(number, end);
    }
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) {
      std::cerr << "generate_counts: write failed\n";
      return 1;
    }
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
