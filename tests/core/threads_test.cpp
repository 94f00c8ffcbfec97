#include "ifnsig/core/threads.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

TEST(ThreadSplit, CompressedInputGivesThePoolAndTbbTheBudget) {
  const auto one = ifnsig::split_threads(1, true);
  EXPECT_EQ(one.htslib_threads, 0);
  EXPECT_EQ(one.tbb_threads, 1);
  const auto two = ifnsig::split_threads(2, true);
  EXPECT_EQ(two.htslib_threads, 2);
  EXPECT_EQ(two.tbb_threads, 2);
  const auto text = ifnsig::split_threads(4, false);
  EXPECT_EQ(text.htslib_threads, 0);
  EXPECT_EQ(text.tbb_threads, 4);
}

TEST(RunJobs, RunsEveryJobOnceWithAShareOfTheBudget) {
  std::vector<std::atomic<int>> runs(7);
  std::atomic<int> largest_share{0};
  ifnsig::run_jobs(runs.size(), 8, [&](std::size_t i, int threads) {
    ++runs[i];
    if (threads > largest_share) largest_share = threads;
  });
  for (const auto& count : runs) EXPECT_EQ(count, 1);
  EXPECT_EQ(largest_share, 2);  // 8 threads: 4 jobs at once, 2 threads each
}

TEST(RunJobs, RethrowsTheFirstFailure) {
  EXPECT_THROW(ifnsig::run_jobs(5, 4,
                                [](std::size_t i, int) {
                                  if (i == 2) throw std::runtime_error("job 2 failed");
                                }),
               std::runtime_error);
}
