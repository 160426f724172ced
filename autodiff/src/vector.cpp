#include "slope/autodiff/vector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/tape.hpp"
#include "replayable_tape.hpp"
#include "vector_node.hpp"
#include "vector_replayable.hpp"

namespace slope {

namespace detail {

/// What vector.cpp needs of a tape's internals: its vector nodes and plain output nodes.
struct VectorTapeAccess {
  static VectorNodes& nodes(Tape& tape) {
    if (!tape.vector_nodes_) tape.vector_nodes_ = std::make_unique<VectorNodes>();
    return *tape.vector_nodes_;
  }
  /// Replayable mode: appends the `count` output nodes of a vector step of `op` whose operands,
  /// the first output's edges, are `u`; returns the first id.
  static std::uint32_t push_step(Tape& tape, OpCode op, std::span<const Var> u, std::size_t count) {
    if (count > std::numeric_limits<std::uint32_t>::max() / 2 || u.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
      throw TapeError("vector operation too large for a tape");
    }
    const auto n = static_cast<std::uint32_t>(count);
    tape.ensure(n, static_cast<std::uint32_t>(u.size()));
    const std::uint32_t first = tape.nodes_;
    if (first + std::uint64_t{n} > detail::kConstantRef) {
      throw TapeError("slope::Function: a replayable recording holds at most 2^31 nodes");
    }
    const std::uint32_t first_edge = tape.edges_;
    tape.push_operands(u, {});
    std::fill_n(tape.op_.get() + first, n, op);
    std::fill_n(tape.first_arg_.get() + first, n, tape.edges_);
    tape.first_arg_[first] = first_edge;  // n > 0: the caller records no step without outputs
    tape.nodes_ += n;
    return first;
  }
  /// Appends `count` nodes without edges (a vector node's outputs); returns the first id.
  static std::uint32_t push_outputs(Tape& tape, std::size_t count, OpCode op) {
    if (count > std::numeric_limits<std::uint32_t>::max() / 2) throw TapeError("vector operation too large for a tape");
    const auto n = static_cast<std::uint32_t>(count);
    tape.ensure(n, 0);
    const std::uint32_t first = tape.nodes_;
    std::fill_n(tape.op_.get() + first, n, op);
    std::fill_n(tape.first_arg_.get() + first, n, tape.edges_);
    tape.nodes_ += n;
    return first;
  }
  /// out[i] = the output Var of node first + i, which no later operation may fold into: the
  /// vector node reads its adjoint.
  static void outputs(const Tape& tape, const double* values, std::uint32_t first, std::span<Var> out) noexcept {
    tape.store_vars(values, first, out);
  }
  static void check(const Tape& tape, const Var& x) { tape.debug_check(x); }
};

}  // namespace detail

namespace {

using detail::Operands;
using detail::Partials;
using detail::VarAccess;
using detail::VectorKind;
using detail::VectorNode;
using detail::VectorNodes;
using detail::VectorTapeAccess;

constexpr std::uint32_t kNone = VectorNodes::kNone;

/// Throws ShapeError naming the operation and the operand (formatted only then:
/// a message built on every call would allocate).
void require_size(std::size_t got, std::size_t want, std::string_view op, std::string_view operand) {
  if (got != want) throw ShapeError(fmt::format("{}: {} has size {}, expected {}", op, operand, got, want));
}

bool any_active(std::span<const Var> x) noexcept {
  return std::any_of(x.begin(), x.end(), [](const Var& v) { return !v.is_constant(); });
}

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

/// The map of a sum scaled by `scale` (a mean: 1/n) of n operands.
detail::LinearMap scaled_sum_map(std::size_t n, double scale) {
  detail::LinearMap map;
  map.rows = 1;
  map.cols = static_cast<std::uint32_t>(n);
  map.scale = scale;
  map.sum = true;
  return map;
}

/// A vector node being recorded: its tape, its descriptor and the storage sizes to return to
/// if recording fails half-way (a checked tape's DomainError).
class Recorder {
 public:
  Recorder(VectorKind kind, std::string_view name)
      : tape_(detail::require_active_tape()), store_(VectorTapeAccess::nodes(tape_)) {
    if (tape_.replayable()) {  // unreachable: each operation records its replayable form first
      throw TapeError(fmt::format("{}: a vector node cannot be recorded for slope::Function", name));
    }
    node_.kind = kind;
    node_.scalar = kNone;
    node_.ids_size = static_cast<std::uint32_t>(store_.ids.size());
    node_.values_size = static_cast<std::uint32_t>(store_.values.size());
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  ~Recorder() {
    if (!done_) {
      store_.ids.truncate(node_.ids_size);
      store_.values.truncate(node_.values_size);
    }
  }

  VectorNode& node() noexcept { return node_; }
  VectorNodes& store() noexcept { return store_; }
  [[nodiscard]] bool checked() const noexcept { return tape_.checked(); }

  /// x's ids as operands (a first id when consecutive, else a list); writes x's values into
  /// `values` when not null.
  Operands operands(std::span<const Var> x, double* values) {
    Operands out;
    out.count = static_cast<std::uint32_t>(x.size());
    if (x.empty()) return out;
    const std::uint32_t first = VarAccess::id(x[0]);
    // Branch-free scans (an OR of differences, values copied in a loop of their own): this
    // runs once per element of every vector operation.
    std::uint32_t mismatch = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mismatch |= VarAccess::id(x[i]) ^ (first + static_cast<std::uint32_t>(i));
    if (values != nullptr) {
      for (std::size_t i = 0; i < x.size(); ++i) values[i] = x[i].value();
    }
    if constexpr (SLOPE_DEBUG_CHECKS) {
      for (const Var& v : x) {
        if (!v.is_constant()) VectorTapeAccess::check(tape_, v);
      }
    }
    if (first != kNone && mismatch == 0) {
      out.first = first;
      return out;
    }
    out.listed = true;
    out.first = static_cast<std::uint32_t>(store_.ids.extend(x.size()));
    std::uint32_t* ids = store_.ids.data() + out.first;
    for (std::size_t i = 0; i < x.size(); ++i) {
      ids[i] = VarAccess::id(x[i]);
      out.constants = out.constants || ids[i] == kNone;
    }
    return out;
  }

  /// The broadcast scalar of an Elementwise node (nothing for a constant).
  void scalar(const Var& s) {
    if (s.is_constant()) return;
    VectorTapeAccess::check(tape_, s);
    node_.scalar = VarAccess::id(s);
  }

  /// Room for n partials on the tape: returns their Partials and a pointer to fill.
  std::pair<Partials, double*> stored(std::size_t n) {
    Partials p;
    p.stored = true;
    p.offset = static_cast<std::uint32_t>(store_.values.extend(n));
    return {p, store_.values.data() + p.offset};
  }

  /// Appends the node with one output per value and writes the output Vars into `out`.
  void finish(OpCode op, const double* values, std::span<Var> out) {
    node_.outputs = static_cast<std::uint32_t>(out.size());
    if (node_.kind == VectorKind::Elementwise) {
      node_.dx.finite = store_.finite(node_.dx, out.size());
      node_.ds.finite = store_.finite(node_.ds, out.size());
    }
    node_.output = VectorTapeAccess::push_outputs(tape_, out.size(), op);
    store_.push(node_);
    done_ = true;
    VectorTapeAccess::outputs(tape_, values, node_.output, out);
  }

  /// Appends a one-output node (a reduction) and returns its Var.
  Var finish(OpCode op, double value) {
    Var out;
    finish(op, &value, {&out, 1});
    return out;
  }

 private:
  Tape& tape_;
  VectorNodes& store_;
  VectorNode node_;
  bool done_ = false;
};

/// Checked mode: throws DomainError for the first element whose value or partials are not
/// finite (or whose argument is outside `in_domain`).
template <class Args, class Partial>
void check_elements(std::string_view name, std::size_t n, const double* y, Args args, Partial partials,
                    detail::ElementDomain in_domain = nullptr, std::string_view domain = "") {
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = args(i);
    const auto d = partials(i);
    const bool inside = in_domain == nullptr || in_domain(a[0]);
    const bool finite = std::isfinite(y[i]) && std::all_of(d.begin(), d.end(), [](double v) { return std::isfinite(v); });
    if (!inside || !finite) detail::check_operation(name, a, inside, domain, y[i], d);
  }
}

void check_value(std::string_view name, double value) {
  if (!std::isfinite(value)) detail::check_operation(name, {}, true, "", value, {});
}

// ---- reductions ----

/// y = scale * sum_i x_i.
Var reduce_constant_partials(std::span<const Var> x, double scale, OpCode op) {
  double value = 0.0;
  if (!any_active(x)) {
    for (const Var& v : x) value += v.value();
    return Var(value * scale);
  }
  if (detail::replayable::active()) {
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
  if (detail::replayable::active()) {
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
  if (detail::replayable::active()) return detail::replayable::dot(a, b);
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
  if (detail::replayable::active()) return detail::replayable::squared_norm(x);
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
  if (detail::replayable::active()) return record_replayable(OpCode::MatVec, map, w, {}, out);
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
  if (detail::replayable::active()) return detail::replayable::matmul(A, B, rows, inner, cols, C);
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

// ---- elementwise ----

namespace {

/// The binary operation of a broadcasting form (shared with its replayable form).
using Broadcast = detail::replayable::Op;

constexpr OpCode code_of(Broadcast op) noexcept {
  switch (op) {
    case Broadcast::Add: return op_code<Add>;
    case Broadcast::Sub: return op_code<Sub>;
    case Broadcast::Mul: return op_code<Mul>;
    case Broadcast::Div: return op_code<Div>;
  }
  return op_code<Add>;
}

/// out_i = v_i (op) s, where v is x (active, `passive` null) or `passive`.
void record_broadcast(std::span<const Var> x, const double* passive, std::size_t n, const Var& s_in,
                      std::span<Var> out, Broadcast op) {
  require_size(out.size(), n, op_name(code_of(op)), "the output");
  const Var s = s_in;  // s may be an element of out, which is written below
  const double sv = s.value();
  const auto value = [op, sv](double v) {
    switch (op) {
      case Broadcast::Add: return v + sv;
      case Broadcast::Sub: return v - sv;
      case Broadcast::Mul: return v * sv;
      case Broadcast::Div: return v / sv;
    }
    return v;
  };
  const bool x_active = passive == nullptr && any_active(x);
  if (!x_active && s.is_constant()) {
    for (std::size_t i = 0; i < n; ++i) out[i] = Var(value(passive != nullptr ? passive[i] : x[i].value()));
    return;
  }
  if (detail::replayable::active()) return detail::replayable::broadcast(x, passive, n, s, out, op);
  Recorder rec(VectorKind::Elementwise, op_name(code_of(op)));
  VectorNode& node = rec.node();
  std::vector<double>& scratch = rec.store().scratch;
  scratch.resize(2 * n);
  double* xv = scratch.data();
  double* y = xv + n;
  if (passive != nullptr) {
    std::copy_n(passive, n, xv);
  } else if (x_active) {
    node.x = rec.operands(x, xv);
  } else {
    for (std::size_t i = 0; i < n; ++i) xv[i] = x[i].value();
  }
  rec.scalar(s);
  switch (op) {
    case Broadcast::Add:
      for (std::size_t i = 0; i < n; ++i) y[i] = xv[i] + sv;
      node.dx.scale = node.ds.scale = 1.0;
      break;
    case Broadcast::Sub:
      for (std::size_t i = 0; i < n; ++i) y[i] = xv[i] - sv;
      node.dx.scale = 1.0;
      node.ds.scale = -1.0;
      break;
    case Broadcast::Mul: {
      for (std::size_t i = 0; i < n; ++i) y[i] = xv[i] * sv;
      node.dx.scale = sv;
      if (node.scalar != kNone) {
        auto [partials, ds] = rec.stored(n);
        std::copy_n(xv, n, ds);
        node.ds = partials;
      }
      break;
    }
    case Broadcast::Div: {
      for (std::size_t i = 0; i < n; ++i) y[i] = xv[i] / sv;
      node.dx.scale = 1.0 / sv;
      if (node.scalar != kNone) {
        auto [partials, ds] = rec.stored(n);
        for (std::size_t i = 0; i < n; ++i) ds[i] = -y[i] / sv;
        node.ds = partials;
      }
      break;
    }
  }
  if (rec.checked()) {
    const double* ds = node.ds.stored ? rec.store().values.data() + node.ds.offset : nullptr;
    check_elements(
        op_name(code_of(op)), n, y, [&](std::size_t i) { return std::array<double, 2>{xv[i], sv}; },
        [&](std::size_t i) { return std::array<double, 2>{node.dx.scale, ds != nullptr ? ds[i] : node.ds.scale}; });
  }
  rec.finish(code_of(op), y, out);
}

}  // namespace

void add(std::span<const Var> x, const Var& s, std::span<Var> out) { record_broadcast(x, nullptr, x.size(), s, out, Broadcast::Add); }
void add(std::span<const double> c, const Var& s, std::span<Var> out) { record_broadcast({}, c.data(), c.size(), s, out, Broadcast::Add); }
void subtract(std::span<const Var> x, const Var& s, std::span<Var> out) { record_broadcast(x, nullptr, x.size(), s, out, Broadcast::Sub); }
void subtract(std::span<const double> c, const Var& s, std::span<Var> out) { record_broadcast({}, c.data(), c.size(), s, out, Broadcast::Sub); }
void multiply(std::span<const Var> x, const Var& s, std::span<Var> out) { record_broadcast(x, nullptr, x.size(), s, out, Broadcast::Mul); }
void multiply(std::span<const double> c, const Var& s, std::span<Var> out) { record_broadcast({}, c.data(), c.size(), s, out, Broadcast::Mul); }
void divide(std::span<const Var> x, const Var& s, std::span<Var> out) { record_broadcast(x, nullptr, x.size(), s, out, Broadcast::Div); }
void divide(std::span<const double> c, const Var& s, std::span<Var> out) { record_broadcast({}, c.data(), c.size(), s, out, Broadcast::Div); }

void multiply(std::span<const Var> x, std::span<const double> c, std::span<Var> out) {
  require_size(c.size(), x.size(), "multiply", "the second operand");
  require_size(out.size(), x.size(), "multiply", "the output");
  const std::size_t n = x.size();
  if (!any_active(x)) {
    for (std::size_t i = 0; i < n; ++i) out[i] = Var(x[i].value() * c[i]);
    return;
  }
  if (detail::replayable::active()) return detail::replayable::multiply(x, c, out);
  Recorder rec(VectorKind::Elementwise, "mul");
  std::vector<double>& scratch = rec.store().scratch;
  scratch.resize(2 * n);
  double* xv = scratch.data();
  double* y = xv + n;
  rec.node().x = rec.operands(x, xv);
  auto [partials, stored_dx] = rec.stored(n);
  double* const dx = stored_dx;  // a plain variable: lambdas below capture it (clang < 16 cannot capture bindings)
  std::copy_n(c.data(), n, dx);
  rec.node().dx = partials;
  for (std::size_t i = 0; i < n; ++i) y[i] = xv[i] * dx[i];
  if (rec.checked()) {
    check_elements(
        "mul", n, y, [&](std::size_t i) { return std::array<double, 2>{xv[i], dx[i]}; },
        [&](std::size_t i) { return std::array<double, 1>{dx[i]}; });
  }
  rec.finish(op_code<Mul>, y, out);
}

namespace detail {

void record_elementwise(std::span<const Var> x, std::span<Var> out, OpCode op, std::string_view name,
                        ElementKernel kernel, ElementScalar scalar, ElementDomain in_domain,
                        std::string_view domain) {
  require_size(out.size(), x.size(), name, "the output");
  const std::size_t n = x.size();
  if (!any_active(x)) {
    for (std::size_t i = 0; i < n; ++i) {
      const double xv = x[i].value();
      double y = 0.0;
      double d = 0.0;
      kernel(&xv, &y, &d, 1);
      out[i] = Var(y);
    }
    return;
  }
  if (replayable::active()) return replayable::elementwise(x, out, scalar);
  Recorder rec(VectorKind::Elementwise, name);
  std::vector<double>& scratch = rec.store().scratch;
  scratch.resize(2 * n);
  double* xv = scratch.data();
  double* y = xv + n;
  rec.node().x = rec.operands(x, xv);
  auto [partials, stored_d] = rec.stored(n);
  double* const d = stored_d;  // a plain variable: a lambda below captures it (clang < 16 cannot capture bindings)
  rec.node().dx = partials;
  kernel(xv, y, d, n);
  if (rec.checked()) {
    check_elements(
        name, n, y, [&](std::size_t i) { return std::array<double, 1>{xv[i]}; },
        [&](std::size_t i) { return std::array<double, 1>{d[i]}; }, in_domain, domain);
  }
  rec.finish(op, y, out);
}

}  // namespace detail

}  // namespace slope
