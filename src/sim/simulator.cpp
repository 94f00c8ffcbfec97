#include "ifnsig/sim/simulator.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <unordered_map>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/json_io.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/core/threads.hpp"
#include "ifnsig/core/version.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/score/gene_matcher.hpp"

namespace ifnsig::sim {
namespace {

std::unordered_map<std::string, std::string> gene_names(const annotation::GeneModel& model,
                                                        const std::string& names_file) {
  std::unordered_map<std::string, std::string> names;
  for (const auto& gene : model.genes()) {
    if (!gene.name.empty()) names.emplace(gene.id, gene.name);
  }
  if (!names_file.empty()) {
    for (auto& [id, name] : score::read_gene_map(names_file)) names[id] = name;
  }
  return names;
}

PanelMatch match_panel(const annotation::GeneModel& model, const std::unordered_map<std::string, std::string>& names,
                       const SimulateOptions& options, const score::GeneSet& set, int n_raised) {
  std::vector<std::string> ids;
  for (const auto& gene : model.genes()) ids.push_back(gene.id);
  const score::GeneMatcher matcher(ids, names);
  const score::MatchedSet matched = matcher.match(set);
  PanelMatch panel;
  panel.symbols = matched.symbols;
  panel.missing = matched.missing;
  for (int row : matched.rows) panel.genes.push_back(static_cast<std::uint32_t>(row));
  if (!panel.missing.empty()) {
    log_warning("simulate: panel " + set.name + ": " + std::to_string(panel.missing.size()) + " of " +
                std::to_string(matched.n_members) +
                " genes are not in the annotation: " + io::join(panel.missing, ", "));
  }
  if (panel.genes.empty() && n_raised > 0) {
    throw InputError(options.annotation, "", "none of the genes of panel " + set.name + " is annotated",
                     "panel genes are found by symbol, Entrez or Ensembl id; for other gene ids give --gene-names "
                     "TSV with gene_id and gene_name");
  }
  return panel;
}

void write_matrix(const std::filesystem::path& path, const annotation::GeneModel& model, const CohortTruth& truth,
                  bool means) {
  AtomicFile file(path);
  auto& out = file.stream();
  out << "gene_id";
  for (const auto& id : truth.sample_ids()) out << '\t' << id;
  out << '\n';
  out << std::setprecision(6);
  for (std::size_t g = 0; g < truth.n_genes(); ++g) {
    out << model.genes()[g].id;
    for (std::size_t j = 0; j < truth.n_samples(); ++j) {
      if (means) {
        out << '\t' << truth.mean(g, j);
      } else {
        out << '\t' << truth.count(g, j);
      }
    }
    out << '\n';
  }
  file.commit();
}

void write_gene_table(const std::filesystem::path& path, const annotation::GeneModel& model, const SimGenome& genome,
                      const CohortTruth& truth, const std::unordered_map<std::string, std::string>& names) {
  AtomicFile file(path);
  auto& out = file.stream();
  out << "gene_id\tgene_name\tcontig\tstrand\tlength\tbase_mean\tdispersion\tpanel\tisolated\n" << std::setprecision(6);
  for (std::size_t g = 0; g < truth.n_genes(); ++g) {
    const auto& info = model.genes()[g];
    const SimGene& gene = genome.genes()[g];
    const auto name = names.find(info.id);
    out << info.id << '\t' << (name == names.end() ? "" : name->second) << '\t' << genome.contigs()[gene.contig].name
        << '\t' << annotation::strand_char(gene.strand) << '\t' << gene.length_bp << '\t' << truth.base_mean(g) << '\t'
        << truth.dispersion(g) << '\t'
        << (truth.panel(g)          ? "yes"
            : truth.second_panel(g) ? "second"
                                    : "no")
        << '\t' << (genome.isolated(static_cast<std::uint32_t>(g)) ? "yes" : "no") << '\n';
  }
  file.commit();
}

void write_sheet(const std::filesystem::path& path, const CohortTruth& truth, const SimulateOptions& options) {
  AtomicFile file(path);
  auto& out = file.stream();
  out << "sample\tbam\tgroup\tpaired\tstrand\n";
  for (std::size_t j = 0; j < truth.n_samples(); ++j) {
    out << truth.sample_ids()[j] << '\t' << truth.sample_ids()[j] << ".bam\t"
        << (truth.ifn_high(j) ? "patient" : "control") << '\t' << (options.paired ? "yes" : "no") << '\t'
        << library_strand_name(options.strand) << '\n';
  }
  file.commit();
}

void write_report(const std::filesystem::path& path, const SimulateOptions& options, const CohortTruth& truth,
                  const SimulationResult& result) {
  nlohmann::ordered_json json;
  json["ifnsig"] = ifnsig_version();
  json["parameters"] = options.describe();
  json["annotation"] = options.annotation;
  json["panel"] = {{"name", options.panel.name}, {"found", result.panel.symbols}, {"missing", result.panel.missing}};
  if (options.n_second_high > 0) {
    json["second_panel"] = {{"name", options.second_panel.name},
                            {"found", result.second_panel.symbols},
                            {"missing", result.second_panel.missing}};
  }
  for (std::size_t j = 0; j < truth.n_samples(); ++j) {
    const PlanCounts& c = result.samples[j];
    json["samples"].push_back({{"sample", truth.sample_ids()[j]},
                               {"ifn_high", truth.ifn_high(j)},
                               {"raised", truth.raised(j) == CohortTruth::kFirstPanel    ? options.panel.name
                                          : truth.raised(j) == CohortTruth::kSecondPanel ? options.second_panel.name
                                                                                          : std::string("none")},
                               {"fragments", truth.budget(j).pairs},
                               {"exonic", c.exonic},
                               {"intronic", c.intronic},
                               {"intergenic", c.intergenic},
                               {"multimappers", c.multimappers},
                               {"duplicate_copies", c.duplicates},
                               {"records", c.records}});
  }
  AtomicFile file(path);
  file.stream() << json_text(json, 2) << '\n';
  file.commit();
}

}  // namespace

SimulationResult simulate_cohort(const SimulateOptions& options) {
  options.validate();
  const auto started = std::chrono::steady_clock::now();
  const annotation::GeneModel model = annotation::GeneModel::read(options.annotation, options.annotation_options);
  const SimGenome genome(model);
  const auto names = gene_names(model, options.gene_names);
  SimulationResult result;
  result.panel = match_panel(model, names, options, options.panel, options.n_ifn_high);
  std::vector<std::uint8_t> panel_genes(model.genes().size(), 0);
  for (std::uint32_t g : result.panel.genes) panel_genes[g] |= CohortTruth::kFirstPanel;
  if (options.n_second_high > 0) {
    result.second_panel = match_panel(model, names, options, options.second_panel, options.n_second_high);
    for (std::uint32_t g : result.second_panel.genes) panel_genes[g] |= CohortTruth::kSecondPanel;
  }
  const CohortTruth truth = draw_cohort(genome, options, panel_genes);
  const std::filesystem::path dir(options.output_dir);
  std::filesystem::create_directories(dir);

  // Record building and BGZF compression take similar CPU; HTSlib's pool threads only wake for full blocks, so
  // with more than one thread TBB gets the whole budget and HTSlib one thread fewer.
  const int htslib_threads = options.threads - 1;
  const int tbb_threads = options.threads;
  const ThreadScope scope(tbb_threads);
  const FragmentLayouter layouter(genome, options);
  for (std::size_t j = 0; j < truth.n_samples(); ++j) {
    const SamplePlanner planner(genome, options, layouter, truth, j);
    SampleOutput output{&genome, &options, &layouter, &planner, truth.sample_ids()[j],
                        (dir / (truth.sample_ids()[j] + ".bam")).string(), tbb_threads, htslib_threads};
    result.samples.push_back(write_sample_bam(output));
  }
  write_sheet(dir / "samples.tsv", truth, options);
  write_matrix(dir / "truth_counts.tsv", model, truth, false);
  write_matrix(dir / "truth_expression.tsv", model, truth, true);
  write_gene_table(dir / "truth_genes.tsv", model, genome, truth, names);
  write_report(dir / "simulation.json", options, truth, result);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace ifnsig::sim
