// Second order by forward over reverse: after a forward replay (values and partials), a
// tangent sweep along v gives every value's and every partial's derivative along v, by
// evaluating the same rule structs' partials with Dual (dispatch.hpp); then one reverse sweep
// carries pairs (adjoint, adjoint tangent). The adjoint tangents of the inputs are H v.
#include <fmt/format.h>

#include <stdexcept>

#include "dispatch.hpp"
#include "program.hpp"
#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/math.hpp"

namespace slope {

namespace detail {

namespace {

/// Derivatives along the tangent: of each instruction's value (from its partials, the chain
/// rule) and of each of its partials (the rule's partial evaluated with Dual).
struct TangentStep {
  const double* value;          // every slot
  const double* out;            // the instructions' values
  const double* partial;        // every edge
  double* tangent;              // every slot: constants 0, inputs v, then computed
  double* out_tangent;          // the instructions' tangents
  double* partial_tangent;      // every edge
  Dual* scratch;                // n-ary operands and partials
  double* vector_scratch;       // a vector instruction's operand tangents
  const std::uint32_t* nary;
  const double* coefficients;
  std::uint32_t constants;

  template <UnaryRule R>
  SLOPE_ALWAYS_INLINE void unary(const Instruction& ins, std::size_t i) {
    const double x_tangent = tangent[ins.a];
    const double y_tangent = partial[ins.edge] * x_tangent;
    out_tangent[i] = y_tangent;
    partial_tangent[ins.edge] = R::partial(Dual(value[ins.a], x_tangent), Dual(out[i], y_tangent)).d;
  }

  template <BinaryRule R, Form F>
  SLOPE_ALWAYS_INLINE void binary(const Instruction& ins, std::size_t i) {
    // Constants have tangent 0, so the chain rule may run over both operands.
    const Dual a(value[ins.a], tangent[ins.a]);
    const Dual b(value[ins.b], tangent[ins.b]);
    const double* p = partial + ins.edge;
    double* pt = partial_tangent + ins.edge;
    double z_tangent = 0.0;
    if constexpr (F == Form::Both) {
      z_tangent = p[0] * a.d + p[1] * b.d;
    } else if constexpr (F == Form::First) {
      z_tangent = p[0] * a.d;
    } else {
      z_tangent = p[0] * b.d;
    }
    out_tangent[i] = z_tangent;
    const Dual z(out[i], z_tangent);
    if constexpr (F == Form::Both) {
      pt[0] = R::d_first(a, b, z).d;
      pt[1] = R::d_second(a, b, z).d;
    } else if constexpr (F == Form::First) {
      pt[0] = R::d_first(a, b, z).d;
    } else {
      pt[0] = R::d_second(a, b, z).d;
    }
  }

  /// The value's tangent from the active operands' partials, and the partials' tangents.
  void finish_nary(const Instruction& ins, std::size_t i, const Dual* partials) {
    const std::uint32_t* s = nary + ins.a;
    double z_tangent = 0.0;
    std::uint32_t e = ins.edge;
    for (std::uint32_t k = 0; k < ins.b; ++k) {
      if (s[k] < constants) continue;
      z_tangent += partial[e] * tangent[s[k]];
      partial_tangent[e++] = partials[k].d;
    }
    out_tangent[i] = z_tangent;
  }

  /// A linear combination: constant partials (tangent 0), so only the value's tangent.
  void fused(const Instruction& ins, std::size_t i) {
    const std::uint32_t* s = nary + ins.a;
    const double* c = coefficients + ins.a;
    double z_tangent = 0.0;
    for (std::uint32_t k = 0; k < ins.b; ++k) z_tangent += c[k] * tangent[s[k]];  // constants: tangent 0
    out_tangent[i] = z_tangent;
  }

  /// A linear map: its outputs' tangents are the map of its operands' tangents (constant
  /// partials: no partial tangents). A product: the product rule, a_dot b + a b_dot (its
  /// partials are operand values, whose tangents the reverse sweep reads from the slots).
  void vector(const VectorInstruction& v, std::size_t i) {
    const std::uint32_t* s = nary + v.operands;
    const std::size_t inputs = v.inputs();
    for (std::size_t k = 0; k < inputs; ++k) vector_scratch[k] = tangent[s[k]];
    if (v.bilinear) {
      double* values = vector_scratch + inputs;
      for (std::size_t k = 0; k < inputs; ++k) values[k] = value[s[k]];
      const std::size_t a = v.product.a_size();
      multiply_tangent(v.product, values, values + a, vector_scratch, vector_scratch + a, out_tangent + i);
      return;
    }
    apply(v.map, vector_scratch, out_tangent + i);
  }

