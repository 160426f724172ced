#pragma once
/// \file
/// Numeric data for a model: an in-memory matrix, and the CSV reader that fills one.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slope::lang {

/// A dense row-major matrix of doubles, with where it came from (for messages).
struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  ///< rows * cols entries, row-major
  std::string origin;          ///< e.g. "data.csv" or "data.csv:2-31"; empty for in-memory data

  [[nodiscard]] double operator()(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
  /// A matrix copied from a row-major span.
  static Matrix from_row_major(std::span<const double> values, std::size_t rows, std::size_t cols,
                               std::string origin = {});
  /// A one-column matrix (a vector).
  static Matrix from_vector(std::span<const double> values, std::string origin = {});
};

/// Reads a numeric, comma-separated file. A first row that is not numeric is a header.
/// `columns` picks columns: empty for all; else a comma-separated list of header names or
/// 1-based indices, with ranges "2-31". Throws DataError naming file, row and column for a
/// missing file, a non-numeric cell, a ragged row or an unknown column.
[[nodiscard]] Matrix read_csv(const std::filesystem::path& path, std::string_view columns = {});
/// The same for text already in memory; `name` is used in messages.
[[nodiscard]] Matrix parse_csv(std::string_view text, std::string_view name, std::string_view columns = {});

}  // namespace slope::lang
