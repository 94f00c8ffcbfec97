#include "count/mate_spill.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ifnsig/core/error.hpp"

namespace {

namespace fs = std::filesystem;
using ifnsig::count::MateHits;
using ifnsig::count::MateSpill;
using ifnsig::count::MateTable;

// Mate `read` (1 or 2) of fragment `id` waits; the fragment's number is kept in NH to check who pairs.
void wait(MateTable& table, int id, int read) {
  const std::string key = "fragment" + std::to_string(id);
  MateHits mate;
  mate.nh = id;
  mate.flag = read == 1 ? 0x40 : 0x80;
  table.insert(MateTable::hash(key), key, mate);
}

struct Outcome {
  std::map<int, int> pairs;  // fragment -> times paired
  std::vector<std::string> lone;
  bool mismatched = false;   // a pair of two different fragments or two first mates
};

Outcome merge(MateSpill& spill, MateTable& waiting) {
  Outcome outcome;
  spill.merge(
      waiting,
      [&](std::string_view, const MateHits& a, const MateHits& b) {
        outcome.mismatched |= a.nh != b.nh || a.flag == b.flag;
        ++outcome.pairs[a.nh];
      },
      [&](std::string_view key, const MateHits&) { outcome.lone.emplace_back(key); });
  return outcome;
}

// Spills first mates 0..n-1 one run each, then second mates 0..n-2 one run each; second mate n-1 stays in
// memory. All n fragments must pair.
void spill_fragments(MateSpill& spill, MateTable& waiting, int n) {
  for (int read = 1; read <= 2; ++read) {
    for (int id = 0; id < n; ++id) {
      wait(waiting, id, read);
      if (read == 1 || id + 1 < n) spill.spill(waiting);
    }
  }
}

void expect_all_paired(const Outcome& outcome, int n) {
  EXPECT_FALSE(outcome.mismatched);
  EXPECT_TRUE(outcome.lone.empty()) << outcome.lone.size() << " lone, e.g. " << outcome.lone.front();
  EXPECT_EQ(outcome.pairs.size(), static_cast<std::size_t>(n));
  for (const auto& [id, times] : outcome.pairs) EXPECT_EQ(times, 1) << "fragment " << id;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ifnsig::InputError& error) {
    return error.what();
  }
  return "";
}

class MateSpillTest : public testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("ifnsig_mate_spill_" + std::to_string(::getpid()) + "_" +
                  testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  std::size_t files_left() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()));
  }
  fs::path directory_;
};

TEST_F(MateSpillTest, MergesMoreRunsThanMayBeOpenInPasses) {
  MateTable waiting;
  {
    MateSpill spill(directory_, 3);
    spill_fragments(spill, waiting, 40);
    EXPECT_EQ(spill.n_runs(), 79U);
    // Two lone mates, one spilled and one in memory.
    wait(waiting, 1000, 1);
    spill.spill(waiting);
    wait(waiting, 1001, 2);
    const Outcome outcome = merge(spill, waiting);
    EXPECT_FALSE(outcome.mismatched);
    EXPECT_EQ(outcome.pairs.size(), 40U);
    EXPECT_EQ(outcome.lone, (std::vector<std::string>{"fragment1000", "fragment1001"}));
  }
  EXPECT_EQ(files_left(), 0U);
}

// With `ulimit -n` lower than the number of runs, no run may be skipped: the default number of runs open at
// once follows the limit.
TEST_F(MateSpillTest, OpenFileLimitLosesNoMates) {
  std::size_t open_files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++open_files;
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
  rlimit lowered = original;
  lowered.rlim_cur = open_files + 12;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  MateTable waiting;
  Outcome outcome;
  std::string error;
  {
    MateSpill spill(directory_);
    error = message_of([&] {
      spill_fragments(spill, waiting, 30);
      outcome = merge(spill, waiting);
    });
  }
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &original), 0);
  EXPECT_EQ(error, "");
  expect_all_paired(outcome, 30);
}

TEST_F(MateSpillTest, MissingDirectoryIsAnErrorNamingItAndTheReason) {
  MateTable waiting;
  MateSpill spill(directory_ / "missing");
  wait(waiting, 1, 1);
  const std::string message = message_of([&] { spill.spill(waiting); });
  EXPECT_NE(message.find((directory_ / "missing").string()), std::string::npos) << message;
  EXPECT_NE(message.find(std::strerror(ENOENT)), std::string::npos) << message;
}

TEST_F(MateSpillTest, RunThatCannotBeReopenedIsAnError) {
  MateTable waiting;
  MateSpill spill(directory_);
  spill_fragments(spill, waiting, 2);
  for (const auto& entry : fs::directory_iterator(directory_)) fs::remove(entry.path());
  const std::string message = message_of([&] { merge(spill, waiting); });
  EXPECT_NE(message.find(directory_.string() + "/ifnsig-mates-"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot reopen the file of waiting mates: " + std::string(std::strerror(ENOENT))),
            std::string::npos)
      << message;
}

TEST_F(MateSpillTest, TruncatedRunIsAnError) {
  MateTable waiting;
  MateSpill spill(directory_);
  wait(waiting, 1, 1);
  wait(waiting, 2, 1);
  spill.spill(waiting);
  const fs::path run = fs::directory_iterator(directory_)->path();
  fs::resize_file(run, fs::file_size(run) - 3);
  wait(waiting, 1, 2);
  const std::string message = message_of([&] { merge(spill, waiting); });
  EXPECT_NE(message.find(run.string() + ": the file of waiting mates ends inside an entry"), std::string::npos)
      << message;
}

// Files counted at once spill to the same directory from one process.
TEST_F(MateSpillTest, SpillsSharingADirectoryKeepTheirOwnRuns) {
  MateTable waiting_a;
  MateTable waiting_b;
  MateSpill a(directory_);
  MateSpill b(directory_);
  wait(waiting_a, 1, 1);
  a.spill(waiting_a);
  wait(waiting_b, 2, 1);
  b.spill(waiting_b);
  wait(waiting_a, 1, 2);
  wait(waiting_b, 2, 2);
  expect_all_paired(merge(a, waiting_a), 1);
  expect_all_paired(merge(b, waiting_b), 1);
}

}  // namespace
