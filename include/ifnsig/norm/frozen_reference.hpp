// Owns: the frozen normalization reference: everything a later sample needs to be normalized as if it
//       had been in the fitted cohort (genes, factor fit, transform constants, parametric VST trend,
//       ComBat estimates), and its versioned JSON form ("format": "ifnsig-reference", "version": 1).
//       A local (locfit) VST trend is never frozen: DESeq2 scales that transform by the samples it is given.
// Thread-safety: value type; reading and writing are single-threaded.
// Invariant: read_reference(write_reference(r)) == r bit for bit (doubles printed round-trippably);
//            the "score" object is carried through untouched for `ifnsig score`.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/norm/combat.hpp"
#include "ifnsig/norm/dispersion.hpp"
#include "ifnsig/norm/normalizer_genes.hpp"
#include "ifnsig/norm/size_factors.hpp"
#include "ifnsig/norm/transforms.hpp"

namespace ifnsig::norm {

constexpr int kReferenceFormatVersion = 1;

struct TransformParams {
  TransformKind kind = TransformKind::kNone;
  double prior_count = 2;   // logcpm
  double pseudocount = 1;   // log2
  std::size_t vst_subsample = 0;  // 0 = all genes (varianceStabilizingTransformation), else vst(nsub)
};

struct FrozenReference {
  std::string ifnsig_version;
  std::string command_line;
  // How the counts were made from the inputs when that is more than reading them (quantifier files summed to
  // genes, non-integer counts rounded); written as "inputs" only when not empty.
  std::string inputs;
  std::vector<std::string> samples;  // the reference cohort
  std::vector<std::string> genes;
  FactorFit factors;
  TransformParams transform;
  std::optional<DispersionTrend> vst_trend;
  std::string batch_column;
  std::optional<CombatFit> combat;
  NormalizerGenes normalizers;     // DESeq2 ratio fits kept as a reference; empty otherwise
  std::string score_json = "{}";  // opaque, owned by `ifnsig score`
};

// Writes `path` through write_reference_file (core/reference_file.hpp: checksummed, atomic).
void write_reference(const FrozenReference& reference, const std::string& path);
// Throws InputError naming the file and the offending key for a wrong checksum, format, version or shape.
FrozenReference read_reference(const std::string& path);

// The reference as it applies to samples counted for chosen genes only (count --genes REF.json): its genes that
// `gene_ids` holds, in its order, with the size factors' median taken over its normalizer genes only. Throws
// InputError naming `source` (the reference's path) when it cannot: no normalizer genes, a normalizer gene
// absent from `gene_ids`, or a step that needs every gene (ComBat; CPM, logCPM and TPM scale by the library).
FrozenReference targeted_reference(const FrozenReference& reference, const std::vector<std::string>& gene_ids,
                                   const std::string& source);

}  // namespace ifnsig::norm
