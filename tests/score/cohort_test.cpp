// The real whole-blood cohort (../shared/data/tb_hiv, controls = hiv_only): how well the methods' scores on
// the Rice genes agree (Spearman, table printed), and results identical at 1 and 2 threads.
#include <tbb/global_control.h>

#include <cmath>
#include <cstdio>
#include <tuple>
#include <utility>

#include "ifnsig/io/sample_sheet.hpp"
#include "ifnsig/norm/size_factors.hpp"
#include "ifnsig/norm/transforms.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/scorer.hpp"
#include "score/stats.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

const std::string kCohort = std::string(IFNSIG_SHARED_DATA) + "/tb_hiv/";

// One input scale for the linear methods (rice, module) and one for the others.
struct Scales {
  matrix::GeneMatrix linear;
  matrix::GeneMatrix log;
};

struct Cohort {
  Scales library_cpm;    // CPM = count / library size * 1e6, logCPM = log2(CPM + 1)
  Scales median_ratio;   // ifnsig normalize's default: DESeq2 median-of-ratios counts, and log2(count + 1)
  std::vector<int> controls;
  std::vector<MatchedSet> rice;
};

matrix::GeneMatrix with_values(const matrix::GeneMatrix& like, Eigen::MatrixXd values) {
  matrix::GeneMatrix out;
  out.gene_ids = like.gene_ids;
  out.sample_ids = like.sample_ids;
  out.values = std::move(values);
  return out;
}

Scales log2_scales(const matrix::GeneMatrix& counts, Eigen::MatrixXd linear) {
  Eigen::MatrixXd log = linear;
  norm::log2_in_place(log, 1.0);
  return {with_values(counts, std::move(linear)), with_values(counts, std::move(log))};
}

const Cohort& cohort() {
  static const Cohort c = [] {
    Cohort out;
    const matrix::GeneMatrix counts = matrix::GeneMatrix::read_plain(kCohort + "TB_hiv_counts.tsv");
    const Eigen::RowVectorXd library = counts.values.colwise().sum();
    std::vector<double> library_sizes(library.begin(), library.end());
    out.library_cpm = log2_scales(counts, norm::cpm(counts.values, library_sizes));
    norm::SampleFactors factors;
    norm::fit_factors(counts.values, norm::FactorOptions{}, counts.gene_ids, counts.sample_ids, &factors);
    out.median_ratio = log2_scales(counts, norm::normalized_counts(counts.values, factors.size_factor));
    const auto sheet = io::SampleSheet::read(kCohort + "TB_hiv_coldata.tsv");
    const auto rows = sheet.match(counts.sample_ids, "counts");
    for (std::size_t j = 0; j < rows.size(); ++j) {
      if (sheet.value(rows[j], "Disease") == "hiv_only") out.controls.push_back(static_cast<int>(j));
    }
    const auto panels = resolve_panels({"rice6"}, std::filesystem::path(IFNSIG_DATA_DIR) / "panels");
    out.rice = match_panels(panels, GeneMatcher(counts.gene_ids, {}), 6);
    return out;
  }();
  return c;
}

