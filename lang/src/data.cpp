/// \file
/// The in-memory matrix a model's data is bound as. The readers are csv.cpp, npy.cpp and
/// json_data.cpp.

#include "slope/lang/data.hpp"

#include <fmt/format.h>

#include <utility>

#include "slope/autodiff/errors.hpp"

namespace slope::lang {

Matrix Matrix::from_row_major(std::span<const double> values, std::size_t rows, std::size_t cols, std::string origin) {
  if (values.size() != rows * cols) {
    throw slope::ArgumentError(
        fmt::format("Matrix::from_row_major: {} values for a {} x {} matrix", values.size(), rows, cols));
  }
  return Matrix{rows, cols, std::vector<double>(values.begin(), values.end()), std::move(origin)};
}

Matrix Matrix::from_vector(std::span<const double> values, std::string origin) {
  return Matrix{values.size(), 1, std::vector<double>(values.begin(), values.end()), std::move(origin)};
}

Matrix Matrix::view(std::span<const double> values, std::size_t rows, std::size_t cols, std::string origin) {
  if (values.size() != rows * cols) {
    throw slope::ArgumentError(fmt::format("Matrix::view: {} values for a {} x {} matrix", values.size(), rows, cols));
  }
  Matrix m{rows, cols, {}, std::move(origin)};
  m.borrowed = values;
  return m;
}

std::string describe(const Array& array) {
  const Matrix& m = array.matrix;
  if (array.rank == 0) return "a scalar";
  if (array.rank == 1) return fmt::format("a vector of {} number{}", m.rows, m.rows == 1 ? "" : "s");
  return fmt::format("a {} x {} matrix", m.rows, m.cols);
}

}  // namespace slope::lang
