#include "ifnsig/quant/tximport.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::quant {
namespace {

namespace fs = std::filesystem;

class QuantFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ifnsig_quant_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  fs::path dir_;
};

constexpr const char* kSalmonHeader = "Name\tLength\tEffectiveLength\tTPM\tNumReads\n";

TEST_F(QuantFiles, RecognisesEachQuantifierByItsHeader) {
  EXPECT_EQ(detect_quantifier(write("a/quant.sf", std::string(kSalmonHeader) + "t1\t10\t5.000\t1.0\t2.000\n")),
            Quantifier::kSalmon);
  EXPECT_EQ(detect_quantifier(write("b/abundance.tsv", "target_id\tlength\teff_length\test_counts\ttpm\nt1\t10\t5\t2\t1\n")),
            Quantifier::kKallisto);
  EXPECT_EQ(detect_quantifier(write("c.genes.results", "gene_id\ttranscript_id(s)\tlength\teffective_length\t"
                                                       "expected_count\tTPM\tFPKM\nG\tt1\t10\t5\t2\t1\t1\n")),
            Quantifier::kRsemGenes);
  EXPECT_EQ(detect_quantifier(write("c.isoforms.results", "transcript_id\tgene_id\tlength\teffective_length\t"
                                                          "expected_count\tTPM\tFPKM\tIsoPct\nt1\tG\t10\t5\t2\t1\t1\t100\n")),
            Quantifier::kRsemTranscripts);
  EXPECT_EQ(detect_quantifier(write("d/ReadsPerGene.out.tab", "N_unmapped\t1\t1\t1\nG\t3\t0\t3\n")), Quantifier::kStar);
  EXPECT_THROW(detect_quantifier(write("e.tsv", "gene_id\tS1\nG\t3\n")), InputError);
}

TEST_F(QuantFiles, SampleIdsFromDirectoriesAndPrefixes) {
  EXPECT_EQ(quant_sample_id("results/salmon/P1/quant.sf"), "P1");
  EXPECT_EQ(quant_sample_id("kallisto/P2/abundance.tsv.gz"), "P2");
  EXPECT_EQ(quant_sample_id("rsem/P3.genes.results"), "P3");
  EXPECT_EQ(quant_sample_id("star/P4.ReadsPerGene.out.tab"), "P4");
  EXPECT_EQ(quant_sample_id("star/P5_ReadsPerGene.out.tab"), "P5");
  EXPECT_EQ(quant_sample_id("star/P6/ReadsPerGene.out.tab"), "P6");
}

TEST_F(QuantFiles, BadRowsNameTheFileAndLine) {
  const auto ragged = write("r/quant.sf", std::string(kSalmonHeader) + "t1\t10\t5.000\t1.0\n");
  try {
    read_quant_file(ragged);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "line 2");
    EXPECT_NE(e.problem().find("4 tab-separated fields where the header has 5"), std::string::npos);
  }
  EXPECT_THROW(read_quant_file(write("n/quant.sf", std::string(kSalmonHeader) + "t1\t10\t5.000\t1.0\t-2\n")), InputError);
  EXPECT_THROW(read_quant_file(write("s/ReadsPerGene.out.tab", "N_unmapped\t1\t1\t1\nG\t3.5\t0\t3\n")), InputError);
}

Tx2Gene two_genes() {
  Tx2Gene t;
  t.source = "tx2gene.tsv";
  t.gene_of = {{"a1", "A"}, {"a2", "A"}, {"b1", "B"}};
  t.gene_name = {{"A", "ALPHA"}};
  return t;
}

QuantFile salmon(const std::string& sample, std::vector<double> tpm, std::vector<double> counts, std::vector<double> length) {
  QuantFile f;
  f.path = sample + "/quant.sf";
  f.sample_id = sample;
  f.ids = {"b1", "a1", "a2"};
  f.abundance = std::move(tpm);
  f.counts = std::move(counts);
  f.length = std::move(length);
  return f;
}

