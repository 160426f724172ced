#include "linear_map.hpp"

#include <algorithm>

#include "fork_join.hpp"

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

namespace {

/// Maps smaller than this many entries are not worth handing out to a team.
constexpr std::size_t kParallelEntries = std::size_t{1} << 16;
/// The fewest columns a part of a column split gets (a narrower strip of each row wastes most
/// of every cache line it reads).
constexpr std::size_t kFewestColumns = 8;

/// Rows [r0, r1) of the map.
LinearMap rows_of(const LinearMap& map, std::size_t r0, std::size_t r1) noexcept {
  LinearMap part = map;
  part.data = map.data + r0 * map.stride;
  part.rows = static_cast<std::uint32_t>(r1 - r0);
  return part;
}

/// Columns [j0, j1) of the map.
LinearMap columns_of(const LinearMap& map, std::size_t j0, std::size_t j1) noexcept {
  LinearMap part = map;
  part.data = map.data + j0;
  part.cols = static_cast<std::uint32_t>(j1 - j0);
  return part;
}

/// How a large map splits: by rows (each row an output of its own) or by columns.
enum class Split { None, Rows, Columns };

Split split_of(const LinearMap& map, bool by_rows, ForkJoin* team) noexcept {
  if (team == nullptr || map.data == nullptr || std::size_t{map.rows} * map.cols < kParallelEntries) return Split::None;
  if (by_rows) return map.rows >= team->threads() ? Split::Rows : Split::None;
  return map.cols >= kFewestColumns * team->threads() ? Split::Columns : Split::None;
}

}  // namespace

void apply(const LinearMap& map, const double* u, double* y, ForkJoin* team) noexcept {
  // M u: one dot product per row (rows apart); M^T u: each output sums over all rows (columns apart).
  switch (split_of(map, !map.transposed, team)) {
    case Split::None: apply(map, u, y); return;
    case Split::Rows:
      team->run([&](std::size_t t, std::size_t n) {
        const auto [r0, r1] = part(map.rows, t, n);
        apply(rows_of(map, r0, r1), u, y + r0);
      });
      return;
    case Split::Columns:
      team->run([&](std::size_t t, std::size_t n) {
        const auto [j0, j1] = part(map.cols, t, n);
        apply(columns_of(map, j0, j1), u, y + j0);
      });
      return;
  }
}

void apply_adjoint(const LinearMap& map, const double* ybar, double* g, ForkJoin* team) noexcept {
  // Transposed roles: the adjoint of M u sums over rows (columns apart), that of M^T u is one
  // dot product per row (rows apart).
  switch (split_of(map, map.transposed, team)) {
    case Split::None: apply_adjoint(map, ybar, g); return;
    case Split::Rows:
      team->run([&](std::size_t t, std::size_t n) {
        const auto [r0, r1] = part(map.rows, t, n);
        apply_adjoint(rows_of(map, r0, r1), ybar, g + r0);
      });
      return;
    case Split::Columns:
      team->run([&](std::size_t t, std::size_t n) {
        const auto [j0, j1] = part(map.cols, t, n);
        apply_adjoint(columns_of(map, j0, j1), ybar, g + j0);
      });
      return;
  }
}

}  // namespace slope::detail
