// The vector operations of vector.hpp that reduce or multiply by matrices: sums, means, dot
// products, squared norms, matvec, vecmat, matmul (the elementwise ones and the broadcasts are
// in vector_elementwise.cpp).
#include "slope/autodiff/vector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "vector_recorder.hpp"
#include "replayable_tape.hpp"

namespace slope {

namespace {

using namespace detail::vector_recording;

/// sum_i x_i.value() with four accumulators, in the order of sum4 (linear_map.hpp).
double sum_values(std::span<const Var> x) noexcept {
  std::array<double, 4> s{};
  std::size_t i = 0;
  for (; i + 4 <= x.size(); i += 4) {
    for (std::size_t k = 0; k < 4; ++k) s[k] += x[i + k].value();
  }
  for (; i < x.size(); ++i) s[0] += x[i].value();
  return (s[0] + s[1]) + (s[2] + s[3]);
}

/// Inside Function::record: y = M u as one vector step of the replayable recording, whose
/// outputs are plain nodes of the tape. M is referenced, or, when `copy` is given (a passive
/// span, which may die before the Function does), copied once into the recording's tables and
/// then the Function.
void record_replayable(OpCode op, detail::LinearMap map, std::span<const Var> u, std::span<const double> copy,
                       std::span<Var> out) {
  Tape& tape = detail::require_active_tape();
  if (out.empty()) return;  // no output node would own the operands
  thread_local std::vector<double> values;
  values.resize(u.size() + out.size());
  for (std::size_t i = 0; i < u.size(); ++i) values[i] = u[i].value();
  detail::ReplayTables& tables = detail::ReplayableTape::tables(tape);
  const auto first = static_cast<std::uint32_t>(tape.size());
  map = tables.add_vector(first, map, copy);
  try {
    (void)VectorTapeAccess::push_step(tape, op, u, out.size());
  } catch (...) {
    tables.rewind(first);  // forgets the step's map
    throw;
  }
  detail::apply(map, values.data(), values.data() + u.size());
  VectorTapeAccess::outputs(tape, values.data() + u.size(), first, out);
}

/// Inside Function::record: C = A B as one vector step of the replayable recording (a product
/// of two matrices of operands, matrix_product.hpp), whose outputs are plain nodes of the tape.
void record_replayable_product(OpCode op, const detail::MatrixProduct& product, std::span<const Var> A,
                               std::span<const Var> B, std::span<Var> C) {
  Tape& tape = detail::require_active_tape();
  if (C.empty()) return;  // no output node would own the operands
  thread_local std::vector<double> values;
  values.resize(A.size() + B.size() + C.size());
  double* a = values.data();
  double* b = a + A.size();
  double* c = b + B.size();
  for (std::size_t k = 0; k < A.size(); ++k) a[k] = A[k].value();
  for (std::size_t k = 0; k < B.size(); ++k) b[k] = B[k].value();
  detail::ReplayTables& tables = detail::ReplayableTape::tables(tape);
  const auto first = static_cast<std::uint32_t>(tape.size());
  tables.add_product(first, product);
  try {
    (void)VectorTapeAccess::push_step(tape, op, A, B, C.size());
  } catch (...) {
    tables.rewind(first);  // forgets the step's shape
    throw;
  }
  detail::multiply(product, a, b, c);
  VectorTapeAccess::outputs(tape, c, first, C);  // C may be A or B: read above
}

/// The product of a dot product of n operands with n operands.
detail::MatrixProduct dot_product(std::size_t n) {
  detail::MatrixProduct product;
  product.rows = product.cols = 1;
  product.inner = static_cast<std::uint32_t>(n);
  product.dot = true;
  return product;
}

/// The map of a sum scaled by `scale` (a mean: 1/n) of n operands.
detail::LinearMap scaled_sum_map(std::size_t n, double scale) {
  detail::LinearMap map;
  map.rows = 1;
  map.cols = static_cast<std::uint32_t>(n);
  map.scale = scale;
  map.sum = true;
  return map;
}


// ---- reductions ----

/// y = scale * sum_i x_i.
Var reduce_constant_partials(std::span<const Var> x, double scale, OpCode op) {
  double value = 0.0;
  if (!any_active(x)) {
    for (const Var& v : x) value += v.value();
    return Var(value * scale);
  }
  if (recording_for_function()) {
    Var y;
    record_replayable(op, scaled_sum_map(x.size(), scale), x, {}, {&y, 1});
    return y;
  }
  Recorder rec(VectorKind::Reduce, op_name(op));
  rec.node().x = rec.operands(x, nullptr);
  rec.node().dx.scale = scale;
  value = sum_values(x) * scale;  // read from the Vars: a copy first would cost a store per element
  if (rec.checked()) check_value(op_name(op), value);
  return rec.finish(op, value);
}

}  // namespace

Var sum(std::span<const Var> x) { return reduce_constant_partials(x, 1.0, OpCode::Sum); }

Var mean(std::span<const Var> x) {
  return reduce_constant_partials(x, 1.0 / static_cast<double>(x.size()), OpCode::Mean);
}

Var dot(std::span<const Var> a, std::span<const double> b) {
  require_size(b.size(), a.size(), "dot", "the second operand");
  if (!any_active(a)) {
    double value = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) value += a[i].value() * b[i];
    return Var(value);
  }
  if (recording_for_function()) {
    detail::LinearMap map;  // one row: b
    map.rows = 1;
    map.cols = static_cast<std::uint32_t>(a.size());
    map.data = b.data();
    map.stride = b.size();
    Var y;
    record_replayable(OpCode::Dot, map, a, b, {&y, 1});
    return y;
  }
  Recorder rec(VectorKind::Reduce, "dot");
  std::vector<double>& values = rec.store().scratch;
  values.resize(a.size());
  rec.node().x = rec.operands(a, values.data());
  auto [partials, weights] = rec.stored(b.size());
  std::copy(b.begin(), b.end(), weights);
  rec.node().dx = partials;
  const double value = detail::dot4(values.data(), weights, a.size());
  if (rec.checked()) check_value("dot", value);
  return rec.finish(OpCode::Dot, value);
}