TEST(Tximport, SumsTranscriptsAndWeightsLengthsByAbundance) {
  const std::vector<QuantFile> files = {salmon("S1", {5, 10, 30}, {1, 5, 45}, {50, 100, 300}),
                                        salmon("S2", {5, 0, 0}, {2, 0, 0}, {60, 120, 280}),
                                        salmon("S3", {2, 20, 20}, {1, 10, 30}, {40, 100, 200})};
  const Tx2Gene t = two_genes();
  const GeneQuant q = import_quant(files, &t, {});
  ASSERT_EQ(q.counts.counts.gene_ids, (std::vector<std::string>{"A", "B"}));  // rowsum's sorted order
  EXPECT_EQ(q.counts.annotation_columns, (std::vector<std::string>{"gene_name"}));
  EXPECT_EQ(q.counts.annotation[0], (std::vector<std::string>{"ALPHA", ""}));
  EXPECT_EQ(q.counts.counts.values(0, 0), 50);
  EXPECT_EQ(q.abundance(0, 2), 40);
  EXPECT_DOUBLE_EQ(q.length(0, 0), (10.0 * 100 + 30.0 * 300) / 40);
  EXPECT_DOUBLE_EQ(q.length(0, 2), (20.0 * 100 + 20.0 * 200) / 40);
  // No abundance for A in S2: the geometric mean of its lengths in the other samples.
  EXPECT_NEAR(q.length(0, 1), std::sqrt(q.length(0, 0) * q.length(0, 2)), 1e-12);
  EXPECT_DOUBLE_EQ(q.length(1, 1), 60);
}

TEST(Tximport, GeneWithoutAbundanceAnywhereGetsTheMeanTranscriptLength) {
  const std::vector<QuantFile> files = {salmon("S1", {5, 0, 0}, {1, 0, 0}, {50, 100, 300}),
                                        salmon("S2", {5, 0, 0}, {2, 0, 0}, {60, 120, 280})};
  const Tx2Gene t = two_genes();
  const GeneQuant q = import_quant(files, &t, {});
  EXPECT_DOUBLE_EQ(q.length(0, 0), ((100.0 + 120) / 2 + (300.0 + 280) / 2) / 2);
  EXPECT_DOUBLE_EQ(q.length(0, 1), q.length(0, 0));
}

TEST(Tximport, CountsFromAbundanceKeepEachSamplesTotal) {
  const std::vector<QuantFile> files = {salmon("S1", {5, 10, 30}, {1, 5, 45}, {50, 100, 300}),
                                        salmon("S2", {50, 10, 10}, {20, 3, 7}, {60, 120, 280})};
  const Tx2Gene t = two_genes();
  for (const auto mode : {CountsFromAbundance::kScaledTpm, CountsFromAbundance::kLengthScaledTpm}) {
    const GeneQuant q = import_quant(files, &t, {mode, std::nullopt});
    EXPECT_NEAR(q.counts.counts.values.col(0).sum(), 51, 1e-12);
    EXPECT_NEAR(q.counts.counts.values.col(1).sum(), 30, 1e-12);
    const double ratio = q.counts.counts.values(0, 0) / q.counts.counts.values(1, 0);
    const double expected = mode == CountsFromAbundance::kScaledTpm
                                ? 40.0 / 5
                                : 40.0 * (q.length(0, 0) + q.length(0, 1)) / (5 * (q.length(1, 0) + q.length(1, 1)));
    EXPECT_NEAR(ratio, expected, 1e-12);
  }
}

