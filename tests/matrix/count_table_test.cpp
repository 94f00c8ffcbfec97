#include "ifnsig/matrix/count_table.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::matrix {
namespace {

const std::string kDir = std::string(IFNSIG_FIXTURES) + "/norm/";

TEST(CountTable, FeatureCountsKeepsAnnotationAndUsesBamBasenames) {
  const auto table = read_count_table(kDir + "featurecounts.txt");
  EXPECT_EQ(table.counts.sample_ids, (std::vector<std::string>{"A", "B.sorted"}));
  EXPECT_EQ(table.annotation_columns,
            (std::vector<std::string>{"Chr", "Start", "End", "Strand", "Length", "gene_name", "gene_type"}));
  EXPECT_EQ(table.lengths_bp, (std::vector<double>{202, 1000, 100, 400}));
  EXPECT_EQ(table.annotation[5][0], "ISG15");
  EXPECT_EQ(table.counts.values(3, 1), 44);
}

TEST(CountTable, HtseqDropsSpecialRowsAndMergesByGene) {
  std::vector<CountTable> parts;
  parts.push_back(read_count_table(kDir + "C.counts.txt"));
  parts.push_back(read_count_table(kDir + "D.counts.txt"));
  const auto merged = merge_count_tables(std::move(parts));
  EXPECT_EQ(merged.counts.gene_ids, (std::vector<std::string>{"G1", "G2", "G3", "G4"}));
  EXPECT_EQ(merged.counts.sample_ids, (std::vector<std::string>{"C.counts", "D.counts"}));
  EXPECT_EQ(merged.counts.values(3, 1), 25);
}

TEST(CountTable, PlainCsvAndDuplicates) {
  EXPECT_EQ(detect_count_format(kDir + "plain.csv"), CountFormat::kPlain);
  EXPECT_EQ(read_count_table(kDir + "plain.csv").counts.values(1, 1), 1);
  EXPECT_THROW(read_count_table(kDir + "duplicated_gene.tsv"), InputError);
  EXPECT_THROW(read_count_table(kDir + "duplicated_sample.tsv"), InputError);
}

// Columns before the first number of the first gene row are annotation, like `description` here; S1's first
// value is not a number, and S1 must not be dropped as annotation for it.
TEST(CountTable, SampleWithABadFirstValueIsAnErrorNotAnnotation) {
  try {
    read_count_table(kDir + "bad_first_count.tsv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("bad_first_count.tsv"), std::string::npos) << message;
    EXPECT_NE(message.find("line 2"), std::string::npos) << message;
    EXPECT_NE(message.find("column 'S1' holds numbers on 2 of 3 gene rows but '1.5x'"), std::string::npos) << message;
  }
}

TEST(CountTable, TextColumnsBeforeTheCountsAreAnnotation) {
  const std::string path = ::testing::TempDir() + "description.tsv";
  std::ofstream(path) << "gene_id\tdescription\tS1\nG1\tinterferon alpha inducible\t4\nG2\t7\t5\nG3\tMX1\t6\n";
  const auto table = read_count_table(path);
  EXPECT_EQ(table.annotation_columns, (std::vector<std::string>{"description"}));
  EXPECT_EQ(table.counts.sample_ids, (std::vector<std::string>{"S1"}));
}

TEST(CountTable, SampleIdsFromPaths) {
  EXPECT_EQ(sample_id_from_path("/x/y/s1.bam", true), "s1");
  EXPECT_EQ(sample_id_from_path("s1.cram", true), "s1");
  EXPECT_EQ(sample_id_from_path("s1.counts.txt.gz", false), "s1.counts");
}

}  // namespace
}  // namespace ifnsig::matrix

namespace ifnsig::matrix {
namespace {

TEST(GeneMatrix, NfCoreAnnotationColumnsAreNotSamples) {
  const std::string path = ::testing::TempDir() + "nfcore_gene_tpm.tsv";
  std::ofstream(path) << "gene_id\tgene_name\tS1\tS2\nG1\tISG15\t1.5\t2\nG2\tIFI27\t0\t3.25\n";
  std::vector<std::string> names;
  const GeneMatrix m = GeneMatrix::read_plain(path, &names);
  EXPECT_EQ(m.sample_ids, (std::vector<std::string>{"S1", "S2"}));
  EXPECT_EQ(names, (std::vector<std::string>{"ISG15", "IFI27"}));
  EXPECT_EQ(m.values(1, 1), 3.25);
  std::ofstream(path) << "gene_id\ttranscript_id(s)\tS1\nG1\tT1,T2\t4\n";
  EXPECT_EQ(GeneMatrix::read_plain(path, &names).sample_ids, (std::vector<std::string>{"S1"}));
  EXPECT_TRUE(names.empty());
  const auto table = read_count_table(path);  // normalize's reader agrees
  EXPECT_EQ(table.counts.sample_ids, (std::vector<std::string>{"S1"}));
  EXPECT_EQ(table.annotation_columns, (std::vector<std::string>{"transcript_id(s)"}));
}

}  // namespace
}  // namespace ifnsig::matrix
