// Owns: the input checks normalize runs before any work: counts that must be non-negative integers (and not TPM),
//       samples whose counts are all zero, and the final no-NaN/Inf guarantee on outputs.
// Thread-safety: pure functions; scans samples in parallel.
// Invariant: every error names the files the offending samples come from, lists the offending genes/samples
//            (the first few and how many) and gives a fix.
#pragma once
#include "ifnsig/matrix/gene_matrix.hpp"
#include "ifnsig/norm/size_factors.hpp"
#include "ifnsig/norm/transforms.hpp"

namespace ifnsig::norm {

struct CountRequirements {
  bool integer = false;       // factor methods and the VST model raw counts
  bool non_negative = false;  // every scale except `none`
  bool no_empty_sample = false;
};

CountRequirements count_requirements(FactorMethod method, TransformKind transform);
// `sources` holds the file each sample (column) was read from.
void check_counts(const matrix::GeneMatrix& counts, const std::vector<std::string>& sources,
                  const CountRequirements& requirements);
// TPM where counts are needed: every sample's values sum to a million (within 0.1%) and some are not whole
// numbers (nf-core's salmon.merged.gene_tpm.tsv, RSEM's TPM). Throws InputError naming the files.
void check_not_tpm(const matrix::GeneMatrix& counts, const std::vector<std::string>& sources);
// Throws InputError naming the first non-finite cells (guards against silent NaN/Inf output) and the files
// their samples' counts come from.
void check_finite(const matrix::GeneMatrix& values, const std::vector<std::string>& sources);

}  // namespace ifnsig::norm
