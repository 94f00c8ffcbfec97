#include "ifnsig/count/assignment.hpp"
#include "ifnsig/io/hts.hpp"

#include <gtest/gtest.h>
#include <htslib/sam.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// An unmapped record whose auxiliary fields are exactly `aux` (raw BAM bytes).
ifnsig::io::RecordPtr record_with_aux(const std::vector<std::uint8_t>& aux) {
  ifnsig::io::RecordPtr record(bam_init1());
  EXPECT_GE(bam_set1(record.get(), 2, "r1", BAM_FUNMAP, -1, -1, 0, 0, nullptr, -1, -1, 0, 0, nullptr, nullptr,
                     aux.size()),
            0);
  if (!aux.empty()) std::memcpy(bam_get_aux(record.get()), aux.data(), aux.size());  // data() may be null
  record->l_data += static_cast<int>(aux.size());
  return record;
}

std::vector<std::uint8_t> field(const char* tag, char type, std::vector<std::uint8_t> value) {
  value.insert(value.begin(), {static_cast<std::uint8_t>(tag[0]), static_cast<std::uint8_t>(tag[1]),
                                static_cast<std::uint8_t>(type)});
  return value;
}

std::vector<std::uint8_t> join(std::initializer_list<std::vector<std::uint8_t>> fields) {
  std::vector<std::uint8_t> bytes;
  for (const auto& f : fields) bytes.insert(bytes.end(), f.begin(), f.end());
  return bytes;
}

class NhHiTest : public testing::Test {
 protected:
  NhHiTest() : index_(model_, false, 1), evaluator_(index_, options_, {}, ifnsig::count::Strandedness::kUnstranded) {}

  // The evaluator's NH and HI must be HTSlib's bam_aux2i(bam_aux_get(...)), NH 1 and HI 0 when absent.
  void expect_htslib_values(const std::vector<std::uint8_t>& aux, std::int32_t nh, std::int64_t hi) {
    const auto record = record_with_aux(aux);
    const std::uint8_t* nh_tag = bam_aux_get(record.get(), "NH");
    const std::uint8_t* hi_tag = bam_aux_get(record.get(), "HI");
    EXPECT_EQ(nh_tag != nullptr ? static_cast<std::int32_t>(bam_aux2i(nh_tag)) : 1, nh);
    EXPECT_EQ(hi_tag != nullptr ? bam_aux2i(hi_tag) : 0, hi);
    ifnsig::count::MateHits hits;
    evaluator_.evaluate(record.get(), hits);
    EXPECT_EQ(hits.nh, nh);
    EXPECT_EQ(hits.hi, hi);
  }

  ifnsig::annotation::GeneModel model_;
  ifnsig::annotation::FeatureIndex index_;
  ifnsig::count::CountOptions options_;
  ifnsig::count::RecordEvaluator evaluator_;
};

TEST_F(NhHiTest, IntegerTypesAfterOtherFields) {
  expect_htslib_values(join({field("NM", 'C', {1}), field("NH", 'C', {3}), field("HI", 'C', {2})}), 3, 2);
  expect_htslib_values(join({field("MD", 'Z', {'1', '0', 0}), field("HI", 's', {0xFF, 0xFF}),
                             field("NH", 'I', {0x10, 0x27, 0, 0})}),
                       10000, -1);
  expect_htslib_values(join({field("XS", 'A', {'+'}), field("AS", 'f', {0, 0, 0x80, 0x3F}),
                             field("NH", 'i', {0xFE, 0xFF, 0xFF, 0xFF}), field("HI", 'c', {0x85})}),
                       -2, -123);
}

TEST_F(NhHiTest, AbsentAndRepeatedTagsAsHtslib) {
  expect_htslib_values({}, 1, 0);
  expect_htslib_values(field("NM", 'C', {1}), 1, 0);
  expect_htslib_values(join({field("NH", 'C', {2}), field("NH", 'C', {5}), field("HI", 'S', {7, 1})}), 2, 263);
}

TEST_F(NhHiTest, OtherTypesArraysAndCorruptFieldsGoThroughHtslib) {
  hts_set_log_level(HTS_LOG_OFF);  // HTSlib reports each corrupt record
  // A string NH and a float HI are not integers: bam_aux2i gives 0.
  expect_htslib_values(join({field("NH", 'Z', {'2', 0}), field("HI", 'f', {0, 0, 0x80, 0x3F})}), 0, 0);
  // An array before the tags.
  expect_htslib_values(join({field("ML", 'B', {'C', 2, 0, 0, 0, 9, 9}), field("NH", 'C', {4}),
                             field("HI", 'C', {1})}),
                       4, 1);
  // A string without its NUL before the tags, a field cut short, an unknown type.
  expect_htslib_values(join({field("NH", 'C', {2}), field("MD", 'Z', {'1', '0'})}), 2, 0);
  expect_htslib_values(join({field("NH", 'C', {2}), field("HI", 'i', {1, 0})}), 2, 0);
  expect_htslib_values(join({field("XX", 'q', {1}), field("NH", 'C', {2})}), 1, 0);
}

}  // namespace

