// The elementwise vector operations of vector.hpp: functions of each element (elementwise<Rule>)
// and the broadcasts of a scalar (add, subtract, multiply, divide).
#include <algorithm>
#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "slope/autodiff/vector.hpp"
#include "vector_recorder.hpp"

namespace slope {

namespace {

using namespace detail::vector_recording;

}  // namespace

// ---- elementwise ----

namespace {

/// The binary operation of a broadcasting form.
enum class Broadcast { Add, Sub, Mul, Div };

using Operand = detail::ReplayTables::Operand;

/// Inside Function::record: out_k = op(first operand k[, second operand k]) as one elementwise
/// step of the replayable recording, with the values `y` the rule gives. The operands come from
/// `vector` (element k), `scalar` or the passive numbers `passive` (copied), as `first` and
/// `second` say. The compiled Function runs the step as one run of the rule over the elements
/// (dispatched once; vectorized for a VectorizedRule).
void record_replayable_elementwise(OpCode op, Operand first, Operand second, std::span<const Var> vector,
                                   const Var* scalar, std::span<const double> passive, const double* y,
                                   std::span<Var> out) {
  Tape& tape = detail::require_active_tape();
  if (out.empty()) return;  // no output node would own the operands
  detail::ReplayTables& tables = detail::ReplayableTape::tables(tape);
  detail::ReplayTables::ElementwiseStep step;
  step.first_output = static_cast<std::uint32_t>(tape.size());
  step.outputs = static_cast<std::uint32_t>(out.size());
  step.first = first;
  step.second = second;
  if (!passive.empty()) step.passive = tables.add_constants(passive);
  tables.add_elementwise(step);
  try {
    const std::span<const Var> scalars = scalar != nullptr ? std::span(scalar, 1) : std::span<const Var>();
    (void)VectorTapeAccess::push_step(tape, op, vector, scalars, out.size());
  } catch (...) {
    tables.rewind(step.first_output);  // forgets the step
    throw;
  }
  VectorTapeAccess::outputs(tape, y, step.first_output, out);
}

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
  if (recording_for_function()) {
    thread_local std::vector<double> numbers;  // x's values (when passive), then the results
    numbers.resize(2 * n);
    double* xv = numbers.data();
    double* y = xv + n;
    for (std::size_t i = 0; i < n; ++i) xv[i] = passive != nullptr ? passive[i] : x[i].value();
    for (std::size_t i = 0; i < n; ++i) y[i] = value(xv[i]);
    const std::span<const double> copied = x_active ? std::span<const double>() : std::span<const double>(xv, n);
    return record_replayable_elementwise(code_of(op), x_active ? Operand::Vector : Operand::Passive, Operand::Scalar,
                                         x_active ? x : std::span<const Var>(), &s, copied, y, out);
  }
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
  if (recording_for_function()) {
    thread_local std::vector<double> y;
    y.resize(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i].value() * c[i];
    return record_replayable_elementwise(op_code<Mul>, Operand::Vector, Operand::Passive, x, nullptr, c, y.data(), out);
  }
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
                        ElementKernel kernel, ElementDomain in_domain, std::string_view domain) {
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
  if (vector_recording::recording_for_function()) {
    thread_local std::vector<double> numbers;  // x's values, the results, the partials (unused)
    numbers.resize(3 * n);
    double* xv = numbers.data();
    for (std::size_t i = 0; i < n; ++i) xv[i] = x[i].value();
    kernel(xv, xv + n, xv + 2 * n, n);  // the rule's values, as the replay computes them
    return record_replayable_elementwise(op, Operand::Vector, Operand::None, x, nullptr, {}, xv + n, out);
  }
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

