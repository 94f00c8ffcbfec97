// Built-in panel files, GMT files, gene matching by symbol / Ensembl / alias, missing genes.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "ifnsig/core/error.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "ifnsig/score/gene_set.hpp"
#include "ifnsig/score/scorer.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

const std::filesystem::path kPanels = std::filesystem::path(IFNSIG_DATA_DIR) / "panels";

TEST(GeneSet, BuiltinPanelsHaveTheirPublishedSizesAndSources) {
  const auto panels = read_builtin_panels(kPanels);
  std::map<std::string, std::size_t> sizes;
  for (const auto& p : panels) {
    sizes[p.name] = p.members.size();
    EXPECT_FALSE(p.citation.empty()) << p.name;
    EXPECT_FALSE(p.version.empty()) << p.name;
    EXPECT_TRUE(p.status == "confirmed" || p.status == "unconfirmed" || p.status == "derived") << p.name;
    EXPECT_EQ(p.status == "derived", !p.derivation.empty()) << p.name;
  }
  EXPECT_EQ(sizes.at("rice6"), 6u);
  EXPECT_EQ(sizes.at("isg4_az"), 4u);
  EXPECT_EQ(sizes.at("feng5"), 5u);
  EXPECT_EQ(sizes.at("chiche_m1_2"), 27u);
  EXPECT_EQ(sizes.at("chiche_m3_4"), 53u);
  EXPECT_EQ(sizes.at("chiche_m5_12"), 59u);
  EXPECT_EQ(sizes.at("hallmark_ifna"), 97u);
  EXPECT_EQ(sizes.at("hallmark_ifng"), 200u);
  const auto rice = resolve_panels({"rice6"}, kPanels);
  EXPECT_EQ(rice[0].status, "confirmed");
  EXPECT_EQ(resolve_panels({"isg4_az"}, kPanels)[0].status, "unconfirmed");
  EXPECT_NE(resolve_panels({"hallmark_ifna"}, kPanels)[0].licence.find("CC BY 4.0"), std::string::npos);
}

// The type I / type II panels follow their derivation rule (data/panels/derive_ifn_types.R): the type I genes
// are Chiche M1.2 genes outside the Hallmark IFN-gamma set, the type II genes Hallmark IFN-gamma genes outside
// the Hallmark IFN-alpha set and M1.2; the two share no gene, so a response raises one panel and not the other.
TEST(GeneSet, TypeIAndTypeIIPanelsFollowTheirDerivation) {
  const auto names = [](const GeneSet& set) {
    std::set<std::string> out;
    for (const auto& m : set.members) {
      out.insert(m.symbol);
      out.insert(m.aliases.begin(), m.aliases.end());
    }
    return out;
  };
  const GeneSet type1 = read_panel_file(kPanels / "ifn1_specific.tsv");
  const GeneSet type2 = read_panel_file(kPanels / "ifn2_specific.tsv");
  EXPECT_EQ(type1.response, "type I");
  EXPECT_EQ(type2.response, "type II");
  EXPECT_EQ(type1.status, "derived");
  EXPECT_EQ(type1.method, "rice");
  EXPECT_EQ(type1.members.size(), 7u);
  EXPECT_EQ(type2.members.size(), 8u);
  const auto m1_2 = names(read_panel_file(kPanels / "chiche_m1_2.tsv"));
  const auto alpha = names(read_panel_file(kPanels / "hallmark_ifna.tsv"));
  const auto gamma = names(read_panel_file(kPanels / "hallmark_ifng.tsv"));
  for (const auto& m : type1.members) {
    EXPECT_TRUE(m1_2.count(m.symbol)) << m.symbol;
    EXPECT_FALSE(gamma.count(m.symbol)) << m.symbol;
    EXPECT_FALSE(m.ids.empty()) << m.symbol;
  }
  const auto type1_names = names(type1);
  for (const auto& m : type2.members) {
    EXPECT_TRUE(gamma.count(m.symbol)) << m.symbol;
    EXPECT_FALSE(alpha.count(m.symbol) || m1_2.count(m.symbol) || type1_names.count(m.symbol)) << m.symbol;
    EXPECT_FALSE(m.ids.empty()) << m.symbol;
  }
}

