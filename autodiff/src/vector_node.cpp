#include "vector_node.hpp"

#include <algorithm>

namespace slope::detail {

namespace {

constexpr std::uint32_t kNone = VectorNodes::kNone;

/// sum_i w[i] * ybar[i] over the nonzero ybar[i] (a select, so it still vectorizes): as in the
/// scalar sweep, a zero adjoint contributes nothing even where w is infinite.
double dot_nonzero(const double* __restrict w, const double* __restrict ybar, std::size_t n) noexcept {
  // The products are computed unconditionally and then selected: a conditional multiply is
  // control flow (it could trap), which stops GCC from vectorizing.
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const double t0 = w[i] * ybar[i], t1 = w[i + 1] * ybar[i + 1], t2 = w[i + 2] * ybar[i + 2], t3 = w[i + 3] * ybar[i + 3];
    s0 += ybar[i] != 0.0 ? t0 : 0.0;
    s1 += ybar[i + 1] != 0.0 ? t1 : 0.0;
    s2 += ybar[i + 2] != 0.0 ? t2 : 0.0;
    s3 += ybar[i + 3] != 0.0 ? t3 : 0.0;
  }
  for (; i < n; ++i) {
    const double t = w[i] * ybar[i];
    s0 += ybar[i] != 0.0 ? t : 0.0;
  }
  return (s0 + s1) + (s2 + s3);
}

#if defined(__GNUC__) || defined(__clang__)
/// Four doubles as one SIMD value (GCC/Clang vector extension; two SSE2 registers without AVX).
/// Spelled out because GCC's vectorizer handles the register-blocked loop below erratically when
/// it is written with plain doubles: 7x slower, keeping the sums on the stack (measured, GCC 12).
using Double4 = double __attribute__((vector_size(4 * sizeof(double))));

/// Loads four doubles into v. (Not returned by value: a vector return draws GCC's -Wpsabi note
/// about the AVX calling convention in builds without AVX, though this is only ever inlined.)
void load4(Double4& v, const double* p) noexcept { std::memcpy(&v, p, sizeof v); }

/// One block of C = X Y: R rows by 4 V columns, whose sums stay in registers over the whole
/// depth. (Accumulating in C itself, one k at a time, makes every step wait for the store of
/// the previous one; that, not arithmetic, bounded the plain i-k-j loop.)
template <std::size_t R, std::size_t V>
void multiply_block(std::size_t depth, StridedMatrix x, const double* y, std::size_t y_stride, double* c,
                    std::size_t c_stride, bool add) noexcept {
  Double4 sum[R][V] = {};
  for (std::size_t k = 0; k < depth; ++k) {
    Double4 y_row[V];
    for (std::size_t v = 0; v < V; ++v) load4(y_row[v], y + k * y_stride + 4 * v);
    for (std::size_t r = 0; r < R; ++r) {
      const double x_rk = x.data[r * x.row_stride + k * x.col_stride];
      const Double4 broadcast = {x_rk, x_rk, x_rk, x_rk};
      for (std::size_t v = 0; v < V; ++v) sum[r][v] += broadcast * y_row[v];
    }
  }
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t v = 0; v < V; ++v) {
      double* c_rv = c + r * c_stride + 4 * v;
      Double4 out = sum[r][v];
      if (add) {
        Double4 old;
        load4(old, c_rv);
        out = old + out;
      }
      std::memcpy(c_rv, &out, sizeof out);
    }
  }
}

/// R rows of C = X Y: blocks of 8 columns (with R = 4, 8 vector sums leave room for the
/// operands in 16 AVX registers), then 4, then single columns.
template <std::size_t R>
void multiply_rows(std::size_t depth, std::size_t cols, StridedMatrix x, const double* y, std::size_t y_stride,
                   double* c, std::size_t c_stride, bool add) noexcept {
  std::size_t j = 0;
  for (; j + 8 <= cols; j += 8) multiply_block<R, 2>(depth, x, y + j, y_stride, c + j, c_stride, add);
  if (j + 4 <= cols) {
    multiply_block<R, 1>(depth, x, y + j, y_stride, c + j, c_stride, add);
    j += 4;
  }
  for (; j < cols; ++j) {
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0.0;
      for (std::size_t k = 0; k < depth; ++k) sum += x.data[r * x.row_stride + k * x.col_stride] * y[k * y_stride + j];
      double& c_rj = c[r * c_stride + j];
      c_rj = add ? c_rj + sum : sum;
    }
  }
}
#else
/// R rows of C = X Y, one entry at a time (compilers without GCC's vector extension).
template <std::size_t R>
void multiply_rows(std::size_t depth, std::size_t cols, StridedMatrix x, const double* y, std::size_t y_stride,
                   double* c, std::size_t c_stride, bool add) noexcept {
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t j = 0; j < cols; ++j) {
      double sum = 0.0;
      for (std::size_t k = 0; k < depth; ++k) sum += x.data[r * x.row_stride + k * x.col_stride] * y[k * y_stride + j];
      double& c_rj = c[r * c_stride + j];
      c_rj = add ? c_rj + sum : sum;
    }
  }
}
#endif

