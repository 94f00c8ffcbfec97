#include "ifnsig/sim/sample_plan.hpp"

#include "record_builder.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <random>
#include <tuple>

namespace ifnsig::sim {
namespace {

constexpr int kPlacementAttempts = 16;
constexpr std::uint64_t kExonicStream = 10;
constexpr std::uint64_t kIntronicStream = 11;
constexpr std::uint64_t kIntergenicStream = 12;
constexpr std::uint64_t kBudgetStream = 2;
constexpr std::uint64_t kMultiStream = 3;

std::uint32_t draw_poisson(Random& random, double mean) {
  if (mean <= 0) return 0;
  std::poisson_distribution<std::uint32_t> poisson(mean);
  return poisson(random);
}

std::uint8_t draw_duplicates(Random& random, double fraction) {
  if (!random.chance(fraction)) return 0;
  return random.chance(0.25) ? 2 : 1;
}

}  // namespace

SamplePlanner::SamplePlanner(const SimGenome& genome, const SimulateOptions& options, const FragmentLayouter& layouter,
                             const CohortTruth& truth, std::size_t sample)
    : genome_(genome), options_(options), layouter_(layouter), truth_(truth), sample_(sample),
      seed_(truth.sample_seed(sample)) {
  const auto& genes = genome.genes();
  const auto& contigs = genome.contigs();
  genes_by_contig_.resize(contigs.size());
  for (std::uint32_t g = 0; g < genes.size(); ++g) {
    if (!genes[g].blocks.empty()) genes_by_contig_[genes[g].contig].push_back(g);
  }
  // Intronic fragments follow expression times intron length; intergenic ones contig length.
  const SampleBudget& budget = truth.budget(sample);
  Random random(mix_seed(seed_, kBudgetStream));
  double intron_weight = 0;
  for (std::uint32_t g = 0; g < genes.size(); ++g) intron_weight += truth.mean(g, sample) * static_cast<double>(genes[g].intron_bp());
  intronic_.assign(genes.size(), 0);
  for (std::uint32_t g = 0; g < genes.size() && intron_weight > 0; ++g) {
    const double weight = truth.mean(g, sample) * static_cast<double>(genes[g].intron_bp());
    intronic_[g] = draw_poisson(random, static_cast<double>(budget.intronic) * weight / intron_weight);
  }
  double genome_bp = 0;
  for (const auto& contig : contigs) genome_bp += static_cast<double>(contig.length_bp);
  intergenic_.assign(contigs.size(), 0);
  for (std::uint32_t c = 0; c < contigs.size(); ++c) {
    intergenic_[c] = draw_poisson(random, static_cast<double>(budget.intergenic) * static_cast<double>(contigs[c].length_bp) / genome_bp);
  }
  draw_multis();
}

void SamplePlanner::draw_multis() {
  const auto& genes = genome_.genes();
  std::vector<double> cumulative(genes.size());
  double total = 0;
  for (std::uint32_t g = 0; g < genes.size(); ++g) cumulative[g] = total += truth_.mean(g, sample_);
  multi_by_contig_.assign(genome_.contigs().size(), {});
  if (total <= 0) return;
  Random random(mix_seed(seed_, kMultiStream));
  const auto n = static_cast<std::size_t>(truth_.budget(sample_).multimappers);
  multis_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    MultiRecipe& multi = multis_[i];
    multi.n_loci = static_cast<std::uint8_t>(2 + random.below(kMaxLoci - 1));
    for (std::uint8_t locus = 0; locus < multi.n_loci; ++locus) {
      // Paralogous hits: every locus is an expressed gene, chosen by expression.
      const double target = random.uniform() * total;
      const auto g = static_cast<std::uint32_t>(
          std::min<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin(),
                                genes.size() - 1));
      FragmentRecipe& recipe = multi.loci[locus];
      recipe.kind = FragmentKind::kMultiLocus;
      recipe.source = g;
      recipe.length_bp = layouter_.draw_length(random, genes[g].length_bp);
      recipe.start = static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(genes[g].length_bp - recipe.length_bp + 1)));
      recipe.seed = random.next();
      multi_by_contig_[genes[g].contig].emplace_back(i, locus);
    }
  }
}

