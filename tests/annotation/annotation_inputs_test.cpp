// Annotation lines as featureCounts 2.0.3 reads them: GTF/GFF3 attribute columns and SAF lines
// (tests/compare/count_fc_inputs.sh compares the resulting counts with featureCounts itself).
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <fstream>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/core/error.hpp"

namespace {

namespace fs = std::filesystem;

// Writes `text` to a file named `name` in a directory of this test, and returns its path.
std::string write_file(const std::string& name, const std::string& text) {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::temp_directory_path() / ("ifnsig_annotation_inputs_" + std::to_string(::getpid())) /
                       (std::string(info->test_suite_name()) + "." + info->name());
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string gtf_line(const std::string& attributes, const std::string& start = "100") {
  return "chr1\tt\texon\t" + start + "\t200\t.\t+\t.\t" + attributes + "\n";
}

// The InputError's message (file, line and problem) from reading `path`; empty when it reads.
std::string read_error(const std::string& path, const ifnsig::annotation::AnnotationOptions& options = {}) {
  try {
    ifnsig::annotation::GeneModel::read(path, options);
  } catch (const ifnsig::InputError& error) {
    return error.what();
  }
  return {};
}

std::vector<std::string> gene_ids(const ifnsig::annotation::GeneModel& model) {
  std::vector<std::string> ids;
  for (const auto& gene : model.genes()) ids.push_back(gene.id);
  return ids;
}

TEST(GtfAttributes, UnterminatedQuoteNamesFileAndLine) {
  const auto path = write_file("a.gtf", gtf_line("gene_id \"B\";") + gtf_line("gene_id \"A; transcript_id \"T1\";"));
  const std::string error = read_error(path);
  EXPECT_NE(error.find(path + ":line 2:"), std::string::npos) << error;
  // The quote before T1 closes gene_id's value: what follows it shows the quote missing.
  EXPECT_NE(error.find("the quoted value of 'gene_id', 'A; transcript_id', is followed by 'T1\";', not by ';' "
                       "(is a quote or a ';' missing?)"),
            std::string::npos)
      << error;
}

TEST(GtfAttributes, UnterminatedQuoteAtTheEnd) {
  EXPECT_NE(read_error(write_file("a.gtf", gtf_line("gene_id \"A"))).find("line 1: cannot read the attribute column"),
            std::string::npos);
}

TEST(GtfAttributes, MissingOrEmptyGeneIdOnACountedLine) {
  for (const std::string attributes : {"transcript_id \"T\";", "gene_id \"\";"}) {
    const auto path = write_file("a.gtf", gtf_line("gene_id \"B\";") + gtf_line(attributes));
    const std::string error = read_error(path);
    EXPECT_NE(error.find(path + ":line 2: the 'exon' feature has no 'gene_id'"), std::string::npos) << error;
  }
}

TEST(GtfAttributes, BrokenAttributesOfUncountedLinesAreNotRead) {
  const auto path = write_file("a.gtf", "chr1\tt\tgene\t100\t200\t.\t+\t.\tgene_id \"A\n" + gtf_line("gene_id \"A\";"));
  EXPECT_EQ(gene_ids(ifnsig::annotation::GeneModel::read(path, {})), std::vector<std::string>{"A"});
}

TEST(GtfAttributes, MissingSemicolons) {
  // featureCounts stops at the first (a quoted value followed by more than spaces) and reads the second as the
  // gene "A transcript_id T": both are errors.
  for (const std::string attributes : {"gene_id \"A\" transcript_id \"T\"", "gene_id A transcript_id T"}) {
    const auto path = write_file("a.gtf", gtf_line(attributes));
    const std::string error = read_error(path);
    EXPECT_NE(error.find(path + ":line 1: cannot read the attribute column"), std::string::npos) << error;
  }
}

TEST(GtfAttributes, ItemsFeatureCountsRefuses) {
  for (const std::string attributes :
       {"gene_id \"A\";;", "; gene_id \"A\";", "gene_id \"A\"; transcript-id \"T\";", "gene_id \"A\"; tag;",
        "gene_id \"A\"; tag \"x\"y;", "gene_id ;", "\"x\"; gene_id \"A\";"}) {
    EXPECT_NE(read_error(write_file("a.gtf", gtf_line(attributes))).find("cannot read the attribute column"),
              std::string::npos)
        << attributes;
  }
}

TEST(GtfAttributes, ValuesAsFeatureCountsReadsThem) {
  // Quoted values may hold ';' and lose the spaces at their ends; a key may touch its quote; '=' and spaces
  // separate a key from a bare value; the last occurrence of a key wins; a space-separated bare value ends at ';'.
  const auto path = write_file(
      "a.gtf", gtf_line("gene_id \"B;C\";") + gtf_line("gene_id \" D \";") + gtf_line("gene_id\"E\";") +
                   gtf_line("gene_id = F ;") + gtf_line("gene_id \"X\"; gene_id \"G\";") + gtf_line("gene_id H") +
                   gtf_line("gene_id=I J;Note=some text") + gtf_line("gene_id K;  "));
  EXPECT_EQ(gene_ids(ifnsig::annotation::GeneModel::read(path, {})),
            (std::vector<std::string>{"B;C", "D", "E", "F", "G", "H", "I J", "K"}));
}

TEST(GtfAttributes, ExtraAttributesTakeTheLastValueAndNaForEmpty) {
  ifnsig::annotation::AnnotationOptions options;
  options.extra_attributes = {"tag", "gene_name"};
  const auto model = ifnsig::annotation::GeneModel::read(
      write_file("a.gtf", gtf_line("gene_id \"A\"; tag \"basic\"; tag \"CCDS\"; gene_name \"\";")), options);
  EXPECT_EQ(model.extra_attribute(0, 0), "CCDS");
  EXPECT_EQ(model.extra_attribute(0, 1), "NA");
}

TEST(GtfLines, OtherColumnCountsAreErrors) {
  // featureCounts skips the first and reads the second's first 9 columns; in a GTF both are damage.
  for (const std::string bad : {"chr1\tt\texon\t300\n", "chr1\tt\texon\t300\t400\t.\t+\t.\tgene_id \"B\";\textra\n"}) {
    const auto path = write_file("a.gtf", gtf_line("gene_id \"A\";") + bad);
    const std::string error = read_error(path);
    EXPECT_NE(error.find(path + ":line 2: expected 9 tab-separated columns"), std::string::npos) << error;
  }
}

TEST(GtfLines, StrandByItsFirstCharacter) {
  const auto model = ifnsig::annotation::GeneModel::read(
      write_file("a.gtf", "chr1\tt\texon\t100\t200\t.\tx\t.\tgene_id \"A\";\n"
                          "chr1\tt\texon\t300\t400\t.\t-1\t.\tgene_id \"B\";\n"),
      {});
  EXPECT_EQ(model.exons()[0].strand, ifnsig::annotation::Strand::kUnknown);
  EXPECT_EQ(model.exons()[1].strand, ifnsig::annotation::Strand::kReverse);
}

ifnsig::annotation::AnnotationOptions saf_options() {
  ifnsig::annotation::AnnotationOptions options;
  options.format = ifnsig::annotation::AnnotationFormat::kSaf;
  return options;
}

TEST(SafLines, HeadersInAnyCaseAnywhere) {
  const auto path = write_file("a.saf", "geneid\tCHR\tstart\tend\tstrand\nA\tchr1\t100\t200\t+\n"
                                        "GeneID\tChr\tStart\tEnd\tStrand\nB\tchr1\t300\t400\t-\n");
  EXPECT_EQ(gene_ids(ifnsig::annotation::GeneModel::read(path, saf_options())), (std::vector<std::string>{"A", "B"}));
}

TEST(SafLines, OtherHeaderIsAnErrorOnItsLine) {
  for (const std::string header : {"Geneid\tChromosome\tStart\tEnd\tStrand\n", "Name\tChr\tStart\tEnd\tStrand\n"}) {
    const auto path = write_file("a.saf", header + "A\tchr1\t100\t200\t+\n");
    const std::string error = read_error(path, saf_options());
    EXPECT_NE(error.find(path + ":line 1: start/end are not whole numbers"), std::string::npos) << error;
  }
}

TEST(SafLines, CommentsBlankShortLinesAndExtraColumnsSkipped) {
  const auto path = write_file("a.saf", "# comment\nA\tchr1\t100\t200\t+\textra\n\n   \nB\tchr1\t300\t400\n"
                                        "C chr1 300 400 +\n#x\ty\tz\tw\tv\nD\tchr1\t500\t600\t+\n");
  testing::internal::CaptureStderr();
  const auto model = ifnsig::annotation::GeneModel::read(path, saf_options());
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(gene_ids(model), (std::vector<std::string>{"A", "D"}));
  EXPECT_NE(log.find(path + ": skipped 2 lines with fewer than 5 tab-separated columns, as featureCounts does "
                            "(first: line 5)"),
            std::string::npos)
      << log;
}

TEST(SafLines, EmptyColumnsDroppedAndStrands) {
  const auto path = write_file("a.saf", "A\t\tchr1\t100\t200\t+\nB\tchr1\t300\t400\t\nC\tchr1\t\t500\t600\n"
                                        "D\tchr1\t700\t800\tx\nE\tchr1\t900\t950\t+foo\n");
  testing::internal::CaptureStderr();
  const auto model = ifnsig::annotation::GeneModel::read(path, saf_options());
  const std::string log = testing::internal::GetCapturedStderr();
  ASSERT_EQ(gene_ids(model), (std::vector<std::string>{"A", "B", "C", "D", "E"}));
  using ifnsig::annotation::Strand;
  const std::vector<Strand> expected{Strand::kForward, Strand::kUnknown, Strand::kForward, Strand::kUnknown,
                                     Strand::kForward};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(model.exons()[i].strand, expected[i]) << i;
  EXPECT_EQ(model.exons()[0].start, 100);
  EXPECT_EQ(model.exons()[2].end, 600);
  EXPECT_NE(log.find("read 3 lines with empty columns"), std::string::npos) << log;
  EXPECT_NE(log.find("read 2 lines whose strand is not"), std::string::npos) << log;
}

TEST(SafLines, BadPositionsAreErrorsOnTheirLine) {
  for (const std::string record : {"B\tchr1\tx\t400\t+", "B\tchr1\t300abc\t400\t+", "B\tchr1\t-5\t400\t+",
                                   "B\tchr1\t500\t400\t+", "B\tchr1\t0\t400\t+", "B\t\t\t\tchr1"}) {
    const auto path = write_file("a.saf", "A\tchr1\t100\t200\t+\n" + record + "\n");
    const std::string error = read_error(path, saf_options());
    EXPECT_NE(error.find(path + ":line 2: "), std::string::npos) << record << ": " << error;
  }
}

// One exon on each contig named.
ifnsig::annotation::GeneModel model_on(const std::vector<std::string>& contigs, const std::string& aliases = {}) {
  std::string gtf;
  for (const auto& contig : contigs) gtf += contig + "\tt\texon\t100\t200\t.\t+\t.\tgene_id \"G_" + contig + "\";\n";
  ifnsig::annotation::AnnotationOptions options;
  if (!aliases.empty()) options.alias_file = write_file("aliases.csv", aliases);
  return ifnsig::annotation::GeneModel::read(write_file("a.gtf", gtf), options);
}

// The annotation contig `name` falls on, or "-".
std::string contig_of(const ifnsig::annotation::GeneModel& model, const std::string& name) {
  const auto match = model.find_contig(name);
  return match ? model.contigs()[match->contig] : "-";
}

TEST(ContigNames, ChrPrefixAsFeatureCounts) {
  const auto chr = model_on({"chr4", "chr10", "chrM", "chrMT", "chr123", "chrX"});
  EXPECT_EQ(contig_of(chr, "chr4"), "chr4");
  EXPECT_EQ(contig_of(chr, "4"), "chr4");
  EXPECT_EQ(contig_of(chr, "10"), "chr10");
  EXPECT_EQ(contig_of(chr, "X"), "chrX");
  EXPECT_EQ(contig_of(chr, "MT"), "chrMT");  // "chr" + name, never chrM
  EXPECT_EQ(contig_of(chr, "M"), "chrM");
  EXPECT_EQ(contig_of(chr, "123"), "-");     // "chr" is added to names of at most two characters
  EXPECT_EQ(contig_of(chr, "Chr4"), "-");    // case matters
  EXPECT_EQ(chr.find_contig("4")->rule, ifnsig::annotation::ContigRule::kChrAdded);

  const auto plain = model_on({"4", "123", "MT"});
  EXPECT_EQ(contig_of(plain, "chr4"), "4");
  EXPECT_EQ(contig_of(plain, "chr123"), "123");
  EXPECT_EQ(contig_of(plain, "chrM"), "-");
  EXPECT_EQ(plain.find_contig("chr4")->rule, ifnsig::annotation::ContigRule::kChrRemoved);

  const auto both = model_on({"4", "chr4"});  // the same name first
  EXPECT_EQ(contig_of(both, "4"), "4");
  EXPECT_EQ(contig_of(both, "chr4"), "chr4");
}

TEST(ContigNames, AliasesAsFeatureCounts) {
  // Alignment "four" -> annotation chr4; the alias comes after the same name and before the "chr" rules; a later
  // line for the same alignment name wins; several alignment names may fall on one contig.
  const auto model = model_on({"chr4", "chr5", "chr6"},
                              "# comment\nchr4,four\nchr4,vier\nchr5,4\nchrX,5\nchr9,cinq\nchr6,cinq\nchr4,chr6\n");
  EXPECT_EQ(contig_of(model, "four"), "chr4");
  EXPECT_EQ(contig_of(model, "vier"), "chr4");
  EXPECT_EQ(model.find_contig("vier")->rule, ifnsig::annotation::ContigRule::kAlias);
  EXPECT_EQ(contig_of(model, "4"), "chr5");
  EXPECT_EQ(contig_of(model, "5"), "chr5");      // alias to a contig not in the annotation: then "chr" + name
  EXPECT_EQ(contig_of(model, "cinq"), "chr6");   // the later line
  EXPECT_EQ(contig_of(model, "chr6"), "chr6");   // the same name before the alias
  EXPECT_EQ(model.alignment_contigs()[0], "four");
}

TEST(ContigNames, AliasLinesWithoutCommaSkippedOthersRefused) {
  testing::internal::CaptureStderr();
  const auto model = model_on({"chr4"}, "nocomma\n\nchr4,four");
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(contig_of(model, "four"), "chr4");  // also on a last line without a line end
  EXPECT_NE(log.find("aliases.csv: skipped 1 line without a comma, as featureCounts does (first: line 1)"),
            std::string::npos)
      << log;
  for (const std::string line : {"chr4, four", "chr4 ,four", "chr4,four,x", "chr4,", ",four"}) {
    try {
      model_on({"chr4"}, "chr4,4\n" + line + "\n");
      ADD_FAILURE() << line;
    } catch (const ifnsig::InputError& error) {
      EXPECT_NE(std::string(error.what()).find("aliases.csv:line 2: "), std::string::npos) << error.what();
    }
  }
}

}  // namespace