/// out (cols x rows) = the transpose of m (rows x cols, row-contiguous).
void transpose(const double* __restrict m, std::size_t rows, std::size_t cols, double* __restrict out) noexcept {
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = m[i * cols + j];
  }
}

/// The per-element partials of `p`, or null when they all equal p.scale.
const double* partials(const Partials& p, const Buffer<double>& values) noexcept {
  return p.stored ? values.data() + p.offset : p.data;
}

/// adjoint[x_j] += c * w[j] (w null: c) for every operand x_j.
void add_scaled(const Operands& x, const std::uint32_t* ids, const double* __restrict w, double c,
                double* adjoint) noexcept {
  const std::size_t n = x.count;
  if (!x.listed) {
    double* __restrict g = adjoint + x.first;
    if (w != nullptr) {
      for (std::size_t j = 0; j < n; ++j) g[j] += c * w[j];
    } else {
      for (std::size_t j = 0; j < n; ++j) g[j] += c;
    }
    return;
  }
  const std::uint32_t* list = ids + x.first;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t id = list[j];
    if (x.constants && id == kNone) continue;
    adjoint[id] += c * (w != nullptr ? w[j] : 1.0);
  }
}

/// adjoint[x_i] += g[i] for every operand x_i.
void add_vector(const Operands& x, const std::uint32_t* ids, const double* __restrict g, double* adjoint) noexcept {
  add_scaled(x, ids, g, 1.0, adjoint);
}

}  // namespace

void multiply_matrices(std::size_t rows, std::size_t depth, std::size_t cols, StridedMatrix x, const double* y,
                       std::size_t y_stride, double* c, std::size_t c_stride, bool add) noexcept {
  if (rows == 0 || cols == 0) return;
  if (depth == 0) {  // empty sums; the operands' data may be null, and an offset from null is undefined
    if (!add) {
      for (std::size_t r = 0; r < rows; ++r) std::fill_n(c + r * c_stride, cols, 0.0);
    }
    return;
  }
  std::size_t i = 0;
  for (; i + 4 <= rows; i += 4) {
    const StridedMatrix block{x.data + i * x.row_stride, x.row_stride, x.col_stride};
    multiply_rows<4>(depth, cols, block, y, y_stride, c + i * c_stride, c_stride, add);
  }
  for (; i < rows; ++i) {
    const StridedMatrix row{x.data + i * x.row_stride, x.row_stride, x.col_stride};
    multiply_rows<1>(depth, cols, row, y, y_stride, c + i * c_stride, c_stride, add);
  }
}

void VectorNodes::rewind(std::uint32_t nodes) noexcept {
  std::size_t keep = nodes_.size();
  while (keep > 0 && nodes_[keep - 1].output >= nodes) --keep;
  if (keep == nodes_.size()) return;
  ids.truncate(nodes_[keep].ids_size);
  values.truncate(nodes_[keep].values_size);
  nodes_.resize(keep);
}

std::size_t VectorNodes::bytes() const noexcept {
  return nodes_.size() * sizeof(VectorNode) + ids.size() * sizeof(std::uint32_t) + values.size() * sizeof(double);
}

std::size_t VectorNodes::capacity_bytes() const noexcept {
  return nodes_.capacity() * sizeof(VectorNode) + ids.capacity() * sizeof(std::uint32_t) +
         values.capacity() * sizeof(double) + scratch.capacity() * sizeof(double);
}

bool VectorNodes::finite(const Partials& p, std::size_t n) const noexcept {
  const double* d = partials(p, values);
  if (d == nullptr) return p.scale - p.scale == 0.0;
  // x - x is NaN exactly for infinite and NaN x; an integer OR of comparisons vectorizes.
  int bad = 0;
  for (std::size_t i = 0; i < n; ++i) bad |= static_cast<int>(!(d[i] - d[i] == 0.0));
  return bad == 0;
}

void VectorNodes::sweep(std::size_t i, double* adjoint) {
  const VectorNode& node = nodes_[i];
  switch (node.kind) {
    case VectorKind::Reduce: sweep_reduce(node, adjoint); return;
    case VectorKind::Elementwise: sweep_elementwise(node, adjoint); return;
    case VectorKind::MatVec: sweep_matvec(node, adjoint); return;
    case VectorKind::MatMul: sweep_matmul(node, adjoint); return;
  }
}

