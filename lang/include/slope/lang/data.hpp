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
  std::vector<double> values;  ///< rows * cols entries, row-major (empty for a view)
  std::string origin;          ///< e.g. "data.csv" or "data.csv:2-31"; empty for in-memory data
  /// A view's rows * cols entries, owned by the caller (see view()); empty otherwise.
  std::span<const double> borrowed{};

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
  /// as a Model they are bound to is used. Throws std::invalid_argument unless
  /// values.size() == rows * cols.
  static Matrix view(std::span<const double> values, std::size_t rows, std::size_t cols, std::string origin = {});
};

/// Reads a numeric, comma-separated file. A first row that is not numeric is a header.
/// `columns` picks columns: empty for all; else a comma-separated list of header names or
/// 1-based indices, with ranges "2-31". Throws DataError naming file, row and column for a
/// missing file, a non-numeric cell, a ragged row or an unknown column.
[[nodiscard]] Matrix read_csv(const std::filesystem::path& path, std::string_view columns = {});
/// The same for text already in memory; `name` is used in messages.
[[nodiscard]] Matrix parse_csv(std::string_view text, std::string_view name, std::string_view columns = {});

}  // namespace slope::lang