void SamplePlanner::add_gene_fragments(std::uint32_t g, ContigPlan& plan) const {
  const SimGene& gene = genome_.genes()[g];
  Random random(mix_seed(mix_seed(seed_, kExonicStream), g));
  const std::uint32_t n = truth_.count(g, sample_);
  for (std::uint32_t k = 0; k < n; ++k) {
    FragmentRecipe recipe;
    recipe.kind = FragmentKind::kExonic;
    recipe.source = g;
    recipe.length_bp = layouter_.draw_length(random, gene.length_bp);
    recipe.start = static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(gene.length_bp - recipe.length_bp + 1)));
    recipe.duplicates = draw_duplicates(random, options_.duplicate_fraction);
    recipe.seed = random.next();
    plan.recipes.push_back(recipe);
  }
  Random intronic(mix_seed(mix_seed(seed_, kIntronicStream), g));
  const std::int64_t span = gene.span_end - gene.span_start;
  for (std::uint32_t k = 0; k < intronic_[g]; ++k) {
    FragmentRecipe recipe;
    recipe.kind = FragmentKind::kIntronic;
    recipe.source = g;
    recipe.seed = intronic.next();
    recipe.duplicates = draw_duplicates(intronic, options_.duplicate_fraction);
    // Pre-mRNA: the whole fragment inside one intron, so it never touches the gene's exons.
    for (int attempt = 0; attempt < kPlacementAttempts; ++attempt) {
      recipe.length_bp = layouter_.draw_length(intronic, span);
      recipe.start = gene.span_start + static_cast<std::int64_t>(intronic.below(static_cast<std::uint64_t>(span - recipe.length_bp + 1)));
      if (SimGenome::inside_intron(gene, recipe.start, recipe.start + recipe.length_bp)) {
        plan.recipes.push_back(recipe);
        break;
      }
    }
  }
}

void SamplePlanner::add_intergenic_fragments(std::uint32_t c, ContigPlan& plan) const {
  const std::int64_t contig_bp = genome_.contigs()[c].length_bp;
  Random random(mix_seed(mix_seed(seed_, kIntergenicStream), c));
  for (std::uint32_t k = 0; k < intergenic_[c]; ++k) {
    FragmentRecipe recipe;
    recipe.kind = FragmentKind::kIntergenic;
    recipe.source = c;
    recipe.seed = random.next();
    recipe.duplicates = draw_duplicates(random, options_.duplicate_fraction);
    for (int attempt = 0; attempt < kPlacementAttempts; ++attempt) {
      recipe.length_bp = layouter_.draw_length(random, contig_bp);
      recipe.start = static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(contig_bp - recipe.length_bp + 1)));
      if (genome_.intergenic(c, recipe.start, recipe.start + recipe.length_bp)) {
        plan.recipes.push_back(recipe);
        break;
      }
    }
  }
}

void SamplePlanner::add_records(ContigPlan& plan) const {
  // Layouts in parallel into per-thread lists; the total-order sort below makes the result independent of
  // which thread planned what.
  const int n_mates = options_.paired ? 2 : 1;
  tbb::enumerable_thread_specific<std::pair<FragmentLayout, std::vector<RecordPlan>>> local;
  auto add_mates = [n_mates](const FragmentLayout& layout, std::vector<RecordPlan>& out, std::uint32_t index,
                             std::uint8_t copy, std::uint8_t multi) {
    for (int m = 0; m < n_mates; ++m) {
      const MateRecord& mate = layout.mate[m];
      const std::int64_t pos = mate.mapped ? mate.pos : layout.mate[1 - m].pos;
      out.push_back(RecordPlan{pos, index, static_cast<std::uint8_t>(m), copy, multi});
    }
  };
  const auto n_recipes = static_cast<std::uint32_t>(plan.recipes.size());
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n_recipes, 4096), [&](const auto& range) {
    auto& [layout, out] = local.local();
    for (std::uint32_t i = range.begin(); i != range.end(); ++i) {
      layouter_.layout(plan.recipes[i], false, layout);
      for (std::uint8_t copy = 0; copy <= plan.recipes[i].duplicates; ++copy) {
        add_mates(layout, out, i, copy, 0);
        if (layout.supplementary.present) {
          out.push_back(RecordPlan{layout.supplementary.pos, i, static_cast<std::uint8_t>(RecordRole::kSupplementary), copy, 0});
        }
      }
    }
  });
  auto& [layout, out] = local.local();
  for (const auto& [index, locus] : multi_by_contig_[plan.contig]) {
    layouter_.layout(multis_[index].loci[locus], true, layout);
    add_mates(layout, out, index, locus, 1);
  }
  for (auto& [unused, records] : local) {
    plan.records.insert(plan.records.end(), records.begin(), records.end());
  }
  tbb::parallel_sort(plan.records.begin(), plan.records.end(), [](const RecordPlan& a, const RecordPlan& b) {
    return std::tie(a.pos, a.multi, a.index, a.copy, a.role) < std::tie(b.pos, b.multi, b.index, b.copy, b.role);
  });
}

ContigPlan SamplePlanner::plan_contig(std::uint32_t contig) const {
  ContigPlan plan;
  plan.contig = contig;
  for (std::uint32_t g : genes_by_contig_[contig]) add_gene_fragments(g, plan);
  add_intergenic_fragments(contig, plan);
  add_records(plan);
  return plan;
}

void SamplePlanner::tally(const ContigPlan& plan, PlanCounts& counts) {
  for (const FragmentRecipe& recipe : plan.recipes) {
    counts.exonic += recipe.kind == FragmentKind::kExonic;
    counts.intronic += recipe.kind == FragmentKind::kIntronic;
    counts.intergenic += recipe.kind == FragmentKind::kIntergenic;
    counts.duplicates += recipe.duplicates;
  }
  counts.records += plan.records.size();
}

}  // namespace ifnsig::sim
