#include "ifnsig/annotation/gene_model.hpp"

#include <gtest/gtest.h>

#include "ifnsig/core/error.hpp"

namespace {
const std::string kFixtures = IFNSIG_FIXTURES "/annotation/";
const std::string kCountFixtures = IFNSIG_FIXTURES "/count/";
}  // namespace

TEST(GeneModel, GtfGroupsExonsAndKeepsNames) {
  const auto model = ifnsig::annotation::GeneModel::read(kCountFixtures + "overlaps.gtf", {});
  ASSERT_EQ(model.genes().size(), 4u);
  EXPECT_EQ(model.genes()[0].id, "A");
  EXPECT_EQ(model.genes()[0].name, "AA");
  EXPECT_EQ(model.genes()[0].exons.size(), 3u);
  // A: chr1 100-300 (two overlapping exons) + chr2 100-200
  EXPECT_EQ(model.union_length(0), 201 + 101);
  EXPECT_EQ(model.contigs(), (std::vector<std::string>{"chr1", "chr2"}));
}

TEST(GeneModel, Gff3FollowsParentChainToTheGene) {
  const auto model = ifnsig::annotation::GeneModel::read(kFixtures + "parent_chain.gff3", {});
  ASSERT_EQ(model.genes().size(), 1u);
  EXPECT_EQ(model.genes()[0].id, "gene:G1");
  EXPECT_EQ(model.genes()[0].name, "ISG15");
  EXPECT_EQ(model.genes()[0].type, "protein_coding");
  EXPECT_EQ(model.union_length(0), 101 + 50 + 201);  // 100-250 and 300-500
}

TEST(GeneModel, SafWithHeader) {
  const auto model = ifnsig::annotation::GeneModel::read(kFixtures + "genes.saf", {});
  ASSERT_EQ(model.genes().size(), 2u);
  EXPECT_EQ(model.union_length(0), 21);
  EXPECT_EQ(model.exons()[2].strand, ifnsig::annotation::Strand::kReverse);
}

TEST(GeneModel, UnknownFeatureTypeFindsNothing) {
  ifnsig::annotation::AnnotationOptions options;
  options.feature_types = {"CDS"};
  EXPECT_THROW(ifnsig::annotation::GeneModel::read(kCountFixtures + "overlaps.gtf", options), ifnsig::InputError);
}
