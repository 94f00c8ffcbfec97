#include "ifnsig/io/delimited_table.hpp"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <htslib/hts_log.h>
#include <tbb/task_arena.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/line_reader.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::io {
namespace {

std::string temp_path(const std::string& name) { return std::string(::testing::TempDir()) + "/delimited_" + name; }

std::string write_text(const std::string& name, const std::string& text) {
  const auto path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// mode "w": bgzip; "wg": plain gzip.
std::string write_compressed(const std::string& name, const std::string& text, const char* mode) {
  const auto path = temp_path(name);
  BGZF* file = bgzf_open(path.c_str(), mode);
  EXPECT_NE(file, nullptr);
  EXPECT_EQ(bgzf_write(file, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  EXPECT_EQ(bgzf_close(file), 0);
  return path;
}

struct Table {
  std::vector<std::string> sample_ids;
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> text;
  std::vector<double> column_major;
  std::uint64_t first_row_line = 0;
};

// Reads a gene x sample table the way GeneMatrix::read_plain does, with `text_columns` text fields after
// the gene id.
Table read_table(const std::string& path, std::size_t block_bytes, int threads, std::size_t text_columns = 0,
                 NumberRule rule = NumberRule::kAnyNumber, std::string skipped_prefix = {}) {
  Table table;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    DelimitedTableReader reader(path, std::move(skipped_prefix), block_bytes);
    parse_checked(path, reader.source(), [&] {
      const auto header = reader.next_line();
      if (!header) throw InputError(path, "", "empty");
      TableColumns columns;
      columns.delimiter = guess_delimiter(header->text);
      columns.first_number = 1 + text_columns;
      columns.rule = rule;
      const auto names = split_fields(header->text, columns.delimiter);
      for (std::size_t i = columns.first_number; i < names.size(); ++i) columns.number_names.push_back(unquote(names[i]));
      table.sample_ids = columns.number_names;
      if (const auto first = reader.peek_line()) table.first_row_line = first->number;
      TableBody body = reader.read_body(columns);
      table.column_major.resize(body.ids.size() * body.n_numbers);
      move_numbers_column_major(body, table.column_major.data());
      table.ids = std::move(body.ids);
      table.text = std::move(body.text);
    });
  });
  return table;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

// 300 genes x 7 samples with CRLF lines, comments, blank lines, integers, decimals, NA and exponents.
std::string messy_table(std::vector<double>& expected_column_major) {
  std::mt19937 random(7);
  const std::size_t n_genes = 300, n_samples = 7;
  std::string text = "# made by a test\r\ngene_id";
  for (std::size_t s = 0; s < n_samples; ++s) text += "\tS" + std::to_string(s);
  text += "\r\n";
  std::vector<double> row_major;
  for (std::size_t g = 0; g < n_genes; ++g) {
    if (g % 37 == 5) text += "\n";
    if (g % 41 == 3) text += "# a comment line\n";
    if (g % 43 == 1) text += "  \t \r\n";
    text += "\"G" + std::to_string(g) + "\"";
    for (std::size_t s = 0; s < n_samples; ++s) {
      std::string cell;
      switch (random() % 5) {
        case 0: cell = std::to_string(random() % 100000); break;
        case 1: cell = format_double(std::uniform_real_distribution<double>(-5, 20)(random)); break;
        case 2: cell = "1.5e-3"; break;
        case 3: cell = "12345678901234567"; break;  // beyond the exact digit path
        default: cell = std::to_string(random() % 10); break;
      }
      double value = 0;
      EXPECT_TRUE(parse_double(cell, value));
      row_major.push_back(value);
      text += '\t' + cell;
    }
    text += g % 3 == 0 ? "\r\n" : "\n";
  }
  text.pop_back();  // the last line ends without a newline
  if (text.back() == '\r') text.pop_back();
  expected_column_major.assign(n_genes * n_samples, 0.0);
  for (std::size_t g = 0; g < n_genes; ++g) {
    for (std::size_t s = 0; s < n_samples; ++s) expected_column_major[s * n_genes + g] = row_major[g * n_samples + s];
  }
  return text;
}

TEST(DelimitedTable, SameTableForAnyBlockSizeThreadCountAndCompression) {
  std::vector<double> expected;
  const std::string text = messy_table(expected);
  const auto plain = write_text("messy.tsv", text);
  const Table reference = read_table(plain, DelimitedTableReader::kBlockBytes, 1);
  ASSERT_EQ(reference.ids.size(), 300u);
  EXPECT_EQ(reference.ids.front(), "G0");
  EXPECT_EQ(reference.ids.back(), "G299");
  EXPECT_EQ(reference.sample_ids.back(), "S6");
  EXPECT_EQ(reference.first_row_line, 3u);
  EXPECT_EQ(reference.column_major, expected);
  const std::vector<std::string> paths = {plain, write_compressed("messy.tsv.gz", text, "wg"),
                                          write_compressed("messy.tsv.bgz", text, "w")};
  for (const auto& path : paths) {
    for (const std::size_t block_bytes : {1, 7, 100, 4096}) {
      for (const int threads : {1, 2}) {
        const Table table = read_table(path, block_bytes, threads);
        EXPECT_EQ(table.ids, reference.ids) << path << " " << block_bytes << " " << threads;
        EXPECT_EQ(table.column_major, reference.column_major) << path << " " << block_bytes << " " << threads;
      }
    }
  }
}

TEST(DelimitedTable, KeepsTextColumnsAndDropsSkippedRows) {
  const auto path = write_text("annotated.csv",
                               "gene,chr,length,a,b\n"
                               "__summary,x,1,2,3\n"
                               "g1, chr1 ,\"10\",1,2\n"
                               "g2,chr2,20,3,4\r\n");
  const Table table = read_table(path, 5, 2, 2, NumberRule::kFiniteCount, "__");
  EXPECT_EQ(table.ids, (std::vector<std::string>{"g1", "g2"}));
  EXPECT_EQ(table.text, (std::vector<std::vector<std::string>>{{"chr1", "chr2"}, {"10", "20"}}));
  EXPECT_EQ(table.column_major, (std::vector<double>{1, 3, 2, 4}));
}

TEST(DelimitedTable, LinesLongerThanTheBlock) {
  std::string text = "gene";
  for (int s = 0; s < 200; ++s) text += "\ts" + std::to_string(s);
  text += "\n";
  for (int g = 0; g < 3; ++g) {
    text += "g" + std::to_string(g);
    for (int s = 0; s < 200; ++s) text.append("\t").append(std::to_string(g * 1000 + s));
    text += "\n";
  }
  const Table table = read_table(write_text("wide.tsv", text), 16, 2);
  ASSERT_EQ(table.column_major.size(), 600u);
  EXPECT_EQ(table.column_major[199 * 3 + 2], 2199);
}

TEST(DelimitedTable, ErrorsNameTheFirstBadLineInFileOrder) {
  std::string text = "gene\ta\tb\n";
  for (int g = 1; g <= 500; ++g) text.append("g").append(std::to_string(g)).append("\t1\t2\n");
  const auto with_line = [&](int line, const std::string& row) {  // replaces line `line` (1-based)
    std::string edited = text;
    std::size_t start = 0;
    for (int l = 1; l < line; ++l) start = edited.find('\n', start) + 1;
    edited.replace(start, edited.find('\n', start) - start, row);
    return edited;
  };
  const auto error = [&](const std::string& content, NumberRule rule = NumberRule::kAnyNumber) {
    const auto path = write_text("bad.tsv", content);
    std::string first;
    for (const int threads : {1, 2}) {
      for (const std::size_t block_bytes : {10, 64, 1 << 20}) {
        const auto message = error_of([&] { read_table(path, block_bytes, threads, 0, rule); });
        if (first.empty()) first = message;
        EXPECT_EQ(message, first) << block_bytes << " " << threads;
      }
    }
    return first.substr(first.find(':') + 1);
  };
  EXPECT_EQ(error(with_line(401, "g400\t1\tx")), "line 401: not a number in column 'b': 'x'");
  EXPECT_EQ(error(with_line(401, "g400\t1\tInf"), NumberRule::kFiniteCount),
            "line 401: not a finite number in column 'b': 'Inf'");
  EXPECT_EQ(error(with_line(401, "g400\tNaN\tInf")), "no error");
  EXPECT_EQ(error(with_line(350, "g400\tx\t2\t3")), "line 350: expected 3 fields, found 4");
  EXPECT_EQ(error(with_line(300, "g1\t1\t2")), "line 300: duplicated gene id 'g1'");
  EXPECT_EQ(error(with_line(450, "g1\t1\t2") + "g9\tbad\t1\n"), "line 450: duplicated gene id 'g1'");
  EXPECT_EQ(error(with_line(450, "g451\t1\tbad") + "g2\t1\t1\n"), "line 450: not a number in column 'b': 'bad'");
  // Gene ids go into JSON outputs (a frozen reference's genes): they must be UTF-8, checked before the numbers.
  EXPECT_EQ(error(with_line(420, "caf\xE9\t1\tx")), "line 420: gene id 'caf\\xE9' is not valid UTF-8 (byte 4)");
  EXPECT_EQ(error(with_line(420, "caf\xE9\t1\t2\t3")), "line 420: expected 3 fields, found 4");
}

TEST(DelimitedTable, ARepeatedIdAndABadNumberOnOneLine) {
  const auto path = write_text("both.tsv", "gene\ta\ng1\t1\ng1\tx\n");
  const auto read = [&](bool id_first) {
    return error_of([&] {
      DelimitedTableReader reader(path);
      TableColumns columns;
      columns.number_names = {"a"};
      columns.repeated_id_reported_first = id_first;
      reader.next_line();
      reader.read_body(columns);
    });
  };
  EXPECT_EQ(read(true), path + ":line 3: duplicated gene id 'g1'");
  EXPECT_EQ(read(false), path + ":line 3: not a number in column 'a': 'x'");
}

// Every line before the cut is read, and the error names the cut line, as LineReader's does.
TEST(DelimitedTable, TruncatedFileFailsAtTheLineThatWasCut) {
  std::string text = "gene\ta\n";
  for (int g = 0; g < 100000; ++g) text += "gene" + std::to_string(g) + "\t" + std::to_string(g * 7919 % 100003) + "\n";
  const auto lines = split_fields(text, '\n');
  const htsLogLevel log_level = hts_get_log_level();
  hts_set_log_level(HTS_LOG_OFF);  // HTSlib reports each failed block
  for (const char* mode : {"w", "wg"}) {
    const auto path = write_compressed("truncated.tsv.gz", text, mode);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) * 2 / 3);
    std::size_t complete_lines = 0;
    try {
      LineReader reader(path);
      std::string_view line;
      while (reader.next(line) && line == lines[complete_lines]) ++complete_lines;
    } catch (const InputError&) {
    }
    ASSERT_GT(complete_lines, 1000u);
    ASSERT_LT(complete_lines, lines.size() - 1000);
    const std::string expected = path + ":line " + std::to_string(complete_lines + 1) +
                                 (mode == std::string("w") ? ": the file is truncated or not valid gzip"
                                                           : ": the file is truncated (it ends inside a gzip member)");
    for (const std::size_t block_bytes : {std::size_t{1000}, DelimitedTableReader::kBlockBytes}) {
      for (const int threads : {1, 2}) {
        EXPECT_EQ(error_of([&] { read_table(path, block_bytes, threads); }), expected) << mode << " " << block_bytes;
      }
    }
  }
  hts_set_log_level(log_level);
}

// A gzip member's CRC is checked at its end, after its bytes were parsed: damage that still inflates (here a
// tab turned into 'x' in a stored block) first shows as a format error, which is reported as the damage.
// An intact gzip file with the same format error reports the format error.
TEST(DelimitedTable, DamageFoundByTheCrcIsReportedInsteadOfTheFormatErrorItCaused) {
  std::string text = "gene\ta\tb\n";
  for (int g = 1; g <= 5000; ++g) text.append("g").append(std::to_string(g)).append("\t1\t2\n");
  std::string bytes;
  {
    const auto stored = write_compressed("damaged.tsv.gz", text, "wg0");
    bytes.assign(std::filesystem::file_size(stored), '\0');
    std::ifstream(stored, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  bytes[bytes.find("g300\t") + 4] = 'x';
  const auto damaged = write_text("damaged.tsv.gz", bytes);
  for (const int threads : {1, 2}) {
    for (const std::size_t block_bytes : {std::size_t{64}, DelimitedTableReader::kBlockBytes}) {
      EXPECT_EQ(error_of([&] { read_table(damaged, block_bytes, threads); }),
                damaged + ":line 301: the file is corrupt (gzip CRC mismatch); the error on this line likely comes "
                          "from the damage: expected 3 fields, found 2");
    }
  }
  std::string wrong = text;
  wrong[wrong.find("g300\t") + 4] = 'x';
  const auto intact = write_compressed("intact.tsv.gz", wrong, "wg");
  EXPECT_EQ(error_of([&] { read_table(intact, 64, 2); }), intact + ":line 301: expected 3 fields, found 2");
}

TEST(DelimitedTable, CarriageReturnsDroppedAsLineReaderDropsThem) {
  const auto path = write_text("cr.tsv", "gene\ta\r\r\ng1\t1\r\n\r\r\ng2\t2\r\r");
  const Table table = read_table(path, 3, 2);
  EXPECT_EQ(table.sample_ids, (std::vector<std::string>{"a"}));
  EXPECT_EQ(table.ids, (std::vector<std::string>{"g1", "g2"}));
  EXPECT_EQ(table.column_major, (std::vector<double>{1, 2}));
}

TEST(DelimitedTable, HeaderOnlyAndEmptyFiles) {
  const Table table = read_table(write_text("header_only.tsv", "# c\ngene\ta\n\n"), 4, 2);
  EXPECT_TRUE(table.ids.empty());
  EXPECT_EQ(table.sample_ids, (std::vector<std::string>{"a"}));
  DelimitedTableReader empty(write_text("empty.tsv", "\n# only a comment\r\n"));
  EXPECT_FALSE(empty.peek_line());
  EXPECT_FALSE(empty.next_line());
  EXPECT_NE(error_of([] { DelimitedTableReader missing(temp_path("missing.tsv")); }).find("cannot open the file"),
            std::string::npos);
}

}  // namespace
}  // namespace ifnsig::io
