#include "linear_map.hpp"

#include <algorithm>
#include <vector>

#include "avx2_clones.hpp"
#include "fork_join.hpp"

// The loops over a map's rows are compiled for AVX2 too (avx2_clones.hpp): the matrix
// products of a model over data rows are most of its evaluation. Only the outer loops are
// cloned, with dot4 inlined into them.

namespace slope::detail {

namespace {

/// dot4's loop, inlined into the cloned loops over rows (compiled for their target).
[[gnu::always_inline]] inline double dot4_inline(const double* __restrict a, const double* __restrict b,
                                                 std::size_t n) noexcept {
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

}  // namespace

double dot4(const double* __restrict a, const double* __restrict b, std::size_t n) noexcept {
  return dot4_inline(a, b, n);
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

namespace {

/// Sums over rows (M^T v) go by fixed blocks of this many rows, whose partial sums are added
/// in block order: the same bits whether the blocks run on one thread or several.
constexpr std::size_t kRowBlock = 4096;
/// ... as long as the blocks' partial sums take at most this many doubles (else the sums run
/// over all rows, split by columns for threads).
constexpr std::size_t kMostBlockPartials = std::size_t{1} << 20;
/// Maps smaller than this many entries are not worth handing out to a team.
constexpr std::size_t kParallelEntries = std::size_t{1} << 16;
/// The fewest columns a part of a column split gets (a narrower strip of each row wastes most
/// of every cache line it reads).
constexpr std::size_t kFewestColumns = 8;

std::size_t row_blocks(const LinearMap& map) noexcept { return (map.rows + kRowBlock - 1) / kRowBlock; }

bool blocked_over_rows(const LinearMap& map) noexcept {
  return map.rows > kRowBlock && row_blocks(map) * map.cols <= kMostBlockPartials;
}

/// out = sum_{r0 <= i < r1} v_i row_i, in row order (overwrites out); rows whose v_i is zero
/// are skipped when `skip_zero` (an adjoint: 0 * inf adds nothing, as in the scalar sweep).
SLOPE_AVX2_CLONES void combine_rows(const LinearMap& map, std::size_t r0, std::size_t r1, const double* v,
                                    double* out, bool skip_zero) noexcept {
  const std::size_t cols = map.cols;
  std::fill_n(out, cols, 0.0);
  const auto add_row = [&](std::size_t i) {
    const double a = v[i];
    if (skip_zero && a == 0.0) return;
    const double* __restrict row = map.data + i * map.stride;
    double* __restrict o = out;
    for (std::size_t j = 0; j < cols; ++j) o[j] += a * row[j];
  };
  // Four rows at a time, the same additions in the same order, but out[j] stays in a register
  // across them instead of going through memory after every row.
  std::size_t i = r0;
  for (; i + 4 <= r1; i += 4) {
    const double a0 = v[i], a1 = v[i + 1], a2 = v[i + 2], a3 = v[i + 3];
    if (skip_zero && (a0 == 0.0 || a1 == 0.0 || a2 == 0.0 || a3 == 0.0)) {
      for (std::size_t k = i; k < i + 4; ++k) add_row(k);
      continue;
    }
    const double* __restrict x0 = map.data + i * map.stride;
    const double* __restrict x1 = x0 + map.stride;
    const double* __restrict x2 = x1 + map.stride;
    const double* __restrict x3 = x2 + map.stride;
    double* __restrict o = out;
    for (std::size_t j = 0; j < cols; ++j) o[j] = (((o[j] + a0 * x0[j]) + a1 * x1[j]) + a2 * x2[j]) + a3 * x3[j];
  }
  for (; i < r1; ++i) add_row(i);
}

/// Block b's partial sum into partials + b * cols.
void combine_block(const LinearMap& map, std::size_t b, const double* v, double* partials, bool skip_zero) noexcept {
  combine_rows(map, b * kRowBlock, std::min<std::size_t>(map.rows, (b + 1) * kRowBlock), v,
               partials + b * map.cols, skip_zero);
}

/// out = sum_i v_i row_i over all rows: by blocks when blocked_over_rows (block 0 straight into
/// out, the others added in order), with the blocks handed out to `team` when given.
void combine_all_rows(const LinearMap& map, const double* v, double* out, bool skip_zero, ForkJoin* team) {
  if (!blocked_over_rows(map)) {
    combine_rows(map, 0, map.rows, v, out, skip_zero);
    return;
  }
  const std::size_t blocks = row_blocks(map);
  const std::size_t cols = map.cols;
  thread_local std::vector<double> partials;  // the caller's: grows once, then stays
  partials.resize(blocks * cols);
  double* p = partials.data();
  if (team != nullptr && std::size_t{map.rows} * cols >= kParallelEntries) {
    team->run([&](std::size_t t, std::size_t n) {
      const auto [b0, b1] = part(blocks, t, n);
      for (std::size_t b = b0; b < b1; ++b) combine_block(map, b, v, p, skip_zero);
    });
  } else {
    for (std::size_t b = 0; b < blocks; ++b) combine_block(map, b, v, p, skip_zero);
  }
  std::copy_n(p, cols, out);
  for (std::size_t b = 1; b < blocks; ++b) {
    const double* __restrict q = p + b * cols;
    for (std::size_t j = 0; j < cols; ++j) out[j] += q[j];
  }
}

/// Columns [j0, j1) of the map.
LinearMap columns_of(const LinearMap& map, std::size_t j0, std::size_t j1) noexcept {
  LinearMap part = map;
  part.data = map.data + j0;
  part.cols = static_cast<std::uint32_t>(j1 - j0);
  return part;
}

bool worth_a_team(const LinearMap& map, ForkJoin* team) noexcept {
  return team != nullptr && !map.sum && std::size_t{map.rows} * map.cols >= kParallelEntries;
}

/// y_i = row_i . u for rows [r0, r1).
SLOPE_AVX2_CLONES void dot_row_range(const LinearMap& map, const double* u, double* y, std::size_t r0,
                                     std::size_t r1) noexcept {
  for (std::size_t i = r0; i < r1; ++i) y[i] = dot4_inline(map.data + i * map.stride, u, map.cols);
}

/// One dot product per row, y_i = row_i . u for rows [0, rows), split by rows over `team`.
void dot_rows(const LinearMap& map, const double* u, double* y, ForkJoin* team) noexcept {
  const auto rows = [&](std::size_t r0, std::size_t r1) { dot_row_range(map, u, y, r0, r1); };
  if (worth_a_team(map, team) && map.rows >= team->threads()) {
    team->run([&](std::size_t t, std::size_t n) {
      const auto [r0, r1] = part(map.rows, t, n);
      rows(r0, r1);
    });
  } else {
    rows(0, map.rows);
  }
}

/// combine_all_rows, split by columns over `team` when the map is not blocked over rows (each
/// column's sum then keeps its row order).
void combine_columns(const LinearMap& map, const double* v, double* out, bool skip_zero, ForkJoin* team) {
  if (!blocked_over_rows(map) && worth_a_team(map, team) && map.cols >= kFewestColumns * team->threads()) {
    team->run([&](std::size_t t, std::size_t n) {
      const auto [j0, j1] = part(map.cols, t, n);
      combine_rows(columns_of(map, j0, j1), 0, map.rows, v, out + j0, skip_zero);
    });
    return;
  }
  combine_all_rows(map, v, out, skip_zero, team);
}

}  // namespace

void apply(const LinearMap& map, const double* u, double* y, ForkJoin* team) {
  if (map.sum) {
    y[0] = sum4(u, map.cols) * map.scale;
  } else if (!map.transposed) {
    dot_rows(map, u, y, team);
  } else {
    combine_columns(map, u, y, /*skip_zero=*/false, team);
  }
}

void apply_adjoint(const LinearMap& map, const double* ybar, double* g, ForkJoin* team) {
  if (map.sum) {
    const double a = ybar[0];
    std::fill_n(g, map.cols, a == 0.0 ? 0.0 : a * map.scale);
  } else if (!map.transposed) {
    combine_columns(map, ybar, g, /*skip_zero=*/true, team);  // g = M^T ybar
  } else {
    dot_rows(map, ybar, g, team);  // g = M ybar
  }
}

void apply(const LinearMap& map, const double* u, double* y) { apply(map, u, y, nullptr); }

void apply_adjoint(const LinearMap& map, const double* ybar, double* g) {
  apply_adjoint(map, ybar, g, nullptr);
}

}  // namespace slope::detail