Var dot(std::span<const double> a, std::span<const Var> b) { return dot(b, a); }

double sum(std::span<const double> x) noexcept { return detail::sum4(x.data(), x.size()); }

double dot(std::span<const double> a, std::span<const double> b) noexcept {
  return detail::dot4(a.data(), b.data(), std::min(a.size(), b.size()));
}

Var dot(std::span<const Var> a, std::span<const Var> b) {
  require_size(b.size(), a.size(), "dot", "the second operand");
  if (!any_active(b)) {
    std::vector<double> passive(b.size());
    std::transform(b.begin(), b.end(), passive.begin(), [](const Var& v) { return v.value(); });
    return dot(a, passive);
  }
  if (!any_active(a)) {
    std::vector<double> passive(a.size());
    std::transform(a.begin(), a.end(), passive.begin(), [](const Var& v) { return v.value(); });
    return dot(b, passive);
  }
  if (recording_for_function()) {
    Var y;
    record_replayable_product(OpCode::Dot, dot_product(a.size()), a, b, {&y, 1});
    return y;
  }
  Recorder rec(VectorKind::Reduce, "dot");
  // The partials of a are b's values and those of b are a's: store both, b's first.
  auto [b_values, b_data] = rec.stored(2 * a.size());
  double* a_data = b_data + a.size();
  Partials a_values = b_values;
  a_values.offset += static_cast<std::uint32_t>(a.size());
  rec.node().x = rec.operands(a, a_data);
  rec.node().y = rec.operands(b, b_data);
  rec.node().dx = b_values;
  rec.node().dy = a_values;
  const double value = detail::dot4(a_data, b_data, a.size());
  if (rec.checked()) check_value("dot", value);
  return rec.finish(OpCode::Dot, value);
}

Var squared_norm(std::span<const Var> x) {
  if (!any_active(x)) {
    double value = 0.0;
    for (const Var& v : x) value += v.value() * v.value();
    return Var(value);
  }
  if (recording_for_function()) {
    Var y;
    record_replayable_product(OpCode::SquaredNorm, dot_product(x.size()), x, x, {&y, 1});
    return y;
  }
  Recorder rec(VectorKind::Reduce, "squared_norm");
  auto [partials, twice] = rec.stored(x.size());
  rec.node().x = rec.operands(x, twice);
  const double value = detail::dot4(twice, twice, x.size());
  for (std::size_t i = 0; i < x.size(); ++i) twice[i] *= 2.0;
  rec.node().dx = partials;
  if (rec.checked()) check_value("squared_norm", value);
  return rec.finish(OpCode::SquaredNorm, value);
}

// ---- matrix products ----

