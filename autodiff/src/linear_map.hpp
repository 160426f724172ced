#pragma once
// slope::detail::LinearMap: y = M u for a passive matrix M that is referenced, never copied.
// It is the one description of the linear vector operations (sum, mean, dot with a passive
// vector, matvec, vecmat) shared by the tape's vector nodes (vector_node.hpp) and a compiled
// Function's vector instructions (program.hpp), so that both compute the same bits with the
// same loops. Private to the library's sources.

#include <cstddef>
#include <cstdint>

namespace slope::detail {

class ForkJoin;

/// y = M u, or y = M^T u when `transposed`, for M row-contiguous (rows x cols, row i at
/// data + i * stride). With `sum`, M is one row whose every entry is `scale` (a sum, or a mean
/// with scale 1/n), and `data` is not read. (A flag, not a null `data`: an empty matrix's data
/// may be null.)
///
/// Partials: d y_i / d u_j = M(i, j) (transposed: M(j, i)); constant, so a map is linear and
/// its second derivatives vanish.
struct LinearMap {
  const double* data = nullptr;
  std::size_t stride = 0;
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  double scale = 1.0;
  bool sum = false;
  bool transposed = false;

  /// Length of u.
  [[nodiscard]] std::size_t inputs() const noexcept { return transposed ? rows : cols; }
  /// Length of y.
  [[nodiscard]] std::size_t outputs() const noexcept { return transposed ? cols : rows; }
};

/// sum_i a[i] * b[i] with four accumulators (a single one is a chain of dependent adds that
/// the compiler may not reorder, so it would not vectorize).
double dot4(const double* __restrict a, const double* __restrict b, std::size_t n) noexcept;
/// sum_i b[i], four accumulators in the order of dot4.
double sum4(const double* __restrict b, std::size_t n) noexcept;

/// y = M u (y has map.outputs() entries, u map.inputs()).
///
/// Sums over the rows of M (M^T u) run over fixed blocks of 4096 rows, whose partial sums are
/// added in block order; a dot product per row keeps one row's order. The order depends on the
/// map's shape alone, so values have the same bits on one thread or many.
void apply(const LinearMap& map, const double* u, double* y);
/// g = M^T ybar (g has map.inputs() entries and is overwritten): the adjoint of u. A row of M
/// whose output adjoint is zero contributes nothing, also where M holds an infinity (as the
/// scalar sweep, which skips zero adjoints).
void apply_adjoint(const LinearMap& map, const double* ybar, double* g);

/// apply and apply_adjoint with a large map's work handed out to `team` (null: serial): rows
/// of M, blocks of rows, or columns. The bits do not depend on the team.
void apply(const LinearMap& map, const double* u, double* y, ForkJoin* team);
void apply_adjoint(const LinearMap& map, const double* ybar, double* g, ForkJoin* team);

}  // namespace slope::detail
