#include "count/mate_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace {
using ifnsig::count::MateHits;
using ifnsig::count::MateTable;

void add(MateTable& table, std::uint64_t hash, const std::string& name, std::int32_t nh) {
  std::string key = name;
  MateHits mate;
  mate.nh = nh;
  table.insert(hash, key, mate);
}
}  // namespace

TEST(MateTable, FindsWhatWasInsertedUnderCollidingHashes) {
  MateTable table;
  // Equal low bits put all three in one probe run; erasing the first must keep the others reachable.
  add(table, 7, "a", 1);
  add(table, 7 + (1ULL << 40), "b", 2);
  add(table, 8, "c", 3);
  ASSERT_NE(table.find(7, "a"), MateTable::kNotFound);
  table.erase(table.find(7, "a"));
  EXPECT_EQ(table.find(7, "a"), MateTable::kNotFound);
  ASSERT_NE(table.find(7 + (1ULL << 40), "b"), MateTable::kNotFound);
  EXPECT_EQ(table.entry(table.find(7 + (1ULL << 40), "b")).mate.nh, 2);
  ASSERT_NE(table.find(8, "c"), MateTable::kNotFound);
  EXPECT_EQ(table.entry(table.find(8, "c")).mate.nh, 3);
  EXPECT_EQ(table.size(), 2U);
}

TEST(MateTable, AgreesWithAMapUnderRandomInsertsAndErases) {
  MateTable table;
  std::map<std::string, std::int32_t> expected;
  std::mt19937_64 random(42);
  for (int step = 0; step < 200000; ++step) {
    const std::string name = std::to_string(random() % 5000) + "r";  // (prefix + string trips a GCC 12 false warning)
    const std::uint64_t hash = MateTable::hash(name) & 0xFFFF0000FFFFULL;  // force collisions
    const std::uint32_t found = table.find(hash, name);
    const auto it = expected.find(name);
    ASSERT_EQ(found != MateTable::kNotFound, it != expected.end()) << name;
    if (it == expected.end()) {
      add(table, hash, name, step);
      expected.emplace(name, step);
    } else {
      ASSERT_EQ(table.entry(found).mate.nh, it->second);
      table.erase(found);
      expected.erase(it);
    }
  }
  EXPECT_EQ(table.size(), expected.size());
  EXPECT_EQ(table.waiting().size(), expected.size());
  table.clear();
  EXPECT_EQ(table.size(), 0U);
  EXPECT_EQ(table.find(MateTable::hash("r1"), "r1"), MateTable::kNotFound);
}

TEST(MateTable, KeysLongerThanAnEntryHoldsWork) {
  MateTable table;
  const std::string long_name(300, 'x');
  add(table, MateTable::hash(long_name), long_name, 1);
  add(table, MateTable::hash("short"), "short", 2);
  const std::uint32_t found = table.find(MateTable::hash(long_name), long_name);
  ASSERT_NE(found, MateTable::kNotFound);
  EXPECT_EQ(table.entry(found).key(), long_name);
  EXPECT_EQ(table.entry(found).mate.nh, 1);
  table.erase(found);
  add(table, MateTable::hash("again"), "again", 3);  // reuses the long key's entry
  EXPECT_EQ(table.entry(table.find(MateTable::hash("again"), "again")).key(), "again");
  EXPECT_EQ(table.find(MateTable::hash(long_name), long_name), MateTable::kNotFound);
}
