#include "ifnsig/core/atomic_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

TEST(AtomicFile, AppearsOnlyAfterCommit) {
  const fs::path path = fs::temp_directory_path() / "ifnsig_atomic_commit.txt";
  fs::remove(path);
  {
    ifnsig::AtomicFile out(path);
    out.stream() << "hello\n";
    EXPECT_FALSE(fs::exists(path));
    out.commit();
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello");
  fs::remove(path);
}

TEST(AtomicFile, LeavesNothingWhenAbandoned) {
  const fs::path dir = fs::temp_directory_path() / "ifnsig_atomic_abandon";
  fs::remove_all(dir);
  fs::create_directories(dir);
  try {
    ifnsig::AtomicFile out(dir / "out.tsv");
    out.stream() << "partial";
    throw std::runtime_error("failure mid-way");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(AtomicFile, WritesDevicesInPlace) {
  // Renaming a temporary file onto /dev/null would replace the device (as root) or fail; it must stay one.
  {
    ifnsig::AtomicFile out("/dev/null");
    out.stream() << "discarded\n";
    out.commit();
  }
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}