TEST(Tximport, RefusesMissingTranscriptsMixedToolsAndOtherRows) {
  Tx2Gene t = two_genes();
  t.gene_of.erase("a2");
  const std::vector<QuantFile> files = {salmon("S1", {5, 10, 30}, {1, 5, 45}, {50, 100, 300})};
  try {
    import_quant(files, &t, {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "S1/quant.sf");
    EXPECT_NE(e.problem().find("1 of its 3 transcripts are not in tx2gene.tsv: 'a2'"), std::string::npos);
  }
  const Tx2Gene full = two_genes();
  auto other = files;
  other.push_back(salmon("S2", {1, 1, 1}, {1, 1, 1}, {1, 1, 1}));
  other.back().quantifier = Quantifier::kKallisto;
  EXPECT_THROW(import_quant(other, &full, {}), InputError);
  other.back().quantifier = Quantifier::kSalmon;
  std::swap(other.back().ids[0], other.back().ids[1]);
  EXPECT_THROW(import_quant(other, &full, {}), InputError);
  other.back().ids = other.front().ids;
  other.back().sample_id = "S1";
  EXPECT_THROW(import_quant(other, &full, {}), InputError);
  EXPECT_THROW(import_quant(files, nullptr, {}), UsageError);
}

QuantFile star(double forward, double reverse) {
  QuantFile f;
  f.path = "S/ReadsPerGene.out.tab";
  f.sample_id = "S";
  f.quantifier = Quantifier::kStar;
  f.ids = {"G1", "G2"};
  f.star_columns[0] = {forward + reverse, 0};
  f.star_columns[1] = {forward, 0};
  f.star_columns[2] = {reverse, 0};
  return f;
}

TEST(Tximport, StarColumnInferredAsCountInfersStrandedness) {
  EXPECT_EQ(infer_star_strand(star(80, 20)), 1);
  EXPECT_EQ(infer_star_strand(star(20, 80)), 2);
  EXPECT_EQ(infer_star_strand(star(54, 46)), 0);
  EXPECT_THROW(infer_star_strand(star(70, 30)), InputError);
  EXPECT_THROW(infer_star_strand(star(20, 20)), InputError);  // too few reads
  const GeneQuant q = import_quant({star(10, 90)}, nullptr, {CountsFromAbundance::kNo, 1});
  EXPECT_EQ(q.star_strand, (std::vector<int>{1}));
  EXPECT_EQ(q.counts.counts.values(0, 0), 10);
  EXPECT_EQ(length_offsets(q).size(), 0);
}

TEST_F(QuantFiles, Tx2GeneFromTsvOrGtf) {
  const auto tsv = read_tx2gene(write("t2g.tsv", "transcript_id\tgene_id\tgene_name\nt1\tG1\tONE\nt2\tG1\tONE\n"));
  EXPECT_EQ(tsv.gene_of.at("t2"), "G1");
  EXPECT_EQ(tsv.gene_name.at("G1"), "ONE");
  EXPECT_THROW(read_tx2gene(write("bad.tsv", "t1\tG1\nt1\tG2\n")), InputError);
  const auto gtf = read_tx2gene(write("g.gtf", "c\tx\texon\t1\t10\t.\t+\t.\tgene_id \"G1\"; transcript_id \"t1\"; gene_name \"ONE\";\n"
                                              "c\tx\texon\t20\t30\t.\t+\t.\tgene_id \"G1\"; transcript_id \"t2\";\n"
                                              "c\tx\tgene\t1\t30\t.\t+\t.\tgene_id \"G1\";\n"));
  EXPECT_EQ(gtf.gene_of.size(), 2U);
  EXPECT_EQ(gtf.gene_of.at("t2"), "G1");
  EXPECT_EQ(gtf.gene_name.at("G1"), "ONE");
}

}  // namespace
}  // namespace ifnsig::quant

namespace ifnsig::quant {
namespace {

TEST_F(QuantFiles, DirectoryOfOneToolOnly) {
  write("P1/quant.sf", std::string(kSalmonHeader) + "t1\t10\t5.000\t1.0\t2.000\n");
  write("P2/quant.sf", std::string(kSalmonHeader) + "t1\t10\t5.000\t1.0\t2.000\n");
  EXPECT_EQ(find_quant_files(dir_.string()).size(), 2U);
  write("log/P1.ReadsPerGene.out.tab", "N_unmapped\t1\t1\t1\nG\t3\t0\t3\n");
  try {
    find_quant_files(dir_.string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(e.problem().find("1 STAR ReadsPerGene.out.tab, 2 salmon quant.sf"), std::string::npos);
  }
  EXPECT_EQ(find_quant_files((dir_ / "log").string()).size(), 1U);
}

}  // namespace
}  // namespace ifnsig::quant