std::vector<double> scores_of(const matrix::GeneMatrix& matrix, Method method) {
  ScoreInput input;
  input.matrix = &matrix;
  input.panels = cohort().rice;
  input.control_columns = cohort().controls;
  ScoreOptions options;
  options.methods = {method};
  std::vector<double> out;
  for (const auto& row : run_scores(input, options).rows) out.push_back(row.score);
  return out;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> ra;
  std::vector<double> rb;
  rank(a, TieMethod::kAverage, ra);
  rank(b, TieMethod::kAverage, rb);
  const double ma = mean(ra);
  const double mb = mean(rb);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

bool ranks_within_sample(const std::string& method) {
  return method == "singscore" || method == "singscore-unknown" || method == "ssgsea";
}

// Every method's Rice score on one input scale (linear methods on `linear`, the others on `log`), and the
// Spearman correlation of every pair, printed as a table.
std::vector<std::tuple<std::string, std::string, double>> agreement(const Scales& scales, const char* title) {
  std::vector<std::pair<std::string, std::vector<double>>> all;
  for (const auto& info : method_table()) {
    const bool linear = info.method == Method::kRice || info.method == Method::kModule;
    all.emplace_back(info.name, scores_of(linear ? scales.linear : scales.log, info.method));
  }
  std::printf("Spearman, Rice genes, %s\n%-24s", title, "");
  for (std::size_t i = 0; i < all.size(); ++i) std::printf(" %6zu", i + 1);
  std::printf("\n");
  std::vector<std::tuple<std::string, std::string, double>> pairs;
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::printf("%2zu %-21s", i + 1, all[i].first.c_str());
    for (std::size_t j = 0; j < all.size(); ++j) {
      const double rho = spearman(all[i].second, all[j].second);
      std::printf(" %6.3f", rho);
      if (j > i) pairs.emplace_back(all[i].first, all[j].first, rho);
    }
    std::printf("\n");
  }
  return pairs;
}

// Normalized input (what `ifnsig normalize` gives by default): every method agrees at >= 0.9, except the
// rank-within-sample methods (singscore, singscore-unknown, ssgsea) against the control-referenced and
// cohort-standardized ones, measured at 0.83-0.89: a gene's rank among the ~25,000 genes of its own sample
// follows its normalized level across samples only at Spearman 0.82-0.99 (docs/score.md).
TEST(Cohort, MethodsAgreeOnTheRiceGenesOfNormalizedInput) {
  ASSERT_EQ(cohort().controls.size(), 16u);
  for (const auto& [a, b, rho] : agreement(cohort().median_ratio, "median-of-ratios counts / log2(count + 1)")) {
    const bool rank_vs_reference = ranks_within_sample(a) != ranks_within_sample(b) && a != "gsva" && b != "gsva";
    const double floor = rank_vs_reference ? 0.83 : 0.9;
    EXPECT_GE(rho, floor) << a << " vs " << b;
  }
}

// Library-size CPM carries whole blood's globin share (1% to 84% of the reads here) into every other gene's
// value; gsva then agrees with the control-referenced methods at only 0.80-0.81 (0.96-0.98 once normalized).
TEST(Cohort, LibrarySizeCpmIsSkewedByGlobin) {
  double gsva_vs_rice = 0;
  for (const auto& [a, b, rho] : agreement(cohort().library_cpm, "library-size CPM / log2(CPM + 1)")) {
    if ((a == "rice" && b == "gsva") || (a == "gsva" && b == "rice")) gsva_vs_rice = rho;
  }
  EXPECT_LT(gsva_vs_rice, 0.9);
}

TEST(Cohort, IdenticalResultsAtOneAndTwoThreads) {
  const matrix::GeneMatrix& log_cpm = cohort().library_cpm.log;
  const auto panels = resolve_panels({"hallmark_ifna", "hallmark_ifng", "rice6"},
                                     std::filesystem::path(IFNSIG_DATA_DIR) / "panels");
  SetRows sets;
  GeneMatcher matcher(log_cpm.gene_ids, {});
  for (const auto& p : panels) sets.push_back(matcher.match(p).rows);
  auto run = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    Eigen::MatrixXd out(3 * static_cast<Eigen::Index>(sets.size()), log_cpm.values.cols());
    out << gsva(log_cpm.values, sets, {}).scores, ssgsea(log_cpm.values, sets, 0.25, true).scores,
        singscore(log_cpm.values, sets, true).scores;
    return out;
  };
  const Eigen::MatrixXd one = run(1);
  const Eigen::MatrixXd two = run(2);
  EXPECT_TRUE((one.array() == two.array()).all());
}

}  // namespace
}  // namespace ifnsig::score
