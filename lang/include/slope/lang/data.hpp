#pragma once
/// \file
/// Numeric data for a model: an in-memory matrix, and the CSV reader that fills one. The
/// JSON and .npy readers (json_data.hpp, npy.hpp) fill an Array, which also knows its rank.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slope::lang {

/// A dense row-major matrix of doubles, with where it came from (for messages).
struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  ///< rows * cols entries, row-major (empty for a view)
  std::string origin;          ///< e.g. "data.csv" or "data.csv:2-31"; empty for in-memory data
  /// For a block of the rows of a larger file (one process's share, see RowSplit): how many
  /// rows come before it, so that messages give the row's number in the whole file.
  std::size_t first_row = 0;
  /// A view's rows * cols entries, owned by the caller (see view()); empty otherwise.
  std::span<const double> borrowed{};
  /// Keeps the borrowed entries alive when the matrix itself owns them through another object
  /// (the mapping of a .npy file); null for the caller's memory.
  std::shared_ptr<const void> keep_alive{};

  /// The entries, row-major: `values`, or the caller's memory for a view.
  [[nodiscard]] std::span<const double> entries() const noexcept {
    return values.empty() ? borrowed : std::span<const double>(values);
  }
  [[nodiscard]] double operator()(std::size_t row, std::size_t col) const { return entries()[row * cols + col]; }
  /// A matrix copied from a row-major span.
  static Matrix from_row_major(std::span<const double> values, std::size_t rows, std::size_t cols,
                               std::string origin = {});
  /// A one-column matrix (a vector).
  static Matrix from_vector(std::span<const double> values, std::string origin = {});
  /// A matrix that refers to the caller's row-major values without copying them (the Python
  /// binding binds NumPy arrays this way). The values must stay alive and unchanged for as long
  /// as a Model they are bound to is used. Throws slope::ArgumentError unless
  /// values.size() == rows * cols.
  static Matrix view(std::span<const double> values, std::size_t rows, std::size_t cols, std::string origin = {});
};

/// A value read from a file that says what it is: a scalar (rank 0, a 1 x 1 matrix), a vector
/// (rank 1, one column) or a matrix (rank 2). A CSV file does not say, so read_csv gives a
/// Matrix, which binds to a vector or a matrix alike.
struct Array {
  int rank = 0;
  Matrix matrix;
};

/// One value of a file that names its values (a JSON data file).
struct NamedArray {
  std::string name;
  Array array;
};

/// "a scalar", "a vector of 3 numbers", "a 3 x 4 matrix": what an Array is, for messages.
[[nodiscard]] std::string describe(const Array& array);

/// One process's share of the rows of a file, when the rows are split over `parts` processes:
/// block `part` (0-based) holds rows [begin(rows), end(rows)), about rows / parts of them.
struct RowBlock {
  std::size_t part = 0;
  std::size_t parts = 1;
  [[nodiscard]] std::size_t begin(std::size_t rows) const noexcept { return rows / parts * part + rows % parts * part / parts; }
  [[nodiscard]] std::size_t end(std::size_t rows) const noexcept { return part + 1 == parts ? rows : RowBlock{part + 1, parts}.begin(rows); }
};

/// Rows [begin, end) of `m`: a view of them when m is a view (kept alive with it), else a copy;
/// first_row counts the rows before them.
[[nodiscard]] Matrix take_rows(Matrix m, std::size_t begin, std::size_t end);

/// Reads a numeric, comma-separated file. A first row that is not numeric is a header.
/// `columns` picks columns: empty for all; else a comma-separated list of header names or
/// 1-based indices, with ranges "2-31". Throws DataError naming file, row and column for a
/// non-numeric cell, a ragged row or an unknown column, and the file alone when it cannot be
/// opened or read.
///
/// The rows are parsed on `threads` threads (0: one per core, for files of a few MB and more),
/// in chunks cut at line breaks; the result is the same bits for any number of threads, and an
/// error is the first one in the file, with its true row number. The numbers are in a buffer
/// the Matrix keeps alive (entries(); `values` stays empty), written by the parsing threads.
[[nodiscard]] Matrix read_csv(const std::filesystem::path& path, std::string_view columns = {}, unsigned threads = 0);
/// read_csv of several selections of columns of one file, which is parsed once: one Matrix per
/// selection, in order (as `X` and `y` from "1-20" and "label"). A cell is checked when any
/// selection picks it; the first error in the file is thrown.
[[nodiscard]] std::vector<Matrix> read_csv_selections(const std::filesystem::path& path,
                                                      std::span<const std::string_view> selections,
                                                      unsigned threads = 0);
/// The same for text already in memory; `name` is used in messages.
[[nodiscard]] Matrix parse_csv(std::string_view text, std::string_view name, std::string_view columns = {},
                               unsigned threads = 0);
/// read_csv of one block of the rows: the line breaks of the whole file are counted (at memchr
/// speed), then only the block's lines are parsed; total_rows receives the file's number of
/// rows, first_row of the result the rows before the block, and an error names its true row.
/// Throws DataError as read_csv does, and when the file has fewer rows than block.parts.
[[nodiscard]] Matrix read_csv_block(const std::filesystem::path& path, std::string_view columns, RowBlock block,
                                    std::size_t& total_rows, unsigned threads = 0);
/// read_csv_block of several selections of columns, the file parsed once (read_csv_selections).
[[nodiscard]] std::vector<Matrix> read_csv_block_selections(const std::filesystem::path& path,
                                                            std::span<const std::string_view> selections,
                                                            RowBlock block, std::size_t& total_rows,
                                                            unsigned threads = 0);
/// The same for text already in memory.
[[nodiscard]] Matrix parse_csv_block(std::string_view text, std::string_view name, std::string_view columns,
                                     RowBlock block, std::size_t& total_rows, unsigned threads = 0);

}  // namespace slope::lang
