// count -> normalize -> score from C++: what `ifnsig run` does for a cohort, in memory, through the stage
// API (docs/DESIGN.md shows this file). Usage: stages ANNOTATION.gtf PANEL_DIR CONTROLS BAM...
// The first CONTROLS BAMs are the control group; prints sample, panel, method, score and call.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/count/count_matrix.hpp"
#include "ifnsig/norm/normalize.hpp"
#include "ifnsig/score/panel_scores.hpp"

int main(int argc, char** argv) try {
  using namespace ifnsig;
  if (argc < 5) return std::cerr << "usage: stages ANNOTATION PANEL_DIR CONTROLS BAM...\n", 2;
  // Count: featureCounts' rules (-p --countReadPairs, reverse-stranded) on two threads; `options` is also
  // the Execution (two cores) the other stages run on.
  count::CountOptions options;
  options.paired = options.count_fragments = true;
  options.strandedness = {count::Strandedness::kReverse};
  options.threads = 2;
  options.validate(1);
  const annotation::GeneModel model = annotation::GeneModel::read(argv[1], options.annotation);
  const annotation::FeatureIndex index(model, options.feature_level, options.threads);
  std::vector<count::FileCounts> files;
  for (int i = 4; i < argc; ++i) {
    files.push_back(count::count_file(argv[i], model, index, options, count::Strandedness::kReverse));
  }
  // Normalize: DESeq2's median-of-ratios normalized counts (the default rules), fitted on these samples.
  norm::NormalizeInput input;
  input.counts = count::to_count_table(model, files, options.fraction);
  const norm::Normalized normalized =
      norm::normalize_counts(std::move(input), norm::NormalizeRules{}, options, "stages example");
  // Score: the rice6 panel (its published method) against the control group, matched by gene id or gene_name.
  score::ScoreSetup scoring;
  scoring.panels = score::resolve_panels({"rice6"}, argv[2]);
  for (const auto& gene : model.genes()) scoring.gene_map.emplace(gene.id, gene.name);
  for (int c = 0; c < std::atoi(argv[3]); ++c) scoring.control_columns.push_back(c);
  scoring.control_group = "the first " + std::string(argv[3]) + " samples";
  const score::ScoredPanels scores = score::score_panels(normalized.values, scoring, options);
  score::write_scores(std::cout, normalized.values, scores.run);
  return 0;
} catch (const std::exception& error) {
  std::cerr << "stages: " << error.what() << '\n';
  return 1;
}