TEST(GeneSet, UnknownPanelAndGmtSelection) {
  EXPECT_THROW(resolve_panels({"no_such_panel"}, kPanels), UsageError);
  const auto one = resolve_panels({test::kVectors + "genesets.gmt:SET_B"}, kPanels);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].members.size(), 7u);
  EXPECT_EQ(resolve_panels({test::kVectors + "genesets.gmt"}, kPanels).size(), 3u);
}

TEST(GeneMatcher, MatchesSymbolsEnsemblIdsAndAliases) {
  const std::vector<std::string> ids{"ENSG00000165949.12", "ENSG00000137959", "WARS", "7453"};
  const std::unordered_map<std::string, std::string> map{{"ENSG00000165949", "IFI27"}, {"ENSG00000137959", "IFI44L"}};
  GeneMatcher matcher(ids, map);
  EXPECT_EQ(matcher.find("IFI27"), 0);
  EXPECT_EQ(matcher.find("ENSG00000165949"), 0);
  EXPECT_EQ(matcher.find("ENSG00000137959.3"), 1);
  EXPECT_EQ(matcher.find("7453"), 3);
  GeneSet set;
  set.name = "s";
  set.members = {{"IFI27", {}, {}}, {"WARS1", {"WARS"}, {}}, {"RSAD2", {}, {}}};
  const MatchedSet matched = matcher.match(set);
  EXPECT_EQ(matched.rows, (std::vector<int>{0, 2}));
  EXPECT_EQ(matched.missing, (std::vector<std::string>{"RSAD2"}));
  EXPECT_THROW(match_panels({set}, matcher, 3), InputError);
  EXPECT_NO_THROW(match_panels({set}, matcher, 2));
}

// The built-in panels carry Entrez and Ensembl ids (data/panels/build_gene_aliases.R): a matrix keyed by either
// finds the Rice genes without a --gene-map.
TEST(GeneMatcher, BuiltinPanelsMatchEntrezAndEnsemblRowsWithoutAMap) {
  const GeneSet rice = read_panel_file(kPanels / "rice6.tsv");
  const std::vector<std::string> entrez{"9636", "3429", "10964", "3434", "91543", "6614", "1"};
  const MatchedSet by_entrez = GeneMatcher(entrez, {}).match(rice);
  EXPECT_EQ(by_entrez.rows, (std::vector<int>{1, 2, 3, 0, 4, 5}));
  const std::vector<std::string> ensembl{"ENSG00000165949.13", "ENSG00000137959.16", "ENSG00000185745.10",
                                         "ENSG00000187608.10", "ENSG00000134321.12", "ENSG00000088827.13"};
  EXPECT_TRUE(GeneMatcher(ensembl, {}).match(rice).missing.empty());
  // A legacy published symbol is found through its current symbol's ids too.
  const GeneSet m1_2 = read_panel_file(kPanels / "chiche_m1_2.tsv");
  const auto ddx60 = std::find_if(m1_2.members.begin(), m1_2.members.end(),
                                  [](const GeneSetMember& m) { return m.symbol == "FLJ20035"; });
  ASSERT_NE(ddx60, m1_2.members.end());
  EXPECT_EQ(ddx60->ids, (std::vector<std::string>{"55601", "ENSG00000137628"}));
}

TEST(GeneMatcher, ReadsAGeneMapTable) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig_score_gene_map.tsv";
  std::ofstream(path) << "gene_id\tchr\tgene_name\nENSG00000165949.12\t1\tIFI27\nENSG0000X\t2\tNA\n";
  const auto map = read_gene_map(path.string());
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.at("ENSG00000165949.12"), "IFI27");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ifnsig::score