void VectorNodes::sweep_reduce(const VectorNode& node, double* adjoint) const noexcept {
  const double a = adjoint[node.output];
  if (a == 0.0) return;  // as the scalar sweep: also stops 0 * inf from making NaN
  const double* dx = partials(node.dx, values);
  add_scaled(node.x, ids.data(), dx, dx != nullptr ? a : a * node.dx.scale, adjoint);
  if (node.y.count == 0) return;
  const double* dy = partials(node.dy, values);
  add_scaled(node.y, ids.data(), dy, dy != nullptr ? a : a * node.dy.scale, adjoint);
}

void VectorNodes::sweep_elementwise(const VectorNode& node, double* adjoint) const noexcept {
  const std::size_t n = node.outputs;
  const double* __restrict ybar = adjoint + node.output;
  if (node.x.count > 0) {
    const double* __restrict dx = partials(node.dx, values);
    if (!node.x.listed) {
      // Operands lie below the outputs, so g and ybar never overlap. A zero adjoint adds
      // nothing (a select, not a branch: the loop still vectorizes), as in the scalar sweep.
      double* __restrict g = adjoint + node.x.first;
      if (node.dx.finite) {
        if (dx != nullptr) {
          for (std::size_t i = 0; i < n; ++i) g[i] += dx[i] * ybar[i];
        } else {
          const double c = node.dx.scale;
          for (std::size_t i = 0; i < n; ++i) g[i] += c * ybar[i];
        }
      } else if (dx != nullptr) {
        for (std::size_t i = 0; i < n; ++i) {
          const double t = dx[i] * ybar[i];  // unconditional, so the select vectorizes
          g[i] += ybar[i] != 0.0 ? t : 0.0;
        }
      } else {
        const double c = node.dx.scale;
        for (std::size_t i = 0; i < n; ++i) {
          const double t = c * ybar[i];
          g[i] += ybar[i] != 0.0 ? t : 0.0;
        }
      }
    } else {
      const std::uint32_t* list = ids.data() + node.x.first;
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t id = list[i];
        if ((node.x.constants && id == kNone) || ybar[i] == 0.0) continue;
        adjoint[id] += (dx != nullptr ? dx[i] : node.dx.scale) * ybar[i];
      }
    }
  }
  if (node.scalar != kNone) {
    const double* ds = partials(node.ds, values);
    if (ds == nullptr) {
      adjoint[node.scalar] += node.ds.scale * sum4(ybar, n);
    } else {
      adjoint[node.scalar] += node.ds.finite ? dot4(ds, ybar, n) : dot_nonzero(ds, ybar, n);
    }
  }
}

void VectorNodes::sweep_matvec(const VectorNode& node, double* adjoint) {
  scratch.resize(node.map.inputs());
  apply_adjoint(node.map, adjoint + node.output, scratch.data());
  add_vector(node.x, ids.data(), scratch.data(), adjoint);
}

void VectorNodes::sweep_matmul(const VectorNode& node, double* adjoint) {
  // C = A B with A rows x inner, B inner x cols: adj A += adj C B^T, adj B += A^T adj C, both
  // register-blocked products (B transposed into scratch first, so that both read rows). A
  // dense operand's adjoints are added to in place; a listed one's go through scratch.
  const std::size_t rows = node.rows;
  const std::size_t inner = node.inner;
  const std::size_t cols = node.cols;
  const double* a = values.data() + node.operand_values;
  const double* b = a + rows * inner;
  const double* cbar = adjoint + node.output;
  scratch.resize(cols * inner + (node.x.listed ? rows * inner : 0) + (node.y.listed ? inner * cols : 0));
  double* bt = scratch.data();
  double* const listed = bt + cols * inner;
  transpose(b, inner, cols, bt);
  double* ga = node.x.listed ? listed : adjoint + node.x.first;
  multiply_matrices(rows, cols, inner, {cbar, cols, 1}, bt, inner, ga, inner, !node.x.listed);
  if (node.x.listed) add_vector(node.x, ids.data(), ga, adjoint);
  double* gb = node.y.listed ? listed + (node.x.listed ? rows * inner : 0) : adjoint + node.y.first;
  multiply_matrices(inner, rows, cols, {a, 1, inner}, cbar, cols, gb, cols, !node.y.listed);
  if (node.y.listed) add_vector(node.y, ids.data(), gb, adjoint);
}

}  // namespace slope::detail