namespace {

/// The map of out = X w (transpose_x false) or out = X^T w: X's data referenced, viewed
/// row-contiguous (a column-major X is the row-major view of its transpose).
detail::LinearMap matrix_map(ConstMatrixView X, bool transpose_x, std::string_view what) {
  detail::LinearMap map;
  map.data = X.data;
  if (X.col_stride == 1) {
    map.rows = static_cast<std::uint32_t>(X.rows);
    map.cols = static_cast<std::uint32_t>(X.cols);
    map.stride = X.row_stride;
    map.transposed = transpose_x;
  } else if (X.row_stride == 1) {
    map.rows = static_cast<std::uint32_t>(X.cols);
    map.cols = static_cast<std::uint32_t>(X.rows);
    map.stride = X.col_stride;
    map.transposed = !transpose_x;
  } else {
    throw ShapeError(fmt::format("{}: the matrix needs a unit row or column stride", what));
  }
  return map;
}

void record_matrix_product(ConstMatrixView X, bool transpose_x, std::span<const Var> w, std::span<Var> out,
                           std::string_view what) {
  const std::size_t inputs = transpose_x ? X.rows : X.cols;
  const std::size_t outputs = transpose_x ? X.cols : X.rows;
  require_size(w.size(), inputs, what, "the vector");
  require_size(out.size(), outputs, what, "the output");
  if (!any_active(w)) {
    for (std::size_t i = 0; i < outputs; ++i) {
      double value = 0.0;
      for (std::size_t j = 0; j < inputs; ++j) value += (transpose_x ? X(j, i) : X(i, j)) * w[j].value();
      out[i] = Var(value);
    }
    return;
  }
  const detail::LinearMap map = matrix_map(X, transpose_x, what);
  if (recording_for_function()) return record_replayable(OpCode::MatVec, map, w, {}, out);
  Recorder rec(VectorKind::MatVec, what);
  rec.node().map = map;
  std::vector<double>& scratch = rec.store().scratch;
  scratch.resize(inputs + outputs);
  rec.node().x = rec.operands(w, scratch.data());
  double* values = scratch.data() + inputs;
  detail::apply(rec.node().map, scratch.data(), values);
  if (rec.checked()) {
    for (std::size_t i = 0; i < outputs; ++i) check_value(what, values[i]);
  }
  rec.finish(OpCode::MatVec, values, out);
}

}  // namespace

void matvec(ConstMatrixView X, std::span<const Var> w, std::span<Var> out) {
  record_matrix_product(X, false, w, out, "matvec");
}

std::vector<Var> matvec(ConstMatrixView X, std::span<const Var> w) {
  std::vector<Var> out(X.rows);
  matvec(X, w, out);
  return out;
}

void vecmat(std::span<const Var> w, ConstMatrixView X, std::span<Var> out) {
  record_matrix_product(X, true, w, out, "vecmat");
}

void matmul(std::span<const Var> A, std::span<const Var> B, std::size_t rows, std::size_t inner, std::size_t cols,
            std::span<Var> C) {
  require_size(A.size(), rows * inner, "matmul", "A");
  require_size(B.size(), inner * cols, "matmul", "B");
  require_size(C.size(), rows * cols, "matmul", "C");
  const auto product = [&](const double* a, const double* b, double* c) {
    detail::multiply_matrices(rows, inner, cols, {a, inner, 1}, b, cols, c, cols, /*add=*/false);
  };
  if (!any_active(A) && !any_active(B)) {
    std::vector<double> a(A.size()), b(B.size()), c(C.size());
    std::transform(A.begin(), A.end(), a.begin(), [](const Var& v) { return v.value(); });
    std::transform(B.begin(), B.end(), b.begin(), [](const Var& v) { return v.value(); });
    product(a.data(), b.data(), c.data());
    std::copy(c.begin(), c.end(), C.begin());
    return;
  }
  if (recording_for_function()) {
    detail::MatrixProduct shape;
    shape.rows = static_cast<std::uint32_t>(rows);
    shape.inner = static_cast<std::uint32_t>(inner);
    shape.cols = static_cast<std::uint32_t>(cols);
    return record_replayable_product(OpCode::MatMul, shape, A, B, C);
  }
  Recorder rec(VectorKind::MatMul, "matmul");
  VectorNode& node = rec.node();
  node.rows = static_cast<std::uint32_t>(rows);
  node.inner = static_cast<std::uint32_t>(inner);
  node.cols = static_cast<std::uint32_t>(cols);
  auto [operand_values, a] = rec.stored(A.size() + B.size());
  node.operand_values = operand_values.offset;
  node.x = rec.operands(A, a);
  node.y = rec.operands(B, a + A.size());
  std::vector<double>& c = rec.store().scratch;
  c.resize(C.size());
  product(a, a + A.size(), c.data());
  if (rec.checked()) {
    for (const double v : c) check_value("matmul", v);
  }
  rec.finish(OpCode::MatMul, c.data(), C);
}

}  // namespace slope
