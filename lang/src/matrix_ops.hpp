#pragma once
/// \file
/// (internal) The operations on matrices: products, transposes, reductions along a dimension
/// and the row-wise softmax. Like vector_ops.hpp, every product with data is a tape node that
/// references the data (one matvec per column of the active side, or one vecmat per row), never
/// one node per entry and never a copy; computed passive matrices, which die with the
/// evaluation, go through dot products that copy their operands.

#include <span>
#include <type_traits>
#include <vector>

#include <slope/autodiff.hpp>

#include "math.hpp"
#include "value.hpp"
#include "vector_ops.hpp"

namespace slope::lang::detail {

/// Column j of a row-major rows x cols T matrix, gathered.
template <class T>
std::vector<T> column(std::span<const T> items, std::size_t rows, std::size_t cols, std::size_t j) {
  std::vector<T> out(rows);
  for (std::size_t i = 0; i < rows; ++i) out[i] = items[i * cols + j];
  return out;
}

/// The matrix product a b of a [n, d] and b [d, k] (or a vector [d]: then [n]).
template <class T>
Value<T> matrix_product(const Value<T>& a, const Value<T>& b) {
  if (b.shape().rank == 1) return matrix_vector(a, b);
  const std::size_t n = a.shape().rows;
  const std::size_t d = a.shape().cols;
  const std::size_t k = b.shape().cols;
  const Shape shape{2, n, k};
  if (a.is_passive() && b.is_passive()) {
    std::vector<double> out(n * k);
    for (std::size_t j = 0; j < k; ++j) {
      const std::vector<double> bj = column(b.doubles(), d, k, j);
      for (std::size_t i = 0; i < n; ++i) out[i * k + j] = dot_passive(a.doubles().subspan(i * d, d), bj);
    }
    return Value<T>::passive_owned(shape, std::move(out));
  }
  std::vector<T> out(n * k);
  if constexpr (std::is_same_v<T, Var>) {
    if (a.is_passive() && a.is_view()) {  // data X [n, d] times W [d, k]: one matvec per column of W
      std::vector<Var> column_out(n);
      for (std::size_t j = 0; j < k; ++j) {
        const std::vector<Var> wj = column(b.items(), d, k, j);
        slope::matvec(ConstMatrixView(a.doubles().data(), n, d), wj, column_out);
        for (std::size_t i = 0; i < n; ++i) out[i * k + j] = column_out[i];
      }
      return Value<T>::owned(shape, std::move(out));
    }
    if (b.is_passive() && b.is_view()) {  // A [n, d] times data B [d, k]: one vecmat per row of A
      for (std::size_t i = 0; i < n; ++i) {
        slope::vecmat(a.items().subspan(i * d, d), ConstMatrixView(b.doubles().data(), d, k),
                      std::span<Var>(out).subspan(i * k, k));
      }
      return Value<T>::owned(shape, std::move(out));
    }
    if (!a.is_passive() && !b.is_passive()) {
      slope::matmul(a.items(), b.items(), n, d, k, out);
      return Value<T>::owned(shape, std::move(out));
    }
  }
  // doubles, or a computed passive side: one dot product per entry
  for (std::size_t j = 0; j < k; ++j) {
    if (b.is_passive()) {
      const std::vector<double> bj = column(b.doubles(), d, k, j);
      for (std::size_t i = 0; i < n; ++i) out[i * k + j] = dot_passive(bj, a.items().subspan(i * d, d));
    } else {
      const std::vector<T> bj = column(b.items(), d, k, j);
      for (std::size_t i = 0; i < n; ++i) {
        out[i * k + j] = a.is_passive() ? dot_passive(a.doubles().subspan(i * d, d), std::span<const T>(bj))
                                        : dot_active(a.items().subspan(i * d, d), std::span<const T>(bj));
      }
    }
  }
  return Value<T>::owned(shape, std::move(out));
}

/// x' b for data x [m, n] (a view, referenced by the nodes, not transposed) and an active b
/// [m] or [m, k]: one vecmat per column of b, so that `X' * r` costs what `X * w` costs and
/// copies nothing.
inline Value<Var> transposed_data_product(const Value<Var>& x, const Value<Var>& b) {
  const std::size_t m = x.shape().rows;
  const std::size_t n = x.shape().cols;
  const std::size_t k = b.shape().rank == 1 ? 1 : b.shape().cols;
  std::vector<Var> out(n * k);
  std::vector<Var> column_out(n);
  for (std::size_t j = 0; j < k; ++j) {
    const std::vector<Var> bj = column(b.items(), m, k, j);
    slope::vecmat(bj, ConstMatrixView(x.doubles().data(), m, n), column_out);
    for (std::size_t i = 0; i < n; ++i) out[i * k + j] = column_out[i];
  }
  return Value<Var>::owned(b.shape().rank == 1 ? Shape{1, n, 1} : Shape{2, n, k}, std::move(out));
}

/// The transpose of a matrix [n, d] ([d, n]) or of a vector [n] (the row [1, n]: same order).
template <class T>
Value<T> transpose(const Value<T>& x, const Shape& shape) {
  const std::size_t rows = x.shape().rows;
  const std::size_t cols = x.shape().cols;
  if (x.is_passive()) {
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = x.doubles()[i * cols + j];
    }
    return Value<T>::passive_owned(shape, std::move(out));
  }
  if (x.shape().rank == 0) return Value<T>::scalar(x[0]);
  std::vector<T> out(x.size());
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = x[i * cols + j];
  }
  return Value<T>::owned(shape, std::move(out));
}