namespace {

std::vector<std::uint32_t> targets_of(const ifnsig::count::TargetHits& hits) {
  std::vector<std::uint32_t> targets;
  for (const auto& hit : hits) targets.push_back(hit.target);
  return targets;
}

ifnsig::count::TargetHit hit(std::uint32_t target) {
  return {.target = target, .overlap_bp = 10, .mates = 1, .strands = ifnsig::annotation::kForwardBit};
}

}  // namespace

TEST(TargetHits, KeepsOrderInsideAndBeyondTheInlineSlots) {
  ifnsig::count::TargetHits hits;
  EXPECT_TRUE(hits.empty());
  for (std::uint32_t t = 0; t < 5; ++t) {
    hits.push_back(hit(t));
    EXPECT_EQ(hits.size(), t + 1);
  }
  EXPECT_EQ(targets_of(hits), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(hits.front().target, 0U);
  const ifnsig::count::TargetHits copy = hits;
  hits.clear();
  EXPECT_TRUE(hits.empty());
  hits.push_back(hit(7));
  EXPECT_EQ(targets_of(hits), (std::vector<std::uint32_t>{7}));
  EXPECT_EQ(targets_of(copy), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  ifnsig::count::TargetHits small = hits;
  small = copy;  // a long list over a short one, then back
  EXPECT_EQ(targets_of(small), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  small = hits;
  EXPECT_EQ(targets_of(small), (std::vector<std::uint32_t>{7}));
  small.resize(3);
  EXPECT_EQ(small.size(), 3U);
  for (auto& h : small) h = hit(9);
  EXPECT_EQ(targets_of(small), (std::vector<std::uint32_t>{9, 9, 9}));
  small.resize(1);
  small.begin()->target = 4;
  EXPECT_EQ(targets_of(small), (std::vector<std::uint32_t>{4}));
}

namespace {

// One contig with gene 0 at 1001-1100; records built from CIGAR strings (bam_parse_cigar).
class CigarSectionsTest : public testing::Test {
 protected:
  CigarSectionsTest() {
    model_.add_contig("chr1");
    model_.add_gene("A");
    model_.add_exon({0, 0, 1001, 1100, ifnsig::annotation::Strand::kForward});
  }

  // Evaluates a record at 1-based `position` with `cigar` under --maxMOp `max_sections`.
  ifnsig::count::MateHits evaluate(const char* cigar, std::int64_t position, int max_sections) {
    std::uint32_t* operations = nullptr;
    std::size_t allocated = 0;
    const ssize_t n_operations = sam_parse_cigar(cigar, nullptr, &operations, &allocated);
    EXPECT_GT(n_operations, 0);
    ifnsig::io::RecordPtr record(bam_init1());
    EXPECT_GE(bam_set1(record.get(), 2, "r1", 0, 0, position - 1, 60, static_cast<std::size_t>(n_operations),
                       operations, -1, -1, 0, 0, nullptr, nullptr, 0),
              0);
    std::free(operations);
    ifnsig::count::CountOptions options;
    options.max_cigar_sections = max_sections;
    const ifnsig::annotation::FeatureIndex index(model_, false, 1);
    const ifnsig::count::RecordEvaluator evaluator(index, options, {0}, ifnsig::count::Strandedness::kUnstranded);
    ifnsig::count::MateHits hits;
    evaluator.evaluate(record.get(), hits);
    return hits;
  }

  ifnsig::annotation::GeneModel model_;
};

TEST_F(CigarSectionsTest, SectionsEndAtInsertionsDeletionsAndSkipsEvenWhenEmpty) {
  // 4M|1I (section 1), empty|1D (section 2), 10M (section 3, on the gene).
  EXPECT_TRUE(evaluate("4M1I1D10M", 997, 2).hits.empty());
  const auto three = evaluate("4M1I1D10M", 997, 3);
  ASSERT_EQ(three.hits.size(), 1U);
  EXPECT_EQ(three.hits.front().overlap_bp, 10);
  EXPECT_EQ(three.length_bp, 15);
  // The read's length keeps the first sections' M and I bases, a leading S, and a trailing S only with a
  // non-empty last section.
  EXPECT_EQ(evaluate("5S10M1I10M5S", 1001, 1).length_bp, 5 + 10 + 1);
  EXPECT_EQ(evaluate("5S10M1I10M5S", 1001, 2).length_bp, 5 + 10 + 1 + 10 + 5);
  EXPECT_EQ(evaluate("10M1I5S", 1001, 10).length_bp, 11);
  EXPECT_TRUE(evaluate("10M100N10M", 1001, 1).split);  // an N beyond the sections still makes a split read
}

TEST_F(CigarSectionsTest, MoreSectionsThanTheStackHolds) {
  std::string cigar;
  for (int i = 0; i < 70; ++i) cigar += "1M1D";
  cigar += "1M";  // 71 sections of one base, 1001, 1003, ..., 1141
  for (const int max_sections : {65, 71, 200}) {
    const auto hits = evaluate(cigar.c_str(), 1001, max_sections);
    ASSERT_EQ(hits.hits.size(), 1U);
    EXPECT_EQ(hits.hits.front().overlap_bp, 50) << max_sections;  // 1001..1099 odd positions
    EXPECT_EQ(hits.length_bp, std::min(max_sections, 71)) << max_sections;
  }
}

// Gene A: exons 1001-1100 and 1051-1150 (overlapping), gene B: 1201-1240. --fracOverlapFeature 0.5 judges
// each exon on its own bases, both mates together, shared bases once.
class FeatureRulesTest : public testing::Test {
 protected:
  FeatureRulesTest() {
    model_.add_contig("chr1");
    model_.add_gene("A");
    model_.add_gene("B");
    model_.add_exon({0, 0, 1001, 1100, ifnsig::annotation::Strand::kForward});
    model_.add_exon({0, 0, 1051, 1150, ifnsig::annotation::Strand::kForward});
    model_.add_exon({0, 1, 1201, 1240, ifnsig::annotation::Strand::kForward});
    options_.min_feature_overlap_fraction = 0.5;
  }

  ifnsig::count::MateHits evaluate(const ifnsig::count::RecordEvaluator& evaluator, std::int64_t position,
                                   std::uint32_t bases) {
    const std::uint32_t operation = bam_cigar_gen(bases, BAM_CMATCH);
    ifnsig::io::RecordPtr record(bam_init1());
    EXPECT_GE(bam_set1(record.get(), 2, "r1", 0, 0, position - 1, 60, 1, &operation, -1, -1, 0, 0, nullptr,
                       nullptr, 0),
              0);
    ifnsig::count::MateHits hits;
    evaluator.evaluate(record.get(), hits);
    return hits;
  }

  ifnsig::annotation::GeneModel model_;
  ifnsig::count::CountOptions options_;
};

TEST_F(FeatureRulesTest, NeedsAnIndexWithItsFeatures) {
  const ifnsig::annotation::FeatureIndex index(model_, false, 1);
  EXPECT_THROW(ifnsig::count::RecordEvaluator(index, options_, {0}, ifnsig::count::Strandedness::kUnstranded),
               std::logic_error);
}

TEST_F(FeatureRulesTest, EachExonJudgedOnItsOwnBasesThenJoinedPerGene) {
  const ifnsig::annotation::FeatureIndex index(model_, false, 1, true);
  const ifnsig::count::RecordEvaluator evaluator(index, options_, {0}, ifnsig::count::Strandedness::kUnstranded);
  const ifnsig::count::FragmentResolver resolver(options_);
  std::vector<ifnsig::count::TargetHit> targets;
  std::int64_t share = 0;
  // 1041-1100: 60 of the first exon's 100 (kept), 50 of the second's (kept): gene A overlapped by 60, not 110.
  const auto read = evaluate(evaluator, 1041, 60);
  EXPECT_EQ(read.hits.size(), 2U);  // one piece per exon
  EXPECT_EQ(resolver.resolve(read, nullptr, targets, 1, share), ifnsig::count::ReadStatus::kAssigned);
  ASSERT_EQ(targets.size(), 1U);
  EXPECT_EQ(targets.front().target, 0U);
  EXPECT_EQ(targets.front().overlap_bp, 60);
  // 1121-1220: 30 of the second exon (dropped), 20 of B's 40 (kept).
  EXPECT_EQ(resolver.resolve(evaluate(evaluator, 1121, 100), nullptr, targets, 1, share),
            ifnsig::count::ReadStatus::kAssigned);
  ASSERT_EQ(targets.size(), 1U);
  EXPECT_EQ(targets.front().target, 1U);
  // 1001-1030 and 1021-1060 as mates: 60 bases of the first exon together (30 + 40 summed would be 70).
  ifnsig::count::CountOptions pairs = options_;
  pairs.paired = pairs.count_fragments = true;
  for (const double fraction : {0.59, 0.65}) {
    pairs.min_feature_overlap_fraction = fraction;
    const ifnsig::count::RecordEvaluator pair_evaluator(index, pairs, {0}, ifnsig::count::Strandedness::kUnstranded);
    auto first = evaluate(pair_evaluator, 1001, 30);
    auto second = evaluate(pair_evaluator, 1021, 40);
    const ifnsig::count::FragmentResolver pair_resolver(pairs);
    // 0.65: no exon left (summed, 70 bases would pass), which featureCounts calls Unassigned_NoFeatures.
    EXPECT_EQ(pair_resolver.resolve(first, &second, targets, 1, share),
              fraction < 0.6 ? ifnsig::count::ReadStatus::kAssigned : ifnsig::count::ReadStatus::kNoFeatures)
        << fraction;
  }
}

}  // namespace
