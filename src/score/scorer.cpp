#include "ifnsig/score/scorer.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/text.hpp"
#include "matrix_methods.hpp"

namespace ifnsig::score {
namespace {

std::string join(const std::vector<std::string>& items, std::size_t limit = 20) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > limit) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

std::string format_or_na(double value) { return std::isfinite(value) ? io::format_double(value) : "NA"; }

std::vector<int> all_panel_rows(const std::vector<MatchedSet>& panels) {
  std::vector<int> rows;
  for (const auto& panel : panels) rows.insert(rows.end(), panel.rows.begin(), panel.rows.end());
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

void require_linear(const ScoreInput& input, const std::vector<int>& rows, const char* method) {
  const matrix::GeneMatrix& matrix = *input.matrix;
  for (int row : rows) {
    for (Eigen::Index j = 0; j < matrix.values.cols(); ++j) {
      if (matrix.values(row, j) < 0) {
        throw InputError(input.source, "gene " + quote_field(matrix.gene_ids[static_cast<std::size_t>(row)]),
                         "negative value in sample " + quote_field(matrix.sample_ids[static_cast<std::size_t>(j)]) +
                             ": method " + method + " needs linear-scale, non-negative expression",
                         "give normalized counts or CPM, not log values");
      }
    }
  }
}

ControlNeed need_of(Method method) {
  switch (method) {
    case Method::kRice: return ControlNeed::kMedian;
    case Method::kModule: return ControlNeed::kMean;
    default: return ControlNeed::kMeanSd;
  }
}

// The sets a control-referenced method can use: genes without a usable control statistic are dropped.
SetRows control_sets(const matrix::GeneMatrix& matrix, const ScoreRun& run, Method method) {
  SetRows sets;
  for (const auto& panel : run.panels) {
    const FilteredSet filtered = filter_for(panel.rows, run.stats, need_of(method));
    if (!filtered.dropped.empty()) {
      std::vector<std::string> names;
      for (int row : filtered.dropped) names.push_back(matrix.gene_ids[static_cast<std::size_t>(row)]);
      log_warning(std::string("panel ") + panel.name + ", method " + method_info(method).name + ": " +
                  std::to_string(names.size()) + " gene(s) left out, their control " +
                  (need_of(method) == ControlNeed::kMedian ? "median is 0"
                   : need_of(method) == ControlNeed::kMean ? "mean is unknown"
                                                           : "SD is 0 or unknown") +
                  ": " + join(names));
    }
    sets.push_back(filtered.rows);
  }
  return sets;
}

SetScores run_method(const matrix::GeneMatrix& matrix, const ScoreRun& run, Method method,
                     const ScoreOptions& options) {
  const Eigen::MatrixXd& x = matrix.values;
  SetRows sets;
  for (const auto& panel : run.panels) sets.push_back(panel.rows);
  switch (method) {
    case Method::kRice: return rice_scores(x, control_sets(matrix, run, method), run.stats);
    case Method::kZscoreControls: return control_zscores(x, control_sets(matrix, run, method), run.stats, false);
    case Method::kZscoreControlsMean: return control_zscores(x, control_sets(matrix, run, method), run.stats, true);
    case Method::kModule: return module_scores(x, control_sets(matrix, run, method), run.stats, options.module);
    case Method::kSingscore: return singscore(x, sets, true);
    case Method::kSingscoreUnknown: return singscore(x, sets, false);
    case Method::kSsgsea: return ssgsea(x, sets, options.ssgsea_alpha, options.ssgsea_normalize);
    case Method::kGsva: return gsva(x, sets, options.gsva);
    case Method::kZscore: return lee_zscore(x, sets);
    case Method::kPlage: return plage(x, sets);
  }
  throw std::logic_error("unhandled method");
}

void check_inputs(const ScoreInput& input, const ScoreOptions& options) {
  const matrix::GeneMatrix& matrix = *input.matrix;
  if (!matrix.values.allFinite()) {
    Eigen::Index n_bad = 0, gene = 0, sample = 0;  // the first is named, sample by sample
    for (Eigen::Index j = 0; j < matrix.values.cols(); ++j) {
      for (Eigen::Index g = 0; g < matrix.values.rows(); ++g) {
        if (std::isfinite(matrix.values(g, j))) continue;
        if (n_bad++ == 0) std::tie(gene, sample) = std::pair(g, j);
      }
    }
    throw InputError(input.source, "",
                     std::to_string(n_bad) + " NA, NaN or infinite values, e.g. gene " +
                         quote_field(matrix.gene_ids[static_cast<std::size_t>(gene)]) + " in sample " +
                         quote_field(matrix.sample_ids[static_cast<std::size_t>(sample)]),
                     "remove or impute them before scoring");
  }
  const bool have_controls = !input.control_columns.empty() || input.reference != nullptr;
  const auto rows = all_panel_rows(input.panels);
  for (Method method : options.methods) {
    const auto& info = method_info(method);
    if (info.needs_controls && !have_controls) {
      throw UsageError(std::string("method ") + info.name + " needs control samples, and no sample has " +
                           input.control_group,
                       "set --group-column/--control to your healthy controls, or give --reference REF.json");
    }
    if (method == Method::kRice || method == Method::kModule) require_linear(input, rows, info.name);
    if (!info.single_sample && matrix.values.cols() < 2) {
      throw UsageError(std::string("method ") + info.name + " standardizes across samples and needs at least 2");
    }
  }
  if (options.gsva.kcdf == Kcdf::kPoisson && matrix.values.minCoeff() < 0 &&
      std::find(options.methods.begin(), options.methods.end(), Method::kGsva) != options.methods.end()) {
    throw InputError(input.source, "", "negative values, but --kcdf poisson needs counts",
                     "use --kcdf gaussian for log-scale expression");
  }
}

Threshold threshold_for(const ScoreInput& input, const ScoreOptions& options, const std::string& panel,
                        Method method, const Eigen::RowVectorXd& scores) {
  Threshold threshold;  // the reference's (with its controls' mean and SD), else the run's controls'
  if (input.reference != nullptr) {
    if (const Threshold* stored = input.reference->find_threshold(panel, method_info(method).name)) {
      threshold = *stored;
      threshold.rule = "reference: " + stored->rule;
    } else {
      threshold.rule = "the reference has no threshold for this panel and method";
    }
  } else {
    std::vector<double> control_scores;
    for (int column : input.control_columns) control_scores.push_back(scores(column));
    threshold = controls_threshold(control_scores, options.threshold_sd);
  }
  if (method == Method::kRice && options.rice_published_threshold) {
    Threshold published = rice_published_threshold();
    published.control_mean = threshold.control_mean;
    published.control_sd = threshold.control_sd;
    return published;
  }
  return threshold;
}

void fill_reference_out(const ScoreInput& input, ScoreRun& run) {
  const matrix::GeneMatrix& matrix = *input.matrix;
  run.reference_out.control_group = input.control_group;
  for (int column : input.control_columns) {
    run.reference_out.control_samples.push_back(matrix.sample_ids[static_cast<std::size_t>(column)]);
  }
  run.reference_out.input_scale = "as given to ifnsig score (linear-scale normalized expression for rice/module)";
  for (int row : all_panel_rows(run.panels)) {
    run.reference_out.genes[matrix.gene_ids[static_cast<std::size_t>(row)]] = run.stats[static_cast<std::size_t>(row)];
  }
}

}  // namespace

const std::vector<MethodInfo>& method_table() {
  static const std::vector<MethodInfo> kTable = {
      {Method::kRice, "rice", true, true, "median over genes of fold change vs the control median (Rice 2013)"},
      {Method::kZscoreControls, "zscore-controls", true, true, "sum over genes of z vs control mean/SD (Kirou/Feng/Kim)"},
      {Method::kZscoreControlsMean, "zscore-controls-mean", true, true, "mean over genes of z vs control mean/SD"},
      {Method::kModule, "module", true, true, "% genes up minus % down vs control mean (Chiche/BloodGen3)"},
      {Method::kSingscore, "singscore", false, true, "singscore, centred, known (up) direction (Foroutan 2018)"},
      {Method::kSingscoreUnknown, "singscore-unknown", false, true, "singscore, unknown direction"},
      {Method::kSsgsea, "ssgsea", false, true,
       "ssGSEA as in GSVA (Barbie 2009); single-sample unless --ssgsea-norm"},
      {Method::kGsva, "gsva", false, false, "GSVA (Hanzelmann 2013): kernel CDF across the cohort"},
      {Method::kZscore, "zscore", false, false, "combined z-score (Lee 2008): genes standardized across the cohort"},
      {Method::kPlage, "plage", false, false, "PLAGE (Tomfohr 2005): first right singular vector across the cohort"},
  };
  return kTable;
}

const MethodInfo& method_info(Method method) {
  for (const auto& info : method_table()) {
    if (info.method == method) return info;
  }
  throw std::logic_error("method missing from the table");
}

Method parse_method(const std::string& name) {
  std::string names;
  for (const auto& info : method_table()) {
    if (name == info.name) return info.method;
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  }
  throw UsageError("unknown method " + quote_field(name), "valid methods: " + names);
}

std::vector<MatchedSet> match_panels(const std::vector<GeneSet>& panels, const GeneMatcher& matcher, int min_genes) {
  std::vector<MatchedSet> matched;
  for (const auto& panel : panels) {
    MatchedSet m = matcher.match(panel);
    if (!m.aliased.empty()) log_info(describe_alias_matches(m));
    if (!m.missing.empty()) {
      log_warning("panel " + panel.name + ": " + std::to_string(m.missing.size()) + " of " +
                  std::to_string(m.n_members) + " genes not in the matrix: " + join(m.missing));
    }
    if (static_cast<int>(m.rows.size()) < min_genes) {
      throw InputError("panel " + quote_field(panel.name), "",
                       "only " + std::to_string(m.rows.size()) + " of " + std::to_string(m.n_members) +
                           " genes found in the matrix (minimum " + std::to_string(min_genes) + ")",
                       "check the gene identifiers (symbols, Ensembl or Entrez ids; --gene-map) or lower --min-genes");
    }
    matched.push_back(std::move(m));
  }
  return matched;
}

ScoreRun run_scores(const ScoreInput& input, const ScoreOptions& options) {
  check_inputs(input, options);
  const matrix::GeneMatrix& matrix = *input.matrix;
  ScoreRun run;
  run.panels = input.panels;
  const auto rows = all_panel_rows(run.panels);
  if (input.reference != nullptr) {
    run.stats = input.reference->stats_for(matrix.gene_ids);
  } else {
    run.stats = control_gene_stats(matrix.values, input.control_columns, rows);
  }
  fill_reference_out(input, run);
  for (Method method : options.methods) {
    const auto& info = method_info(method);
    // normalized ssGSEA divides by the range of the whole run's scores
    const bool single_sample = info.single_sample && !(method == Method::kSsgsea && options.ssgsea_normalize);
    log_info("score: " + std::string(info.name) + " on " + std::to_string(run.panels.size()) +
             (run.panels.size() == 1 ? " panel x " : " panels x ") + std::to_string(matrix.values.cols()) + " samples");
    const SetScores scores = run_method(matrix, run, method, options);
    for (std::size_t p = 0; p < run.panels.size(); ++p) {
      const auto& panel = run.panels[p];
      const int used = scores.n_used[p];
      if (used < options.min_genes) {
        throw InputError("panel " + quote_field(panel.name), "method " + std::string(info.name),
                         "only " + std::to_string(used) + " usable genes (minimum " +
                             std::to_string(options.min_genes) + ")",
                         "genes constant across samples (SD below 1e-10: gsva, zscore, plage) or without a control statistic "
                         "(rice, zscore-controls, module) are left out");
      }
      const Eigen::RowVectorXd set_scores = scores.scores.row(static_cast<Eigen::Index>(p));
      const Threshold threshold = threshold_for(input, options, panel.name, method, set_scores);
      if (!input.control_columns.empty()) {
        // The reference keeps the controls' threshold even when this run calls with the published one.
        std::vector<double> control_scores;
        for (int column : input.control_columns) control_scores.push_back(set_scores(column));
        Threshold saved = controls_threshold(control_scores, options.threshold_sd);
        if (!single_sample) saved.rule += "; cohort-dependent method";
        run.reference_out.thresholds.push_back(ReferenceThreshold{panel.name, info.name, saved, control_scores});
      }
      for (Eigen::Index j = 0; j < set_scores.size(); ++j) {
        ScoreRow row{static_cast<int>(j), panel.name, info.name, set_scores(j), call(set_scores(j), threshold),
                     threshold, used, std::numeric_limits<double>::quiet_NaN()};
        if (scores.dispersion.size() > 0) row.dispersion = scores.dispersion(static_cast<Eigen::Index>(p), j);
        if (!std::isfinite(row.score)) {
          throw InputError("panel " + quote_field(panel.name), "method " + std::string(info.name),
                           "non-finite score for sample " + matrix.sample_ids[static_cast<std::size_t>(j)],
                           "rank methods need genes outside the panel; gsva, zscore and plage need genes that vary");
        }
        run.rows.push_back(std::move(row));
      }
    }
    if (!single_sample && input.reference != nullptr) {
      log_warning(std::string("method ") + info.name +
                  " depends on the samples of this run: its reference threshold is only indicative");
    }
  }
  return run;
}

void write_scores(std::ostream& out, const matrix::GeneMatrix& matrix, const ScoreRun& run) {
  out << "sample\tpanel\tmethod\tscore\tcall\tthreshold\tn_genes_used\tthreshold_rule\tdispersion\n";
  for (const auto& row : run.rows) {
    out << matrix.sample_ids[static_cast<std::size_t>(row.sample)] << '\t' << row.panel << '\t' << row.method << '\t'
        << io::format_double(row.score) << '\t' << row.call << '\t' << format_or_na(row.threshold.value) << '\t'
        << row.n_genes_used << '\t' << row.threshold.rule << '\t' << format_or_na(row.dispersion) << '\n';
  }
}

void write_signature(std::ostream& out, const matrix::GeneMatrix& matrix, const ScoreRun& run) {
  out << "sample\tpanel\tgene\tgene_id\tvalue\treference_median\tfold_change\treference_mean\treference_sd\tz_score\n";
  for (const auto& panel : run.panels) {
    for (std::size_t j = 0; j < matrix.sample_ids.size(); ++j) {
      for (std::size_t g = 0; g < panel.rows.size(); ++g) {
        const int row = panel.rows[g];
        const auto& s = run.stats[static_cast<std::size_t>(row)];
        const double x = matrix.values(row, static_cast<Eigen::Index>(j));
        const double fold = s.known && s.median > 0 ? x / s.median : std::numeric_limits<double>::quiet_NaN();
        const double z = s.known && s.sd > 0 ? (x - s.mean) / s.sd : std::numeric_limits<double>::quiet_NaN();
        out << matrix.sample_ids[j] << '\t' << panel.name << '\t' << panel.symbols[g] << '\t'
            << matrix.gene_ids[static_cast<std::size_t>(row)] << '\t' << io::format_double(x) << '\t'
            << format_or_na(s.median) << '\t' << format_or_na(fold) << '\t' << format_or_na(s.mean) << '\t'
            << format_or_na(s.sd) << '\t' << format_or_na(z) << '\n';
      }
    }
  }
}

void write_panel_genes(std::ostream& out, const matrix::GeneMatrix& matrix, const ScoreRun& run) {
  out << "panel\tgene\tstatus\talias\tgene_id\n";
  for (const auto& panel : run.panels) {
    for (std::size_t g = 0; g < panel.rows.size(); ++g) {
      const auto alias = std::find_if(panel.aliased.begin(), panel.aliased.end(),
                                      [&](const AliasMatch& m) { return m.symbol == panel.symbols[g]; });
      out << panel.name << '\t' << panel.symbols[g] << '\t'
          << (alias != panel.aliased.end() ? "alias\t" + alias->matrix_name : std::string("symbol\tNA")) << '\t'
          << matrix.gene_ids[static_cast<std::size_t>(panel.rows[g])] << '\n';
    }
    for (const auto& symbol : panel.missing) out << panel.name << '\t' << symbol << "\tmissing\tNA\tNA\n";
  }
}

}  // namespace ifnsig::score
