#include "ifnsig/run/sample_counts.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ifnsig/core/checksum.hpp"

namespace ifnsig::run {
namespace {

class StaleReasonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / "ifnsig_stale_";
    dir_ += std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    sample_.id = std::string("A");
    sample_.bam_path = dir_ / "a.bam";
    std::ofstream(sample_.bam_path) << "reads";
    settings_.annotation_md5 = "0123";
    record_.sample = std::string("A");
    record_.input = stamp_of(sample_.bam_path);
    record_.input.md5 = md5_of_file(sample_.bam_path);  // as counting computes it
    record_.options_key = options_key(settings_, layout_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  RunSample sample_;
  CountSettings settings_;
  SampleLayout layout_;
  SampleRecord record_;
};

TEST_F(StaleReasonTest, ReusesUnchangedInput) {
  EXPECT_EQ(stale_reason(record_, sample_, record_.options_key), "");
  EXPECT_EQ(record_.input.size_bytes, 5u);
}

TEST_F(StaleReasonTest, CountsMissingRecordsOtherOptionsAndChangedInput) {
  EXPECT_EQ(stale_reason(std::nullopt, sample_, record_.options_key), "no counts yet");
  SampleLayout paired = layout_;
  paired.paired = true;
  EXPECT_EQ(stale_reason(record_, sample_, options_key(settings_, paired)), "counting options or annotation changed");
  CountSettings other = settings_;
  other.annotation_md5 = "4567";
  EXPECT_NE(stale_reason(record_, sample_, options_key(other, layout_)), "");
  std::ofstream(sample_.bam_path) << "reads, more";
  EXPECT_EQ(stale_reason(record_, sample_, record_.options_key), "the alignment file changed size");
}

TEST_F(StaleReasonTest, ANewMtimeFallsBackToTheMd5) {
  const auto later = std::filesystem::last_write_time(sample_.bam_path) + std::chrono::hours(1);
  std::filesystem::last_write_time(sample_.bam_path, later);
  EXPECT_EQ(stale_reason(record_, sample_, record_.options_key), "");
  std::ofstream(sample_.bam_path) << "READS";  // same size, other content
  std::filesystem::last_write_time(sample_.bam_path, later + std::chrono::hours(1));
  EXPECT_EQ(stale_reason(record_, sample_, record_.options_key), "the alignment file changed (MD5)");
}

}  // namespace
}  // namespace ifnsig::run
