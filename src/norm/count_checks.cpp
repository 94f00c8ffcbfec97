#include "ifnsig/norm/count_checks.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::norm {
namespace {

constexpr std::size_t kListed = 5;

struct BadCell {
  Eigen::Index gene;
  Eigen::Index sample;
};

std::string list_cells(const matrix::GeneMatrix& m, const std::vector<BadCell>& cells) {
  std::string text;
  for (std::size_t i = 0; i < std::min(cells.size(), kListed); ++i) {
    const auto& c = cells[i];
    text += (i ? ", " : "") + std::string("gene ") + quote_field(m.gene_ids[static_cast<std::size_t>(c.gene)]) +
            " in sample " + quote_field(m.sample_ids[static_cast<std::size_t>(c.sample)]) + " (" +
            io::format_double(m.values(c.gene, c.sample)) + ")";
  }
  if (cells.size() > kListed) text += " and " + std::to_string(cells.size() - kListed) + " more";
  return text;
}

// The files of the given samples, each once, in order.
std::string files_of(const std::vector<std::string>& sources, const std::vector<Eigen::Index>& samples) {
  std::vector<std::string> files;
  for (const Eigen::Index j : samples) {
    const std::string& file = sources[static_cast<std::size_t>(j)];
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  }
  return io::join(files, ", ");
}

std::string files_of(const std::vector<std::string>& sources, const std::vector<BadCell>& cells) {
  std::vector<Eigen::Index> samples;
  for (const auto& cell : cells) samples.push_back(cell.sample);
  return files_of(sources, samples);
}

// Offending cells, in sample then gene order, whatever the thread count. `bad` must be branch-free: each
// column is first tested in one vectorizable pass, and only a failing column is scanned cell by cell.
template <typename Bad>
std::vector<BadCell> find_cells(const matrix::GeneMatrix& m, Bad bad) {
  std::vector<std::vector<BadCell>> per_sample(static_cast<std::size_t>(m.values.cols()));
  tbb::parallel_for(Eigen::Index{0}, m.values.cols(), [&](Eigen::Index j) {
    const double* column = m.values.col(j).data();
    unsigned any = 0;
    for (Eigen::Index g = 0; g < m.values.rows(); ++g) any |= bad(column[g]) ? 1U : 0U;
    if (any == 0) return;
    for (Eigen::Index g = 0; g < m.values.rows(); ++g) {
      if (bad(column[g])) per_sample[static_cast<std::size_t>(j)].push_back({g, j});
    }
  });
  std::vector<BadCell> all;
  for (auto& cells : per_sample) all.insert(all.end(), cells.begin(), cells.end());
  return all;
}

}  // namespace

CountRequirements count_requirements(FactorMethod method, TransformKind transform) {
  CountRequirements r;
  r.integer = method != FactorMethod::kNone || transform == TransformKind::kVst;
  r.non_negative = r.integer || transform != TransformKind::kNone;
  r.no_empty_sample = r.integer || (transform != TransformKind::kNone && transform != TransformKind::kLog2);
  return r;
}

void check_counts(const matrix::GeneMatrix& counts, const std::vector<std::string>& sources,
                  const CountRequirements& requirements) {
  if (requirements.non_negative) {
    const auto negative = find_cells(counts, [](double v) { return v < 0; });
    if (!negative.empty()) {
      throw InputError(files_of(sources, negative), "",
                       std::to_string(negative.size()) + " negative values: " + list_cells(counts, negative),
                       "normalize expects raw counts; for data already normalized use --method none --transform none");
    }
  }
  if (requirements.integer) {
    // Below 2^52, adding and subtracting 2^52 rounds to an integer, so only integers come back unchanged; every
    // double from 2^52 on is an integer. NaN counts as fractional, as it did with v != floor(v).
    const auto fractional = find_cells(counts, [](double v) { return !(v >= 0x1p52) && (v + 0x1p52) - 0x1p52 != v; });
    if (!fractional.empty()) {
      throw InputError(files_of(sources, fractional), "",
                       std::to_string(fractional.size()) + " non-integer counts: " + list_cells(counts, fractional),
                       "size factors and the VST model raw read counts; round estimated counts (e.g. from salmon) "
                       "first, or use --method none with --transform log2/cpm");
    }
  }
  if (requirements.no_empty_sample) {
    std::string empty;
    std::vector<Eigen::Index> empty_samples;
    for (Eigen::Index j = 0; j < counts.values.cols(); ++j) {
      if ((counts.values.col(j).array() == 0).all()) {
        empty += (empty_samples.empty() ? "" : ", ") + counts.sample_ids[static_cast<std::size_t>(j)];
        empty_samples.push_back(j);
      }
    }
    if (!empty_samples.empty()) {
      throw InputError(files_of(sources, empty_samples), "",
                       std::to_string(empty_samples.size()) + " samples have only zero counts: " + empty,
                       "remove these samples (failed libraries) or fix their count files");
    }
  }
}

void check_not_tpm(const matrix::GeneMatrix& counts, const std::vector<std::string>& sources) {
  if (counts.values.cols() == 0 || counts.values.rows() == 0) return;
  bool fractional = false;
  std::vector<Eigen::Index> all;
  for (Eigen::Index j = 0; j < counts.values.cols(); ++j) {
    long double sum = 0;
    for (Eigen::Index g = 0; g < counts.values.rows(); ++g) {
      const double v = counts.values(g, j);
      sum += v;
      fractional = fractional || (v < 0x1p52 && v != std::nearbyint(v));
    }
    if (std::fabs(static_cast<double>(sum) - 1e6) > 1e3) return;
    all.push_back(j);
  }
  if (!fractional) return;
  throw InputError(files_of(sources, all), "",
                   "every sample's values sum to a million: these are TPM (abundances), not the read counts that "
                   "DESeq2's and edgeR's factors and the VST model",
                   "give the counts (nf-core: salmon.merged.gene_counts.tsv or ..._length_scaled.tsv; or the "
                   "quant.sf files with --quant-dir and --gtf), or use TPM with --method none --transform log2");
}

void check_finite(const matrix::GeneMatrix& values, const std::vector<std::string>& sources) {
  const auto bad = find_cells(values, [](double v) { return !std::isfinite(v); });
  if (!bad.empty()) {
    throw InputError(files_of(sources, bad), "",
                     std::to_string(bad.size()) + " output values are not finite: " + list_cells(values, bad),
                     "check the listed genes' counts; nothing was written");
  }
}

}  // namespace ifnsig::norm
