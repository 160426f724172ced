#pragma once
/// \file
/// Kernel d: the sum of the entries of a 32×32 matrix product, every entry of A and B active.

#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Kernel d: `f = Σ_i Σ_j Σ_k A[i][k]·B[k][j]`, the inner sum accumulated in a scalar `c` per
/// (i, j), then `f += c`. A and B are 32×32, uniform(−1, 1); the input is A then B, row-major
/// (2048 entries, all active).
struct MatrixProduct {
  static constexpr std::string_view id = "d";
  static constexpr std::string_view name = "matrix_product";
  static constexpr std::size_t size = 32;
  static constexpr std::size_t n = 2 * size * size;

  std::vector<double> x0;
  std::vector<double> x1;

  MatrixProduct() {
    std::mt19937_64 rng(data_seed(id));
    x0 = uniform_draws(rng, n, -1.0, 1.0);
    x1 = uniform_draws(rng, n, -1.0, 1.0);
  }

  /// f(A, B) = sum of the entries of A·B.
  template <class T>
  T evaluate(std::span<const T> x) const {
    const std::span<const T> a = x.first(size * size);
    const std::span<const T> b = x.subspan(size * size);
    T f = 0.0;
    for (std::size_t i = 0; i < size; ++i) {
      for (std::size_t j = 0; j < size; ++j) {
        T c = 0.0;
        for (std::size_t k = 0; k < size; ++k) c += a[i * size + k] * b[k * size + j];
        f += c;
      }
    }
    return f;
  }

  /// Returns f(A, B), computed as in `evaluate`; df/dA[i][k] = Σ_j B[k][j] (row sums of B) and
  /// df/dB[k][j] = Σ_i A[i][k] (column sums of A). The gradient costs O(n²) against the value's
  /// O(n³): this is what a person would write, so the row shows what taping leaves on the table.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const std::span<const double> a = x.first(size * size);
    const std::span<const double> b = x.subspan(size * size);
    const std::span<double> grad_a = grad.first(size * size);
    const std::span<double> grad_b = grad.subspan(size * size);
    double f = 0.0;
    for (std::size_t i = 0; i < size; ++i) {
      for (std::size_t j = 0; j < size; ++j) {
        double c = 0.0;
        for (std::size_t k = 0; k < size; ++k) c += a[i * size + k] * b[k * size + j];
        f += c;
      }
    }
    for (std::size_t k = 0; k < size; ++k) {
      double row_sum_b = 0.0;
      for (std::size_t j = 0; j < size; ++j) row_sum_b += b[k * size + j];
      for (std::size_t i = 0; i < size; ++i) grad_a[i * size + k] = row_sum_b;
    }
    for (std::size_t k = 0; k < size; ++k) {
      double column_sum_a = 0.0;
      for (std::size_t i = 0; i < size; ++i) column_sum_a += a[i * size + k];
      for (std::size_t j = 0; j < size; ++j) grad_b[k * size + j] = column_sum_a;
    }
    return f;
  }
};

}  // namespace slope::bench
