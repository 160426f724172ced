#include "linear_map.hpp"

#include <algorithm>

namespace slope::detail {

double dot4(const double* __restrict a, const double* __restrict b, std::size_t n) noexcept {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

double sum4(const double* __restrict b, std::size_t n) noexcept {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += b[i];
    s1 += b[i + 1];
    s2 += b[i + 2];
    s3 += b[i + 3];
  }
  for (; i < n; ++i) s0 += b[i];
  return (s0 + s1) + (s2 + s3);
}

void apply(const LinearMap& map, const double* u, double* y) noexcept {
  if (map.data == nullptr) {
    y[0] = sum4(u, map.cols) * map.scale;
    return;
  }
  const std::size_t rows = map.rows;
  const std::size_t cols = map.cols;
  if (!map.transposed) {
    for (std::size_t i = 0; i < rows; ++i) y[i] = dot4(map.data + i * map.stride, u, cols);
    return;
  }
  std::fill_n(y, cols, 0.0);
  for (std::size_t i = 0; i < rows; ++i) {
    const double* __restrict row = map.data + i * map.stride;
    const double a = u[i];
    for (std::size_t j = 0; j < cols; ++j) y[j] += a * row[j];
  }
}

void apply_adjoint(const LinearMap& map, const double* ybar, double* g) noexcept {
  const std::size_t rows = map.rows;
  const std::size_t cols = map.cols;
  if (map.data == nullptr) {
    const double a = ybar[0];
    std::fill_n(g, cols, a == 0.0 ? 0.0 : a * map.scale);
    return;
  }
  if (!map.transposed) {
    // y = M u: g = M^T ybar, one axpy per row with a nonzero adjoint.
    std::fill_n(g, cols, 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
      const double a = ybar[i];
      if (a == 0.0) continue;
      const double* __restrict row = map.data + i * map.stride;
      double* __restrict out = g;
      for (std::size_t j = 0; j < cols; ++j) out[j] += a * row[j];
    }
    return;
  }
  // y = M^T u: g = M ybar, one dot product per row.
  for (std::size_t i = 0; i < rows; ++i) g[i] = dot4(map.data + i * map.stride, ybar, cols);
}

}  // namespace slope::detail
