// One process's block of the rows of a data file (read_csv_block, take_rows): the blocks of
// any number of processes put together are the whole file, messages name the row in the whole
// file, and a file with fewer rows than processes is an error.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "lang/support.hpp"
#include "slope/lang/data.hpp"

using slope::lang::Matrix;
using slope::lang::RowBlock;

namespace {

using slope::lang::test::TempFile;

std::string table(std::size_t rows, bool header) {
  std::string text = header ? "a,b,label\n" : "";
  for (std::size_t i = 0; i < rows; ++i) text += std::to_string(i) + ".5," + std::to_string(2 * i) + ",9\n";
  return text;
}

std::vector<double> values(const Matrix& m) { return {m.entries().begin(), m.entries().end()}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(row_blocks)

BOOST_AUTO_TEST_CASE(the_blocks_of_any_number_of_processes_make_up_the_file) {
  for (const bool header : {true, false}) {
    for (const std::size_t rows : {1u, 7u, 50u}) {
      const std::string text = table(rows, header) + "\n \n";  // blank lines may end the file
      const Matrix whole = slope::lang::parse_csv(text, "t.csv", "1-2");
      for (std::size_t parts = 1; parts <= std::min<std::size_t>(rows, 6); ++parts) {
        std::vector<double> joined;
        std::size_t next_row = 0;
        for (std::size_t part = 0; part < parts; ++part) {
          for (const unsigned threads : {1u, 3u}) {
            std::size_t total = 0;
            const Matrix block = slope::lang::parse_csv_block(text, "t.csv", "1-2", RowBlock{part, parts}, total, threads);
            BOOST_TEST(total == rows);
            BOOST_TEST(block.first_row == next_row);
            BOOST_TEST(block.cols == 2u);
            BOOST_TEST(block.origin == "t.csv:1-2");
            if (threads == 1) joined.insert(joined.end(), block.entries().begin(), block.entries().end());
            if (threads == 3) next_row += block.rows;
          }
        }
        BOOST_TEST(joined == values(whole), boost::test_tools::per_element());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(several_selections_of_a_block_equal_each_read_alone) {
  const std::string text = table(50, true);
  const TempFile file("slope_row_block_selections.csv", text);
  const std::vector<std::string_view> selections{"1-2", "label"};
  for (std::size_t part = 0; part < 3; ++part) {
    std::size_t total = 0, total_alone = 0;
    const std::vector<Matrix> read =
        slope::lang::read_csv_block_selections(file.path, selections, RowBlock{part, 3}, total, 2);
    BOOST_TEST(total == 50u);
    for (std::size_t s = 0; s < selections.size(); ++s) {
      const Matrix alone = slope::lang::read_csv_block(file.path, selections[s], RowBlock{part, 3}, total_alone, 1);
      BOOST_TEST(values(read[s]) == values(alone), boost::test_tools::per_element());
      BOOST_TEST(read[s].first_row == alone.first_row);
      BOOST_TEST(read[s].origin == alone.origin);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_error_names_its_row_in_the_whole_file) {
  std::string text = table(10, true);
  text.replace(text.find("7.5"), 3, "7.x");  // row 8, line 9
  std::size_t total = 0;
  // The block that holds the bad row reports it at its line; the others read fine.
  BOOST_TEST(slope::lang::test::error_of<slope::lang::DataError>([&] {
               (void)slope::lang::parse_csv_block(text, "t.csv", "1-2", RowBlock{1, 2}, total);
             }) == "t.csv:9:1: error: cell \"7.x\" is not a number");
  BOOST_TEST(slope::lang::parse_csv_block(text, "t.csv", "1-2", RowBlock{0, 2}, total).rows == 5u);
  BOOST_TEST(slope::lang::test::error_of<slope::lang::DataError>([&] {
               (void)slope::lang::parse_csv_block(table(2, true), "t.csv", "", RowBlock{0, 3}, total);
             }) == "t.csv: error: the file has 2 rows, fewer than the 3 processes that share its rows");
}

BOOST_AUTO_TEST_CASE(take_rows_views_a_view_and_copies_owned_values) {
  const std::vector<double> values{1, 2, 3, 4, 5, 6};
  const Matrix view = slope::lang::take_rows(Matrix::view(values, 3, 2, "v"), 1, 3);
  BOOST_TEST(view.values.empty());
  BOOST_TEST(view.entries().data() == values.data() + 2);
  BOOST_TEST(view.first_row == 1u);
  const Matrix copy = slope::lang::take_rows(Matrix::from_row_major(values, 3, 2, "m"), 2, 3);
  BOOST_TEST(copy.values == std::vector<double>({5, 6}), boost::test_tools::per_element());
  BOOST_TEST(copy.first_row == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
