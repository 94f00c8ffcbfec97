#include "ifnsig/core/atomic_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ifnsig/core/error.hpp"

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

namespace {

// A fresh scratch directory per test.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("ifnsig_atomic_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST(CheckOutputs, RefusesAnOutputThatIsAnInput) {
  const fs::path dir = scratch("same_file");
  write_text(dir / "in.bam", "reads");
  write_text(dir / "out.txt.summary", "an input too");
  fs::create_symlink(dir / "in.bam", dir / "link.bam");
  const std::vector<fs::path> inputs = {dir / "in.bam", dir / "out.txt.summary"};
  for (const fs::path& output : {dir / "in.bam", dir / "link.bam", dir / "." / "in.bam", dir / "out.txt.summary"}) {
    EXPECT_THROW(ifnsig::check_outputs({dir / "out.txt", output}, inputs), ifnsig::UsageError) << output;
  }
  EXPECT_NO_THROW(ifnsig::check_outputs({dir / "out.txt", dir / "out.txt.json"}, inputs));
  std::ifstream in(dir / "in.bam");
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "reads");
  // The writability probe leaves nothing behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 3);
  fs::remove_all(dir);
}

TEST(CheckOutputs, NamesAnOutputThatCannotBeWritten) {
  const fs::path dir = scratch("unwritable");
  // Root may write in any directory, but sysfs refuses new files to everyone.
  const fs::path read_only = ::geteuid() == 0 ? fs::path("/sys") : dir / "read_only";
  if (::geteuid() != 0) {
    fs::create_directory(read_only);
    fs::permissions(read_only, fs::perms::owner_read | fs::perms::owner_exec);
  }
  if (!fs::is_directory(read_only)) GTEST_SKIP() << "no /sys";
  const fs::path output = read_only / "ifnsig_counts.txt";
  try {
    ifnsig::check_outputs({output}, {});
    ADD_FAILURE() << "no error for " << output;
  } catch (const ifnsig::InputError& error) {
    EXPECT_NE(std::string(error.what()).find(output.string() + ": cannot create the output file: "), std::string::npos)
        << error.what();
  }
  try {
    ifnsig::check_outputs({dir}, {});
    ADD_FAILURE() << "no error for the directory " << dir;
  } catch (const ifnsig::InputError& error) {
    EXPECT_NE(std::string(error.what()).find(dir.string() + ": is a directory"), std::string::npos) << error.what();
  }
  std::error_code absent_as_root;
  fs::permissions(dir / "read_only", fs::perms::owner_all, fs::perm_options::replace, absent_as_root);
  fs::remove_all(dir);
}