  template <TernaryRule R>
  void ternary(const Instruction& ins, std::size_t i) {
    const std::uint32_t* s = nary + ins.a;
    const auto partials = R::partials(Dual(value[s[0]], tangent[s[0]]), Dual(value[s[1]], tangent[s[1]]),
                                      Dual(value[s[2]], tangent[s[2]]));
    finish_nary(ins, i, partials.data());
  }

  template <VariadicRule R>
  void variadic(const Instruction& ins, std::size_t i) {
    const std::span<Dual> xs(scratch, ins.b);
    for (std::uint32_t k = 0; k < ins.b; ++k) xs[k] = Dual(value[nary[ins.a + k]], tangent[nary[ins.a + k]]);
    const std::span<Dual> partials(scratch + ins.b, ins.b);
    R::partials(std::span<const Dual>(xs), partials);
    finish_nary(ins, i, partials.data());
  }
};

/// Lays out the second-order buffers (once per workspace and program).
void prepare_second_order(const Program& p, WorkspaceData& ws) {
  if (ws.value_tangent.size() == p.slots()) return;
  ws.value_tangent.assign(p.slots(), 0.0);  // constants keep tangent 0 for good
  ws.partial_tangent.assign(p.edges(), 0.0);
  ws.adjoint_tangent.assign(p.slots(), 0.0);
  ws.dual_scratch.assign(2 * p.widest_nary, Dual());
}

/// The tangent sweep along v (after forward with partials).
void tangent_sweep(const Program& p, const double* v, WorkspaceData& ws) {
  double* tangent = ws.value_tangent.data();
  std::copy_n(v, p.inputs, tangent + p.constants);
  const std::size_t first = p.constants + p.inputs;
  TangentStep step{ws.value.data(),         ws.value.data() + first,  ws.partial.data(),
                   tangent,                 tangent + first,          ws.partial_tangent.data(),
                   ws.dual_scratch.data(),  ws.scratch.data(),        p.nary_operands.data(),
                   p.coefficients.data(),   p.constants};
  dispatch(p, step);
}

/// A product C = A B in the reverse sweep of pairs: the adjoints (abar, bbar) += (cbar B^T,
/// A^T cbar), and their tangents += (cbar_dot B^T + cbar B_dot^T, A^T cbar_dot + A_dot^T cbar):
/// the adjoint of the tangent outputs, plus the adjoint with the tangent operands in place of
/// the operands (the partials' tangents).
void product_adjoint_pairs(const Program& p, const VectorInstruction& v, WorkspaceData& ws, const double* cbar,
                           const double* cbar_tangent) {
  const MatrixProduct& m = v.product;
  const std::size_t inputs = v.inputs();
  const std::uint32_t* s = p.nary_operands.data() + v.operands;
  double* x = ws.scratch.data();  // A, B
  double* x_dot = x + inputs;     // their tangents
  double* g = x_dot + inputs;     // adjoints of A, B
  double* work = g + inputs;
  for (std::size_t k = 0; k < inputs; ++k) {
    x[k] = ws.value[s[k]];
    x_dot[k] = ws.value_tangent[s[k]];
  }
  const auto add = [&](std::vector<double>& to) {
    for (std::size_t k = 0; k < inputs; ++k) {
      if (!p.is_constant(s[k])) to[s[k]] += g[k];
    }
  };
  multiply_adjoint(m, x, x + m.a_size(), cbar, work, g, g + m.a_size());
  add(ws.adjoint);
  multiply_adjoint(m, x, x + m.a_size(), cbar_tangent, work, g, g + m.a_size());
  add(ws.adjoint_tangent);
  // The partials' tangents: ga = cbar B_dot^T, gb = A_dot^T cbar.
  multiply_adjoint(m, x_dot, x_dot + m.a_size(), cbar, work, g, g + m.a_size());
  add(ws.adjoint_tangent);
}

/// The reverse sweep of (adjoint, adjoint tangent) pairs from the single output, seed (1, 0).
void reverse_pairs(const Program& p, WorkspaceData& ws) {
  double* const adjoint = ws.adjoint.data();
  double* const adjoint_tangent = ws.adjoint_tangent.data();
  std::fill(adjoint + p.constants, adjoint + p.slots(), 0.0);
  std::fill(adjoint_tangent + p.constants, adjoint_tangent + p.slots(), 0.0);
  if (!p.is_constant(p.output_slot[0])) adjoint[p.output_slot[0]] = 1.0;
  const Instruction* code = p.code.data();
  const std::uint32_t* arg = p.edge_slot.data();
  const double* partial = ws.partial.data();
  const double* partial_tangent = ws.partial_tangent.data();
  const std::size_t first = p.constants + p.inputs;
  for (std::size_t i = p.instructions(); i-- > 0;) {
    if (code[i].form == Form::Vector) {
      // Met last at its first output, when all its outputs' adjoints are complete. Linear:
      // the adjoint tangents go back through the same map.
      if (code[i].b != 0) continue;
      const VectorInstruction& v = p.vectors[code[i].a];
      if (v.bilinear) {
        product_adjoint_pairs(p, v, ws, adjoint + first + i, adjoint_tangent + first + i);
        continue;
      }
      vector_adjoint(p, v, ws.value.data(), adjoint + first + i, ws.scratch.data(), adjoint);
      vector_adjoint(p, v, ws.value.data(), adjoint_tangent + first + i, ws.scratch.data(), adjoint_tangent);
      continue;
    }
    const double a = adjoint[first + i];
    const double at = adjoint_tangent[first + i];
    const std::uint32_t end = code[i + 1].edge;
    // Each product only where its factor is nonzero, so that 0 * inf stays out, as in replay_reverse().
    if (a != 0.0) {
      for (std::uint32_t k = code[i].edge; k < end; ++k) {
        adjoint[arg[k]] += partial[k] * a;
        adjoint_tangent[arg[k]] += partial_tangent[k] * a;
      }
    }
    if (at != 0.0) {
      for (std::uint32_t k = code[i].edge; k < end; ++k) adjoint_tangent[arg[k]] += partial[k] * at;
    }
  }
}

}  // namespace

}  // namespace detail

ReplayStatus Function::hessian_vector_product(std::span<const double> x, std::span<const double> v,
                                              std::span<double> out, Workspace& ws) const {
  check_sizes(x, v.size(), inputs(), "the direction v");
  check_sizes(x, out.size(), inputs(), "the output buffer");
  if (outputs() != 1) {
    throw ShapeError(fmt::format("slope::Function: Hessian of a function with {} outputs", outputs()));
  }
  detail::WorkspaceData& d = prepare(ws);
  const detail::Program& p = *program_;
  detail::prepare_second_order(p, d);
  const ReplayStatus status = detail::replay_forward(p, x.data(), d, true);
  d.partials_ready = false;  // only evaluate_for_vjp leaves partials for vector_jacobian_product
  detail::tangent_sweep(p, v.data(), d);
  detail::reverse_pairs(p, d);
  std::copy_n(d.adjoint_tangent.data() + p.constants, p.inputs, out.data());
  return status;
}

ReplayStatus Function::hessian_vector_product(std::span<const double> x, std::span<const double> v,
                                              std::span<double> out) const {
  return hessian_vector_product(x, v, out, detail::thread_workspace());
}

ReplayStatus Function::hessian(std::span<const double> x, std::span<double> out, Workspace& ws) const {
  const std::size_t n = inputs();
  check_sizes(x, out.size(), n * n, "the Hessian buffer");
  if (outputs() != 1) {
    throw ShapeError(fmt::format("slope::Function: Hessian of a function with {} outputs", outputs()));
  }
  detail::WorkspaceData& d = prepare(ws);
  const detail::Program& p = *program_;
  detail::prepare_second_order(p, d);
  const ReplayStatus status = detail::replay_forward(p, x.data(), d, true);  // once: the tangents vary, x does not
  d.partials_ready = false;  // only evaluate_for_vjp leaves partials for vector_jacobian_product
  std::vector<double> unit(n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    unit[j] = 1.0;
    detail::tangent_sweep(p, unit.data(), d);
    detail::reverse_pairs(p, d);
    std::copy_n(d.adjoint_tangent.data() + p.constants, n, out.data() + j * n);  // column j = row j
    unit[j] = 0.0;
  }
  return status;
}

ReplayStatus Function::hessian(std::span<const double> x, std::span<double> out) const {
  return hessian(x, out, detail::thread_workspace());
}

}  // namespace slope
