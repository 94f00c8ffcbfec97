// Owns: planning one simulated sample: the fragment recipes of each contig (exonic from the truth counts,
//       intronic, intergenic, multi-locus hits) and their records' positions in coordinate order.
// Thread-safety: a SamplePlanner is immutable after construction; plan_contig() may run on any thread.
// Invariant: every recipe seed derives from (sample seed, kind, gene or contig, index), so plans are
//            identical at any thread count; ContigPlan::records is sorted by (pos, multi, index, what).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "ifnsig/sim/cohort_truth.hpp"
#include "ifnsig/sim/fragment.hpp"

namespace ifnsig::sim {

inline constexpr int kMaxLoci = 4;

struct MultiRecipe {
  std::array<FragmentRecipe, kMaxLoci> loci;  // locus 0 is the primary alignment
  std::uint8_t n_loci = 0;
};

struct RecordPlan {
  std::int64_t pos = 0;
  std::uint32_t index = 0;  // into ContigPlan::recipes, or SamplePlanner::multis() when multi
  std::uint8_t role = 0;    // RecordRole
  std::uint8_t copy = 0;    // duplicate copy (unique fragments) or locus (multi-locus fragments)
  std::uint8_t multi = 0;
};

struct ContigPlan {
  std::uint32_t contig = 0;
  std::vector<FragmentRecipe> recipes;
  std::vector<RecordPlan> records;
};

struct PlanCounts {
  std::uint64_t exonic = 0;
  std::uint64_t intronic = 0;
  std::uint64_t intergenic = 0;
  std::uint64_t multimappers = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t records = 0;
};

class SamplePlanner {
 public:
  SamplePlanner(const SimGenome& genome, const SimulateOptions& options, const FragmentLayouter& layouter,
                const CohortTruth& truth, std::size_t sample);
  ContigPlan plan_contig(std::uint32_t contig) const;
  const std::vector<MultiRecipe>& multis() const { return multis_; }
  // Adds a finished contig's fragments to `counts`.
  static void tally(const ContigPlan& plan, PlanCounts& counts);

 private:
  void draw_multis();
  void add_gene_fragments(std::uint32_t gene, ContigPlan& plan) const;
  void add_intergenic_fragments(std::uint32_t contig, ContigPlan& plan) const;
  void add_records(ContigPlan& plan) const;
  const SimGenome& genome_;
  const SimulateOptions& options_;
  const FragmentLayouter& layouter_;
  const CohortTruth& truth_;
  std::size_t sample_;
  std::uint64_t seed_;
  std::vector<std::vector<std::uint32_t>> genes_by_contig_;
  std::vector<std::uint32_t> intronic_;    // per gene
  std::vector<std::uint32_t> intergenic_;  // per contig
  std::vector<MultiRecipe> multis_;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint8_t>>> multi_by_contig_;  // (multi, locus)
};

}  // namespace ifnsig::sim
