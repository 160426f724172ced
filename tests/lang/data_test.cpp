// The CSV reader: header detection, column selection, the edge cases of real files, a golden
// message for every error, and the parallel parse giving the same bits and the same first
// error for any number of threads.

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <slope/lang/data.hpp>
#include <slope/lang/errors.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <random>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "lang/support.hpp"

namespace {

using slope::lang::test::TempFile;

using slope::lang::DataError;
using slope::lang::Matrix;
using slope::lang::parse_csv;
using slope::lang::read_csv;

std::vector<double> values(const Matrix& m) { return {m.entries().begin(), m.entries().end()}; }

/// what() of the DataError that parsing `text` as "data.csv" throws; "" when none is thrown.
std::string error_of(std::string_view text, std::string_view columns = {}) {
  try {
    (void)parse_csv(text, "data.csv", columns);
  } catch (const DataError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(csv_reading)

BOOST_AUTO_TEST_CASE(numbers_without_a_header_are_all_rows) {
  const Matrix m = parse_csv("1,2,3\n4,5,6\n", "data.csv");
  BOOST_TEST(m.rows == 2u);
  BOOST_TEST(m.cols == 3u);
  BOOST_TEST(values(m) == (std::vector<double>{1, 2, 3, 4, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(m(1, 2) == 6.0);
  BOOST_TEST(m.origin == "data.csv");
}

BOOST_AUTO_TEST_CASE(a_first_row_that_is_not_numeric_is_a_header) {
  const Matrix m = parse_csv("x,y\n1,2\n3,4\n", "data.csv");
  BOOST_TEST(m.rows == 2u);
  BOOST_TEST(values(m) == (std::vector<double>{1, 2, 3, 4}), boost::test_tools::per_element());
  // One non-numeric name is enough; the numeric-looking names are names too.
  const Matrix mixed = parse_csv("1,label\n5,6\n", "data.csv", "1");
  BOOST_TEST(mixed.rows == 1u);
  BOOST_TEST(mixed(0, 0) == 5.0);
}

BOOST_AUTO_TEST_CASE(a_first_row_with_an_empty_cell_is_data_not_a_header) {
  BOOST_TEST(error_of("1,,3\n4,5,6\n") == "data.csv:1:2: error: empty cell, expected a number");
}

BOOST_AUTO_TEST_CASE(columns_by_name_index_range_and_lists) {
  const std::string text = "a,b,c,d,e,f,g\n1,2,3,4,5,6,7\n10,20,30,40,50,60,70\n";
  BOOST_TEST(values(parse_csv(text, "d.csv", "c")) == (std::vector<double>{3, 30}), boost::test_tools::per_element());
  BOOST_TEST(values(parse_csv(text, "d.csv", "2")) == (std::vector<double>{2, 20}), boost::test_tools::per_element());
  BOOST_TEST(values(parse_csv(text, "d.csv", "2-4")) == (std::vector<double>{2, 3, 4, 20, 30, 40}),
             boost::test_tools::per_element());
  const Matrix list = parse_csv(text, "d.csv", "1,3,5-7");
  BOOST_TEST(list.cols == 5u);
  BOOST_TEST(values(list) == (std::vector<double>{1, 3, 5, 6, 7, 10, 30, 50, 60, 70}), boost::test_tools::per_element());
  BOOST_TEST(list.origin == "d.csv:1,3,5-7");
  // Order as written, names and numbers mixed, spaces around items, a column twice.
  BOOST_TEST(values(parse_csv(text, "d.csv", " g , 1 ,b, 2 - 3,a")) ==
                 (std::vector<double>{7, 1, 2, 2, 3, 1, 70, 10, 20, 20, 30, 10}),
             boost::test_tools::per_element());
  BOOST_TEST(values(parse_csv(text, "d.csv", "4-4")) == (std::vector<double>{4, 40}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ranges_by_header_name) {
  const std::string text = "id,x1,x2,x3,label\n9,1,2,3,0\n8,4,5,6,1\n";
  BOOST_TEST(values(parse_csv(text, "d.csv", "x1-x3")) == (std::vector<double>{1, 2, 3, 4, 5, 6}),
             boost::test_tools::per_element());
  BOOST_TEST(values(parse_csv(text, "d.csv", "x2 - 5")) == (std::vector<double>{2, 3, 0, 5, 6, 1}),
             boost::test_tools::per_element());
  // A name with a '-' in it is a name first, and can end a range.
  const std::string dashed = "a,b-c,d\n1,2,3\n";
  BOOST_TEST(values(parse_csv(dashed, "d.csv", "b-c")) == (std::vector<double>{2}), boost::test_tools::per_element());
  BOOST_TEST(values(parse_csv(dashed, "d.csv", "a-b-c")) == (std::vector<double>{1, 2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_vector_is_one_column) {
  const Matrix y = parse_csv("x1,x2,label\n0.5,1,0\n0.25,2,1\n-1,3,1\n", "data.csv", "label");
  BOOST_TEST(y.rows == 3u);
  BOOST_TEST(y.cols == 1u);
  BOOST_TEST(values(y) == (std::vector<double>{0, 1, 1}), boost::test_tools::per_element());
  BOOST_TEST(y.origin == "data.csv:label");
}

BOOST_AUTO_TEST_CASE(header_names_may_be_quoted_and_contain_commas) {
  const std::string text = "\"x1\", \"a, b\",\"say \"\"hi\"\"\"\n1,2,3\n";
  BOOST_TEST(parse_csv(text, "d.csv", "x1")(0, 0) == 1.0);
  BOOST_TEST(parse_csv(text, "d.csv", "\"a, b\"")(0, 0) == 2.0);
  BOOST_TEST(parse_csv(text, "d.csv", "say \"hi\"")(0, 0) == 3.0);
}

BOOST_AUTO_TEST_CASE(crlf_spaces_and_no_trailing_newline) {
  const Matrix m = parse_csv("x , y\r\n 1 ,\t2\r\n3,  4 \r\n5,6", "data.csv");
  BOOST_TEST(m.rows == 3u);
  BOOST_TEST(values(m) == (std::vector<double>{1, 2, 3, 4, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(values(parse_csv("x,y\r\n1,2\r\n", "data.csv", "y")) == (std::vector<double>{2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(blank_trailing_lines_are_ignored) {
  const Matrix m = parse_csv("1,2\n3,4\n\n  \r\n\n", "data.csv");
  BOOST_TEST(m.rows == 2u);
}

BOOST_AUTO_TEST_CASE(nan_and_inf_spellings_are_numbers) {
  const Matrix m = parse_csv("nan,NaN,inf,-inf,Infinity,-INFINITY,+1.5,1e-400,\"2.5\"\n", "data.csv");
  BOOST_TEST(m.cols == 9u);
  BOOST_TEST(std::isnan(m(0, 0)));
  BOOST_TEST(std::isnan(m(0, 1)));
  BOOST_TEST(m(0, 2) == INFINITY);
  BOOST_TEST(m(0, 3) == -INFINITY);
  BOOST_TEST(m(0, 4) == INFINITY);
  BOOST_TEST(m(0, 5) == -INFINITY);
  BOOST_TEST(m(0, 6) == 1.5);
  BOOST_TEST(m(0, 7) == 0.0);  // underflow rounds to zero, as strtod does
  BOOST_TEST(m(0, 8) == 2.5);
}

BOOST_AUTO_TEST_CASE(numbers_parse_exactly) {
  const Matrix m = parse_csv("0.1,-2.5e-3,123456789012345678,4.9e-324,1.7976931348623157e308\n", "data.csv");
  BOOST_TEST(m(0, 0) == 0.1);
  BOOST_TEST(m(0, 1) == -2.5e-3);
  BOOST_TEST(m(0, 2) == 123456789012345678.0);
  BOOST_TEST(m(0, 3) == 4.9e-324);
  BOOST_TEST(m(0, 4) == 1.7976931348623157e308);
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_skipped) {
  BOOST_TEST(parse_csv("\xEF\xBB\xBFx,y\n1,2\n", "data.csv", "x")(0, 0) == 1.0);
}

BOOST_AUTO_TEST_CASE(text_columns_that_are_not_selected_are_only_counted) {
  const Matrix m = parse_csv("name,x\n\"Smith, J\",1.5\nabc,2.5\n", "data.csv", "x");
  BOOST_TEST(values(m) == (std::vector<double>{1.5, 2.5}), boost::test_tools::per_element());
  BOOST_TEST(error_of("name,x\nabc,1\n", "name") == "data.csv:2:1: error: cell \"abc\" is not a number");
}

BOOST_AUTO_TEST_CASE(read_csv_reads_a_file_like_parse_csv) {
  const TempFile file("slope_data_test_read.csv", "a,b\n1,2\n3,4\n");
  const Matrix m = read_csv(file.path, "b");
  BOOST_TEST(values(m) == (std::vector<double>{2, 4}), boost::test_tools::per_element());
  BOOST_TEST(m.origin == file.path.string() + ":b");
}

BOOST_AUTO_TEST_CASE(a_file_of_many_megabytes_parses_whole_while_its_pages_are_released) {
  // 400,000 rows, about 14 MB: every chunk releases the pages it has passed, more than once;
  // the numbers read and a bad cell's place must not notice it.
  std::string text = "i,x,y\n";
  constexpr int kRows = 400000;
  text.reserve(kRows * 36);
  for (int i = 0; i < kRows; ++i) text += fmt::format("{},{:.17g},{}\n", i, 0.001 * i + 0.25, i % 7);
  {
    const TempFile file("slope_data_test_large.csv", text);
    for (const unsigned threads : {1U, 2U, 3U}) {
      const Matrix m = read_csv(file.path, "x,y", threads);
      BOOST_TEST_REQUIRE(m.rows == std::size_t{kRows});
      bool all = true;
      for (int i = 0; i < kRows; ++i) {
        all = all && m.entries()[2 * i] == 0.001 * i + 0.25 && m.entries()[2 * i + 1] == i % 7;
      }
      BOOST_TEST(all);
    }
  }
  const std::size_t bad_row = 390001;  // after the header and rows 0 to 390,000: file line 390,003
  const std::size_t at = text.find(fmt::format("\n{},", bad_row)) + 1;
  text.replace(text.find(',', at) + 1, 1, "#");
  const TempFile file("slope_data_test_large_bad.csv", text);
  try {
    (void)read_csv(file.path, "x", 2);
    BOOST_FAIL("no error for the bad cell");
  } catch (const DataError& error) {
    BOOST_TEST(std::string(error.what()).starts_with(file.path.string() + ":390003:2: error:"), error.what());
  }
}

BOOST_AUTO_TEST_CASE(read_csv_reads_a_pipe_too) {
  // A FIFO has no size to map: the reader falls back to reading it to the end.
  const std::filesystem::path fifo = std::filesystem::temp_directory_path() / "slope_data_test.fifo";
  std::filesystem::remove(fifo);
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << "a,b\n1,2\n3,4"; });
  const Matrix m = read_csv(fifo, "a");
  writer.join();
  std::filesystem::remove(fifo);
  BOOST_TEST(values(m) == (std::vector<double>{1, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(read_csv_of_an_empty_file) {
  const TempFile file("slope_data_test_empty.csv", "");
  try {
    (void)read_csv(file.path);
    BOOST_FAIL("no error for an empty file");
  } catch (const DataError& error) {
    BOOST_TEST(error.what() == file.path.string() + ":1:1: error: the file is empty");
  }
}

BOOST_AUTO_TEST_CASE(matrix_factories) {
  const std::vector<double> v{1, 2, 3, 4, 5, 6};
  const Matrix m = Matrix::from_row_major(v, 2, 3, "mem");
  BOOST_TEST(m(1, 0) == 4.0);
  BOOST_TEST(m.origin == "mem");
  const Matrix column = Matrix::from_vector(v);
  BOOST_TEST(column.rows == 6u);
  BOOST_TEST(column.cols == 1u);
  BOOST_CHECK_THROW((void)Matrix::from_row_major(v, 4, 2), slope::ArgumentError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(csv_errors)

BOOST_AUTO_TEST_CASE(a_non_numeric_cell_names_row_and_column) {
  BOOST_TEST(error_of("a,b,c\n1,2,3\n4,5,abc\n") == "data.csv:3:3: error: cell \"abc\" is not a number");
  BOOST_TEST(error_of("1,2\n3,4 5\n") == "data.csv:2:2: error: cell \"4 5\" is not a number");
  BOOST_TEST(error_of("1,2\n3,+-4\n") == "data.csv:2:2: error: cell \"+-4\" is not a number");
  BOOST_TEST(error_of("1,2\n3,0x10\n") == "data.csv:2:2: error: cell \"0x10\" is not a number");
}

BOOST_AUTO_TEST_CASE(a_long_cell_is_shortened) {
  const std::string cell(60, 'z');
  BOOST_TEST(error_of("1\n" + cell + "\n") ==
             "data.csv:2:1: error: cell \"" + std::string(37, 'z') + "...\" is not a number");
}

BOOST_AUTO_TEST_CASE(an_empty_cell) {
  BOOST_TEST(error_of("x,y\n1,\n") == "data.csv:2:2: error: empty cell, expected a number");
  BOOST_TEST(error_of("x,y\n1,  \r\n") == "data.csv:2:2: error: empty cell, expected a number");
}

BOOST_AUTO_TEST_CASE(a_number_too_large_for_a_double) {
  BOOST_TEST(error_of("x\n1e400\n") == "data.csv:2:1: error: number \"1e400\" is too large for a double");
}

BOOST_AUTO_TEST_CASE(ragged_rows) {
  BOOST_TEST(error_of("a,b,c\n1,2,3\n4,5\n") == "data.csv:3:3: error: row has 2 fields, expected 3 as in line 1");
  BOOST_TEST(error_of("1,2\n3,4,5\n") == "data.csv:2:3: error: row has 3 fields, expected 2 as in line 1");
  BOOST_TEST(error_of("1,2\n3\n") == "data.csv:2:2: error: row has 1 field, expected 2 as in line 1");
}

BOOST_AUTO_TEST_CASE(empty_files) {
  BOOST_TEST(error_of("") == "data.csv:1:1: error: the file is empty");
  BOOST_TEST(error_of("\n \r\n\n") == "data.csv:1:1: error: the file is empty");
  BOOST_TEST(error_of("x,y\n") == "data.csv:2:1: error: no rows of numbers after the header");
  BOOST_TEST(error_of("x,y\n\n\n") == "data.csv:2:1: error: no rows of numbers after the header");
}

BOOST_AUTO_TEST_CASE(blank_lines_before_or_between_rows) {
  BOOST_TEST(error_of("\n1,2\n") == "data.csv:1:1: error: blank line before the first row");
  BOOST_TEST(error_of("1,2\n\n3,4\n") == "data.csv:2:1: error: blank line between rows");
}

BOOST_AUTO_TEST_CASE(missing_and_unreadable_files) {
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "slope_no_such_file.csv";
  std::filesystem::remove(missing);
  try {
    (void)read_csv(missing);
    BOOST_FAIL("no error for a missing file");
  } catch (const DataError& error) {
    // About the file as a whole: no line and column.
    BOOST_TEST(error.what() == missing.string() + ": error: cannot open the file: No such file or directory");
    BOOST_TEST(error.file() == missing.string());
  }
  const std::filesystem::path directory = std::filesystem::temp_directory_path();
  try {
    (void)read_csv(directory);
    BOOST_FAIL("no error for a directory");
  } catch (const DataError& error) {
    BOOST_TEST(error.what() == directory.string() + ": error: cannot read the file: Is a directory");
  }
}

BOOST_AUTO_TEST_CASE(unknown_column_names) {
  BOOST_TEST(error_of("x1,x2,label\n1,2,3\n", "lable") ==
             "data.csv:1:1: error: no column named \"lable\" (the header has x1, x2, label)");
  BOOST_TEST(error_of("1,2\n3,4\n", "x") ==
             "data.csv:1:1: error: no column named \"x\": the file has no header, so pick columns by number (from 1)");
  BOOST_TEST(error_of("a,b,a\n1,2,3\n", "a") ==
             "data.csv:1:1: error: column name \"a\" is ambiguous: columns 1 and 3 have it");
  std::string wide;
  for (int i = 1; i <= 14; ++i) wide += (i == 1 ? "c" : ",c") + std::to_string(i);
  BOOST_TEST(error_of(wide + "\n" + std::string(13, ',') + "\n", "zz") ==
             "data.csv:1:1: error: no column named \"zz\" (the header has c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, "
             "c11, c12, ... (14 in all))");
}

BOOST_AUTO_TEST_CASE(column_numbers_out_of_range) {
  BOOST_TEST(error_of("x,y\n1,2\n", "3") == "data.csv:1:1: error: column 3 does not exist: the file has 2 columns");
  BOOST_TEST(error_of("5\n6\n", "1-2") == "data.csv:1:1: error: column 2 does not exist: the file has 1 column");
  BOOST_TEST(error_of("x,y\n1,2\n", "0") == "data.csv:1:1: error: column 0 does not exist: columns are numbered from 1");
  BOOST_TEST(error_of("x,y\n1,2\n", "99999999999999999999999") ==
             "data.csv:1:1: error: column 99999999999999999999999 does not exist: the file has 2 columns");
}

BOOST_AUTO_TEST_CASE(malformed_column_lists) {
  BOOST_TEST(error_of("x,y\n1,2\n", "1,,2") == "data.csv:1:1: error: the column list \"1,,2\" has an empty entry");
  BOOST_TEST(error_of("x,y\n1,2\n", "2-1") ==
             "data.csv:1:1: error: column range \"2-1\" is backwards: column 2 comes after column 1");
  BOOST_TEST(error_of("x,y\n1,2\n", "y-x") ==
             "data.csv:1:1: error: column range \"y-x\" is backwards: column 2 comes after column 1");
  BOOST_TEST(error_of("x,y\n1,2\n", "1-") ==
             "data.csv:1:1: error: a column range needs a column at each end, as in 2-31 or x1-x5");
  BOOST_TEST(error_of("x,y\n1,2\n", "x-z") == "data.csv:1:1: error: no column named \"z\" (the header has x, y)");
  BOOST_TEST(error_of("x,y\n1,2\n", "1-9") == "data.csv:1:1: error: column 9 does not exist: the file has 2 columns");
  // A header name that looks like the start of a range is still a name.
  BOOST_TEST(parse_csv("3-d,y\n1,2\n", "d.csv", "3-d")(0, 0) == 1.0);
}

BOOST_AUTO_TEST_CASE(the_error_carries_file_and_location) {
  try {
    (void)parse_csv("a,b\n1,2\n3,x\n", "my data.csv");
    BOOST_FAIL("no error");
  } catch (const DataError& error) {
    BOOST_TEST(error.file() == "my data.csv");
    BOOST_TEST(error.location().line == 3u);
    BOOST_TEST(error.location().column == 2u);
    BOOST_TEST(error.message() == "cell \"x\" is not a number");
  }
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// The result of parsing `text` on `threads` threads: the numbers' bits and shape, or the error.
std::string outcome(std::string_view text, unsigned threads, std::string_view columns = {}) {
  try {
    const Matrix m = parse_csv(text, "data.csv", columns, threads);
    std::string bits = fmt::format("{} x {}:", m.rows, m.cols);
    bits.append(reinterpret_cast<const char*>(m.entries().data()), m.entries().size() * sizeof(double));
    return bits;
  } catch (const DataError& error) {
    return error.what();
  }
}

/// A header and `rows` rows of 5 random numbers, in their shortest round-trip form.
std::string random_table(std::size_t rows) {
  std::mt19937_64 random(20261204);
  std::normal_distribution<double> normal(0.0, 1e3);
  std::string text = "a,b,c,d,e\n";
  for (std::size_t r = 0; r < rows; ++r) {
    text += fmt::format("{},{},{},{},{}\n", normal(random), normal(random), r, -1e-300 * normal(random),
                        normal(random));
  }
  return text;
}

const unsigned kThreadCounts[] = {2, 3, 4, 7, 16, 64};

}  // namespace

BOOST_AUTO_TEST_SUITE(csv_in_parallel)

BOOST_AUTO_TEST_CASE(any_number_of_threads_gives_the_same_bits) {
  const std::string text = random_table(3000);
  const std::string serial = outcome(text, 1);
  BOOST_TEST_REQUIRE(serial.starts_with("3000 x 5:"));
  for (const unsigned threads : kThreadCounts) {
    BOOST_TEST_INFO("threads: " << threads);
    BOOST_TEST((outcome(text, threads) == serial));
    BOOST_TEST((outcome(text, threads, "e,2-3") == outcome(text, 1, "e,2-3")));
  }
  // The default (0: one thread per core for files of some size) is no different.
  BOOST_TEST((outcome(text, 0) == serial));
  const Matrix m = parse_csv(text, "data.csv", {}, 7);
  BOOST_TEST(m(2999, 2) == 2999.0);
}

BOOST_AUTO_TEST_CASE(an_error_in_the_last_chunk_names_its_row) {
  std::string text = random_table(3000);
  text += "1,2,3,4,oops\n";  // line 3002: the header is line 1
  for (const unsigned threads : {1u, 2u, 7u, 64u}) {
    BOOST_TEST_INFO("threads: " << threads);
    BOOST_TEST(outcome(text, threads) == "data.csv:3002:5: error: cell \"oops\" is not a number");
  }
  std::string ragged = random_table(3000) + "1,2,3\n";
  for (const unsigned threads : {1u, 7u}) {
    BOOST_TEST(outcome(ragged, threads) == "data.csv:3002:4: error: row has 3 fields, expected 5 as in line 1");
  }
}

BOOST_AUTO_TEST_CASE(the_first_error_in_the_file_wins_whatever_thread_finds_it) {
  std::string text = random_table(3000);
  const std::size_t early = text.find('\n', 1000);  // the end of an early row
  text.insert(early, "x");                           // its last cell is now not a number
  text += "1,2,3,4,oops\n";
  const std::string serial = outcome(text, 1);
  BOOST_TEST(serial.find("is not a number") != std::string::npos);
  BOOST_TEST(serial.find(":3002:") == std::string::npos);
  for (const unsigned threads : kThreadCounts) BOOST_TEST(outcome(text, threads) == serial);
}

BOOST_AUTO_TEST_CASE(blank_lines_across_chunk_boundaries) {
  const std::string table = random_table(2000);
  // Between rows: an error wherever the chunks are cut.
  std::string between = table;
  between.insert(between.find('\n', between.size() / 2) + 1, "\n  \r\n");
  const std::string serial = outcome(between, 1);
  BOOST_TEST(serial.find(": error: blank line between rows") != std::string::npos, serial);
  for (const unsigned threads : kThreadCounts) BOOST_TEST(outcome(between, threads) == serial);
  // At the end: ignored, however many chunks hold only blank lines.
  const std::string trailing = table + std::string(5000, '\n');
  for (const unsigned threads : kThreadCounts) BOOST_TEST((outcome(trailing, threads) == outcome(table, 1)));
}

BOOST_AUTO_TEST_CASE(more_threads_than_lines_and_every_edge_case_agree) {
  const std::vector<std::string> texts{
      "1,2,3\n4,5,6\n", "x,y\n1,2\n3,4", "x , y\r\n 1 ,\t2\r\n3,  4 \r\n5,6", "1,2\n3,4\n\n  \r\n\n",
      "x,y\n", "x,y", "x,y\n\n\n", "1,2\n\n3,4\n", "a,b,c\n1,2,3\n4,5\n", "x\n1e400\n", "1,2\n3,4,5",
      "name,x\n\"Smith, J\",1.5\nabc,2.5\n", "5"};
  for (const std::string& text : texts) {
    BOOST_TEST_INFO("text: " << text);
    const std::string serial = outcome(text, 1);
    for (const unsigned threads : kThreadCounts) BOOST_TEST(outcome(text, threads) == serial);
  }
}

BOOST_AUTO_TEST_CASE(read_csv_in_parallel) {
  const std::string text = random_table(2000);
  const TempFile file("slope_data_test_parallel.csv", text);
  const Matrix serial = read_csv(file.path, {}, 1);
  const Matrix parallel = read_csv(file.path, {}, 5);
  BOOST_TEST(serial.rows == 2000u);
  BOOST_TEST(std::memcmp(serial.entries().data(), parallel.entries().data(), serial.entries().size_bytes()) == 0);
}

BOOST_AUTO_TEST_CASE(several_selections_of_one_file_read_once_equal_each_read_alone) {
  const std::string text = random_table(3000);
  const TempFile file("slope_data_test_selections.csv", text);
  const std::vector<std::string_view> selections{"1-2,4", "e", "c", "", "a"};
  for (const unsigned threads : {1u, 3u}) {
    BOOST_TEST_INFO("threads: " << threads);
    const std::vector<Matrix> read = slope::lang::read_csv_selections(file.path, selections, threads);
    BOOST_TEST_REQUIRE(read.size() == selections.size());
    for (std::size_t s = 0; s < selections.size(); ++s) {
      const Matrix alone = read_csv(file.path, selections[s], 1);
      BOOST_TEST(read[s].rows == alone.rows);
      BOOST_TEST(read[s].cols == alone.cols);
      BOOST_TEST(read[s].origin == alone.origin);
      BOOST_TEST(std::memcmp(read[s].entries().data(), alone.entries().data(), alone.entries().size_bytes()) == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(several_selections_report_the_first_error_in_the_file_whichever_selection_has_it) {
  std::string text = random_table(3000);
  text.replace(text.find('\n', 200) - 1, 1, "x");  // the last cell (e) of an early row
  text += "oops,2,3,4,5\n";                         // the first cell (a) of the last row
  const TempFile file("slope_data_test_selections_error.csv", text);
  const auto error = [&](std::vector<std::string_view> selections) {
    return slope::lang::test::error_of<DataError>(
        [&] { (void)slope::lang::read_csv_selections(file.path, selections, 3); });
  };
  const std::string early = error({"e"});
  BOOST_TEST(early.find("is not a number") != std::string::npos, early);
  BOOST_TEST(error({"a", "e"}) == early);  // the first in the file, not the first selection's
  BOOST_TEST(error({"a"}).find(":3002:1:") != std::string::npos);
  BOOST_TEST(error({"b-d"}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
