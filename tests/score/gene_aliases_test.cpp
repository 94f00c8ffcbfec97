// The gene alias table (data/panels/gene_aliases.tsv.gz) and matching through it: a gene present only under a
// previous or newer symbol is matched and reported, an alias that names another gene is never used, Ensembl
// ids match with or without version.
#include <filesystem>
#include <fstream>

#include "ifnsig/core/error.hpp"
#include "ifnsig/score/gene_aliases.hpp"
#include "ifnsig/score/gene_matcher.hpp"
#include "score_test_util.hpp"

namespace ifnsig::score {
namespace {

const std::filesystem::path kPanels = std::filesystem::path(IFNSIG_DATA_DIR) / "panels";

const GeneAliasTable& shipped() {
  static const GeneAliasTable table = GeneAliasTable::read(gene_alias_table_path(kPanels));
  return table;
}

GeneSet user_set(std::vector<std::string> symbols) {
  GeneSet set;
  set.name = "user";
  for (auto& s : symbols) set.members.push_back({std::move(s), {}, {}});
  return set;
}

TEST(GeneAliasTable, ShippedTableKnowsRenamedGenes) {
  const auto& table = shipped();
  EXPECT_GT(table.size(), 60000u);
  EXPECT_NE(table.source().find("org.Hs.eg.db 3.16.0"), std::string::npos);
  // org.Hs.eg.db 3.16.0 (Entrez Gene of 2022-09-12) has the 2022 renames: DDX58 -> RIGI, WARS -> WARS1.
  ASSERT_NE(table.gene_named("DDX58"), nullptr);
  EXPECT_EQ(table.gene_named("DDX58")->symbol, "RIGI");
  EXPECT_EQ(table.gene_named("DDX58")->entrez_id, "23586");
  EXPECT_EQ(table.gene_named("WARS")->symbol, "WARS1");
  EXPECT_EQ(table.gene_named("WARS1")->ensembl_ids, (std::vector<std::string>{"ENSG00000140105"}));
  EXPECT_EQ(table.gene_named("no-such-gene"), nullptr);
}

// Issue 20's acceptance: a gene set member present in the matrix only under its previous symbol is matched,
// and reported as matched through an alias; in both directions (set newer than the annotation, and older).
TEST(GeneMatcher, MemberPresentOnlyUnderItsPreviousSymbolIsMatchedAndReported) {
  // A count table of an older annotation: Ensembl ids with the old symbols as gene names.
  const std::vector<std::string> ids{"ENSG00000140105.18", "ENSG00000107201.10", "ENSG00000165949.12"};
  const std::unordered_map<std::string, std::string> names{
      {"ENSG00000140105.18", "WARS"}, {"ENSG00000107201.10", "DDX58"}, {"ENSG00000165949.12", "IFI27"}};
  const GeneMatcher matcher(ids, names, &shipped());
  const MatchedSet current = matcher.match(user_set({"WARS1", "RIGI", "IFI27"}));
  EXPECT_EQ(current.rows, (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(current.missing.empty());
  EXPECT_EQ(current.aliased, (std::vector<AliasMatch>{{"WARS1", "WARS"}, {"RIGI", "DDX58"}}));
  EXPECT_EQ(describe_alias_matches(current),
            "panel user: 2 of 3 genes matched through an alias: WARS1 -> WARS, RIGI -> DDX58");

  // A set written with the old symbols against a matrix of symbols only (no ids to fall back on).
  const GeneMatcher by_symbol({"WARS1", "RIGI", "ISG15"}, {}, &shipped());
  const MatchedSet old = by_symbol.match(user_set({"WARS", "DDX58", "IFI27"}));
  EXPECT_EQ(old.rows, (std::vector<int>{0, 1}));
  EXPECT_EQ(old.missing, (std::vector<std::string>{"IFI27"}));
  EXPECT_EQ(old.aliased, (std::vector<AliasMatch>{{"WARS", "WARS1"}, {"DDX58", "RIGI"}}));

  // Without the table a user set has no aliases.
  EXPECT_EQ(GeneMatcher({"WARS1", "RIGI"}, {}).match(user_set({"WARS", "DDX58"})).missing.size(), 2u);
}

TEST(GeneMatcher, UserSetsMatchEnsemblIdsWithOrWithoutVersionThroughTheTable) {
  const std::vector<std::string> versioned{"ENSG00000165949.12", "ENSG00000187608.10", "3434"};
  const MatchedSet matched = GeneMatcher(versioned, {}, &shipped()).match(user_set({"ISG15", "IFI27", "IFIT1"}));
  EXPECT_EQ(matched.rows, (std::vector<int>{1, 0, 2}));
  EXPECT_TRUE(matched.aliased.empty());  // matched by id, not by another name
  const MatchedSet bare = GeneMatcher({"ENSG00000165949"}, {}, &shipped()).match(user_set({"IFI27"}));
  EXPECT_EQ(bare.rows, (std::vector<int>{0}));
}

// A small table: SHARED is an alias of two genes, CCC is one gene's current symbol and another's alias.
class AmbiguousAliases : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / "ifnsig_gene_aliases_test.tsv";
    std::ofstream(path_) << "#ifnsig-gene-aliases\t1\n# source\thand-written\n"
                            "symbol\tentrez_id\taliases\tensembl_ids\n"
                            "AAA\t1\tOLD1,SHARED\tENSG01\n"
                            "BBB\t2\tSHARED,CCC\tENSG02\n"
                            "CCC\t3\t\tENSG03\n";
    table_ = GeneAliasTable::read(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
  GeneAliasTable table_;
};

TEST_F(AmbiguousAliases, AnAliasThatNamesAnotherGeneIsNeverUsed) {
  EXPECT_EQ(table_.source(), "hand-written");
  EXPECT_EQ(table_.genes_named("SHARED").size(), 2u);
  EXPECT_EQ(table_.gene_named("SHARED"), nullptr);
  EXPECT_EQ(table_.gene_named("CCC")->symbol, "CCC");  // a current symbol wins over another gene's alias
  // AAA's alias SHARED also names BBB: a row named SHARED is not taken for AAA.
  EXPECT_EQ(GeneMatcher({"SHARED"}, {}, &table_).match(user_set({"AAA"})).missing,
            (std::vector<std::string>{"AAA"}));
  // BBB's alias CCC is another gene's current symbol: the CCC row is CCC's, not BBB's.
  const MatchedSet bbb = GeneMatcher({"CCC", "X"}, {}, &table_).match(user_set({"BBB", "CCC"}));
  EXPECT_EQ(bbb.missing, (std::vector<std::string>{"BBB"}));
  EXPECT_EQ(bbb.rows, (std::vector<int>{0}));
  EXPECT_EQ(bbb.symbols, (std::vector<std::string>{"CCC"}));
  // A member named by an ambiguous alias stands for no gene: it matches only a row of that very name.
  EXPECT_EQ(GeneMatcher({"AAA", "BBB"}, {}, &table_).match(user_set({"SHARED"})).missing,
            (std::vector<std::string>{"SHARED"}));
  // An alias of one gene only is used, in both directions, and so are the gene's ids.
  const MatchedSet old = GeneMatcher({"AAA"}, {}, &table_).match(user_set({"OLD1"}));
  EXPECT_EQ(old.aliased, (std::vector<AliasMatch>{{"OLD1", "AAA"}}));
  EXPECT_EQ(GeneMatcher({"OLD1"}, {}, &table_).match(user_set({"AAA"})).aliased,
            (std::vector<AliasMatch>{{"AAA", "OLD1"}}));
  EXPECT_EQ(GeneMatcher({"ENSG01.4"}, {}, &table_).match(user_set({"OLD1"})).rows, (std::vector<int>{0}));
  // A panel's own alias that names another gene is dropped too; one the table does not know is kept.
  const GeneSetMember named = with_table_names({"AAA", {"CCC", "LOC1"}, {}}, table_);
  EXPECT_EQ(named.aliases, (std::vector<std::string>{"LOC1", "OLD1"}));
  EXPECT_EQ(named.ids, (std::vector<std::string>{"1", "ENSG01"}));
}

TEST_F(AmbiguousAliases, TwoMembersOfOneGeneCountOnceAndReportNoAlias) {
  const MatchedSet matched = GeneMatcher({"AAA"}, {}, &table_).match(user_set({"AAA", "OLD1"}));
  EXPECT_EQ(matched.rows, (std::vector<int>{0}));
  EXPECT_TRUE(matched.aliased.empty());
}

TEST(GeneAliasTable, MalformedTableNamesTheLine) {
  const auto path = std::filesystem::temp_directory_path() / "ifnsig_gene_aliases_bad.tsv";
  std::ofstream(path) << "symbol\tentrez_id\taliases\tensembl_ids\nAAA\t1\tX\n";
  try {
    GeneAliasTable::read(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ifnsig::score