/// The rows of a matrix as consecutive spans, or its columns gathered, reduced each by `f`
/// (sum, log_sum_exp) into a vector; divided by the count for means.
template <class T, class F>
Value<T> along(const Value<T>& x, bool rows, bool mean, F f) {
  const std::size_t n = x.shape().rows;
  const std::size_t k = x.shape().cols;
  const std::size_t count = rows ? n : k;
  const std::size_t length = rows ? k : n;
  const Shape shape{1, count, 1};
  if (x.is_passive()) {
    std::vector<double> out(count);
    for (std::size_t r = 0; r < count; ++r) {
      const std::vector<double> line = rows ? std::vector<double>(x.doubles().begin() + static_cast<std::ptrdiff_t>(r * k),
                                                                  x.doubles().begin() + static_cast<std::ptrdiff_t>(r * k + k))
                                            : column(x.doubles(), n, k, r);
      out[r] = slope::value(f(std::span<const double>(line)));
      if (mean) out[r] /= static_cast<double>(length);
    }
    return Value<T>::passive_owned(shape, std::move(out));
  }
  std::vector<T> out(count);
  for (std::size_t r = 0; r < count; ++r) {
    if (rows) {
      out[r] = f(x.items().subspan(r * k, k));
    } else {
      const std::vector<T> line = column(x.items(), n, k, r);
      out[r] = f(std::span<const T>(line));
    }
    if (mean) out[r] = out[r] / static_cast<double>(length);
  }
  return Value<T>::owned(shape, std::move(out));
}

/// softmax (or log_softmax) of a vector, or of each row of a matrix: x - log_sum_exp(x), the
/// stable form (no exp of a large x), then exp for the softmax.
template <class T>
Value<T> softmax(const Value<T>& x, bool log) {
  const std::size_t width = x.shape().rank == 2 ? x.shape().cols : x.size();
  const std::size_t lines = width == 0 ? 0 : x.size() / width;  // an empty vector's softmax is empty
  if (x.is_passive()) {
    std::vector<double> out(x.size());
    for (std::size_t r = 0; r < lines; ++r) {
      const auto line = x.doubles().subspan(r * width, width);
      const double lse = slope::log_sum_exp(line);
      for (std::size_t j = 0; j < width; ++j) out[r * width + j] = log ? line[j] - lse : Exp::value(line[j] - lse);
    }
    return Value<T>::passive_owned(x.shape(), std::move(out));
  }
  std::vector<T> out(x.size());
  for (std::size_t r = 0; r < lines; ++r) {
    const auto line = x.items().subspan(r * width, width);
    const T lse = slope::log_sum_exp(line);
    for (std::size_t j = 0; j < width; ++j) {
      const T shifted = line[j] - lse;
      out[r * width + j] = log ? shifted : apply_unary<Exp>(shifted);
    }
  }
  return Value<T>::owned(x.shape(), std::move(out));
}

}  // namespace slope::lang::detail
