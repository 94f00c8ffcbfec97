// Simulator invariants: spliced layouts stay inside exons, CIGARs match the read length, recipes and
// cohort draws are reproducible, intron/intergenic placement checks.
#include <gtest/gtest.h>
#include <htslib/sam.h>

#include "ifnsig/sim/cohort_truth.hpp"
#include "ifnsig/sim/fragment.hpp"
#include "ifnsig/sim/sample_plan.hpp"

namespace ifnsig::sim {
namespace {

// Two genes on one contig: g1 (+) with exons 1001-1100, 1201-1300, 1401-1600; g2 (-) with 5001-5400.
annotation::GeneModel two_gene_model() {
  annotation::GeneModel model;
  const auto chr = model.add_contig("chr1");
  const auto g1 = model.add_gene("g1", "GENE1");
  const auto g2 = model.add_gene("g2", "GENE2");
  model.add_exon(annotation::Exon{chr, g1, 1001, 1100, annotation::Strand::kForward});
  model.add_exon(annotation::Exon{chr, g1, 1201, 1300, annotation::Strand::kForward});
  model.add_exon(annotation::Exon{chr, g1, 1401, 1600, annotation::Strand::kForward});
  model.add_exon(annotation::Exon{chr, g2, 5001, 5400, annotation::Strand::kReverse});
  return model;
}

SimulateOptions small_options() {
  SimulateOptions options;
  options.annotation = "test";
  options.output_dir = "unused";
  options.read_length_bp = 50;
  options.fragment_mean_bp = 120;
  options.fragment_sd_bp = 20;
  options.soft_clip_fraction = 0.3;
  options.indel_fraction = 0.3;
  options.unmapped_mate_fraction = 0;
  options.supplementary_fraction = 0;
  return options;
}

std::int64_t query_length(const std::vector<std::uint32_t>& cigar) {
  std::int64_t length = 0;
  for (std::uint32_t op : cigar) {
    if (bam_cigar_type(bam_cigar_op(op)) & 1) length += bam_cigar_oplen(op);
  }
  return length;
}

// Every aligned (M) base of the mate lies inside one of the gene's exons.
bool inside_exons(const SimGene& gene, const MateRecord& mate) {
  std::int64_t ref = mate.pos;
  for (std::uint32_t op : mate.cigar) {
    const auto length = static_cast<std::int64_t>(bam_cigar_oplen(op));
    if (bam_cigar_op(op) == BAM_CMATCH) {
      bool found = false;
      for (const Block& block : gene.blocks) {
        found |= ref >= block.genome_start && ref + length <= block.genome_start + block.length;
      }
      if (!found) return false;
    }
    if (bam_cigar_type(bam_cigar_op(op)) & 2) ref += length;
  }
  return ref == mate.end;
}

TEST(SimGenome, MergesExonsAndFindsIntrons) {
  const SimGenome genome(two_gene_model());
  const SimGene& g1 = genome.genes()[0];
  ASSERT_EQ(g1.blocks.size(), 3u);
  EXPECT_EQ(g1.length_bp, 400);
  EXPECT_EQ(g1.intron_bp(), 200);
  EXPECT_TRUE(SimGenome::inside_intron(g1, 1100, 1200));
  EXPECT_FALSE(SimGenome::inside_intron(g1, 1099, 1150));
  EXPECT_TRUE(genome.intergenic(0, 2000, 4000));
  EXPECT_FALSE(genome.intergenic(0, 1550, 1700));
  EXPECT_TRUE(genome.isolated(0));
  EXPECT_TRUE(genome.isolated(1));
}

TEST(FragmentLayouter, SplicedMatesStayInsideExonsWithTheReadLength) {
  const SimGenome genome(two_gene_model());
  const SimulateOptions options = small_options();
  const FragmentLayouter layouter(genome, options);
  Random random(42);
  FragmentLayout layout;
  int spliced = 0;
  for (int i = 0; i < 2000; ++i) {
    FragmentRecipe recipe;
    recipe.source = 0;
    recipe.length_bp = layouter.draw_length(random, 400);
    recipe.start = static_cast<std::int64_t>(random.below(400 - recipe.length_bp + 1));
    recipe.seed = random.next();
    layouter.layout(recipe, false, layout);
    for (const MateRecord& mate : layout.mate) {
      ASSERT_EQ(query_length(mate.cigar), options.read_length_bp);
      ASSERT_TRUE(inside_exons(genome.genes()[0], mate));
      for (std::uint32_t op : mate.cigar) spliced += bam_cigar_op(op) == BAM_CREF_SKIP;
    }
    // Reverse-stranded library, + strand gene: read 1 is the reverse (right) mate.
    ASSERT_TRUE(layout.mate[0].reverse);
    ASSERT_FALSE(layout.mate[1].reverse);
  }
  EXPECT_GT(spliced, 500);
}

TEST(CohortTruth, SameSeedSameDrawsAndFoldOnPanelGenes) {
  const SimGenome genome(two_gene_model());
  SimulateOptions options = small_options();
  options.n_samples = 4;
  options.n_ifn_high = 2;
  options.silent_fraction = 0;
  options.depth_sd = 0;
  const std::vector<std::uint8_t> panel{1, 0};
  const CohortTruth a = draw_cohort(genome, options, panel);
  const CohortTruth b = draw_cohort(genome, options, panel);
  for (std::size_t j = 0; j < 4; ++j) {
    EXPECT_EQ(a.count(0, j), b.count(0, j));
    EXPECT_EQ(a.count(1, j), b.count(1, j));
  }
  EXPECT_FALSE(a.ifn_high(0));
  EXPECT_TRUE(a.ifn_high(3));
  // Panel gene g1 relative to g2: fold x higher in IFN-high samples.
  const double control = a.mean(0, 0) / a.mean(1, 0);
  const double high = a.mean(0, 3) / a.mean(1, 3);
  EXPECT_NEAR(high / control, options.fold, 1e-9);
}

TEST(SamplePlanner, RecordsAreSortedAndExonicCountsMatchTheTruth) {
  const SimGenome genome(two_gene_model());
  SimulateOptions options = small_options();
  options.n_samples = 1;
  options.n_ifn_high = 0;
  options.pairs = 5000;
  options.silent_fraction = 0;
  const CohortTruth truth = draw_cohort(genome, options, {0, 0});
  const FragmentLayouter layouter(genome, options);
  const SamplePlanner planner(genome, options, layouter, truth, 0);
  const ContigPlan plan = planner.plan_contig(0);
  ASSERT_FALSE(plan.records.empty());
  for (std::size_t i = 1; i < plan.records.size(); ++i) ASSERT_LE(plan.records[i - 1].pos, plan.records[i].pos);
  std::uint32_t exonic[2] = {0, 0};
  for (const FragmentRecipe& recipe : plan.recipes) {
    if (recipe.kind == FragmentKind::kExonic) ++exonic[recipe.source];
  }
  EXPECT_EQ(exonic[0], truth.count(0, 0));
  EXPECT_EQ(exonic[1], truth.count(1, 0));
}

}  // namespace
}  // namespace ifnsig::sim
