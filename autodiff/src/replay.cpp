// The forward replay of a compiled Function: a switch over OpCode that calls the same rule
// structs as recording (ops/*.hpp), and the reverse sweep over the partials it refills.
#include <algorithm>
#include <cmath>

#include "program.hpp"
#include "slope/autodiff/ops/arithmetic.hpp"
#include "slope/autodiff/ops/exp_log.hpp"
#include "slope/autodiff/ops/ml.hpp"
#include "slope/autodiff/ops/piecewise.hpp"
#include "slope/autodiff/ops/power.hpp"
#include "slope/autodiff/ops/special.hpp"
#include "slope/autodiff/ops/trig.hpp"

namespace slope::detail {

namespace {

/// Where one forward replay reads and writes.
struct Frame {
  double* value;        // every slot
  double* partial;      // every edge
  double* scratch;      // n-ary operands and partials
  const std::uint32_t* nary;
  std::uint32_t constants;
};

template <UnaryRule R, bool kPartials>
SLOPE_ALWAYS_INLINE void unary(const Instruction& ins, const Frame& f, double& out) {
  const double x = f.value[ins.a];
  const double y = R::value(x);
  out = y;
  if constexpr (kPartials) f.partial[ins.edge] = R::partial(x, y);
}

template <BinaryRule R, bool kPartials>
SLOPE_ALWAYS_INLINE void binary(const Instruction& ins, const Frame& f, double& out) {
  const double a = f.value[ins.a];
  const double b = f.value[ins.b];
  const double z = R::value(a, b);
  out = z;
  if constexpr (kPartials) {
    double* d = f.partial + ins.edge;
    switch (ins.form) {
      case Form::Both:
        d[0] = R::d_first(a, b, z);
        d[1] = R::d_second(a, b, z);
        break;
      case Form::First: d[0] = R::d_first(a, b, z); break;
      default: d[0] = R::d_second(a, b, z); break;
    }
  }
}

/// Writes the partials of the active operands of an n-ary instruction.
void active_partials(const Instruction& ins, const Frame& f, const double* partials) {
  double* d = f.partial + ins.edge;
  for (std::uint32_t k = 0; k < ins.b; ++k) {
    if (f.nary[ins.a + k] >= f.constants) *d++ = partials[k];
  }
}

template <bool kPartials>
void fma(const Instruction& ins, const Frame& f, double& out) {
  const std::uint32_t* s = f.nary + ins.a;
  const double a = f.value[s[0]], b = f.value[s[1]], c = f.value[s[2]];
  out = Fma::value(a, b, c);
  if constexpr (kPartials) active_partials(ins, f, Fma::partials(a, b, c).data());
}

template <bool kPartials>
void log_sum_exp_nary(const Instruction& ins, const Frame& f, double& out) {
  const std::span<double> xs(f.scratch, ins.b);
  for (std::uint32_t k = 0; k < ins.b; ++k) xs[k] = f.value[f.nary[ins.a + k]];
  out = log_sum_exp(std::span<const double>(xs));
  if constexpr (kPartials) {
    const std::span<double> weights(f.scratch + ins.b, ins.b);
    softmax_weights(xs, weights);
    active_partials(ins, f, weights.data());
  }
}

template <bool kPartials>
void run(const Program& p, const Frame& f) {
  double* out = f.value + p.constants + p.inputs;
  const Instruction* code = p.code.data();
  const std::size_t count = p.instructions();
  for (std::size_t i = 0; i < count; ++i) {
    const Instruction& ins = code[i];
    double& y = out[i];
    switch (ins.op) {
      case OpCode::Neg: unary<Neg, kPartials>(ins, f, y); break;
      case OpCode::Add: binary<Add, kPartials>(ins, f, y); break;
      case OpCode::Sub: binary<Sub, kPartials>(ins, f, y); break;
      case OpCode::Mul: binary<Mul, kPartials>(ins, f, y); break;
      case OpCode::Div: binary<Div, kPartials>(ins, f, y); break;
      case OpCode::Pow: binary<Pow, kPartials>(ins, f, y); break;
      case OpCode::Square: unary<Square, kPartials>(ins, f, y); break;
      case OpCode::Exp: unary<Exp, kPartials>(ins, f, y); break;
      case OpCode::Exp2: unary<Exp2, kPartials>(ins, f, y); break;
      case OpCode::Expm1: unary<Expm1, kPartials>(ins, f, y); break;
      case OpCode::Log: unary<Log, kPartials>(ins, f, y); break;
      case OpCode::Log2: unary<Log2, kPartials>(ins, f, y); break;
      case OpCode::Log10: unary<Log10, kPartials>(ins, f, y); break;
      case OpCode::Log1p: unary<Log1p, kPartials>(ins, f, y); break;
      case OpCode::Sqrt: unary<Sqrt, kPartials>(ins, f, y); break;
      case OpCode::Cbrt: unary<Cbrt, kPartials>(ins, f, y); break;
      case OpCode::Hypot: binary<Hypot, kPartials>(ins, f, y); break;
      case OpCode::Sin: unary<Sin, kPartials>(ins, f, y); break;
      case OpCode::Cos: unary<Cos, kPartials>(ins, f, y); break;
      case OpCode::Tan: unary<Tan, kPartials>(ins, f, y); break;
      case OpCode::Asin: unary<Asin, kPartials>(ins, f, y); break;
      case OpCode::Acos: unary<Acos, kPartials>(ins, f, y); break;
      case OpCode::Atan: unary<Atan, kPartials>(ins, f, y); break;
      case OpCode::Atan2: binary<Atan2, kPartials>(ins, f, y); break;
      case OpCode::Sinh: unary<Sinh, kPartials>(ins, f, y); break;
      case OpCode::Cosh: unary<Cosh, kPartials>(ins, f, y); break;
      case OpCode::Tanh: unary<Tanh, kPartials>(ins, f, y); break;
      case OpCode::Asinh: unary<Asinh, kPartials>(ins, f, y); break;
      case OpCode::Acosh: unary<Acosh, kPartials>(ins, f, y); break;
      case OpCode::Atanh: unary<Atanh, kPartials>(ins, f, y); break;
      case OpCode::Abs: unary<Abs, kPartials>(ins, f, y); break;
      case OpCode::Fmin: binary<Fmin, kPartials>(ins, f, y); break;
      case OpCode::Fmax: binary<Fmax, kPartials>(ins, f, y); break;
      case OpCode::Fma: fma<kPartials>(ins, f, y); break;
      case OpCode::Erf: unary<Erf, kPartials>(ins, f, y); break;
      case OpCode::Erfc: unary<Erfc, kPartials>(ins, f, y); break;
      case OpCode::Lgamma: unary<Lgamma, kPartials>(ins, f, y); break;
      case OpCode::Tgamma: unary<Tgamma, kPartials>(ins, f, y); break;
      case OpCode::Sigmoid: unary<Sigmoid, kPartials>(ins, f, y); break;
      case OpCode::LogSigmoid: unary<LogSigmoid, kPartials>(ins, f, y); break;
      case OpCode::Softplus: unary<Softplus, kPartials>(ins, f, y); break;
      case OpCode::LogSumExp:
        if (ins.form == Form::Nary) {
          log_sum_exp_nary<kPartials>(ins, f, y);
        } else {
          binary<LogSumExp, kPartials>(ins, f, y);
        }
        break;
      default: break;  // compile() admits only the codes above (rule_arity)
    }
  }
}

bool same(double a, double b) noexcept { return a == b || (std::isnan(a) && std::isnan(b)); }

bool holds(const GuardCheck& g, const double* v) noexcept {
  const double a = v[g.a];
  const double b = v[g.b];
  switch (g.kind) {
    case Guard::Order: return ordering_code(a <=> b) == g.outcome;
    case Guard::Equal: return (a == b ? 1 : 0) == g.outcome;
    case Guard::Floor: return same(std::floor(a), b);
    case Guard::Ceil: return same(std::ceil(a), b);
    case Guard::Round: return same(std::round(a), b);
    case Guard::Trunc: return same(std::trunc(a), b);
  }
  return false;
}

}  // namespace

int rule_arity(OpCode op) noexcept {
  switch (op) {
    case OpCode::Add: case OpCode::Sub: case OpCode::Mul: case OpCode::Div: case OpCode::Pow:
    case OpCode::Hypot: case OpCode::Atan2: case OpCode::Fmin: case OpCode::Fmax: case OpCode::LogSumExp:
      return 2;
    case OpCode::Fma: return 3;
    case OpCode::Neg: case OpCode::Square: case OpCode::Exp: case OpCode::Exp2: case OpCode::Expm1:
    case OpCode::Log: case OpCode::Log2: case OpCode::Log10: case OpCode::Log1p: case OpCode::Sqrt:
    case OpCode::Cbrt: case OpCode::Sin: case OpCode::Cos: case OpCode::Tan: case OpCode::Asin:
    case OpCode::Acos: case OpCode::Atan: case OpCode::Sinh: case OpCode::Cosh: case OpCode::Tanh:
    case OpCode::Asinh: case OpCode::Acosh: case OpCode::Atanh: case OpCode::Abs: case OpCode::Erf:
    case OpCode::Erfc: case OpCode::Lgamma: case OpCode::Tgamma: case OpCode::Sigmoid:
    case OpCode::LogSigmoid: case OpCode::Softplus:
      return 1;
    default: return 0;  // inputs, statements, custom and external nodes, and any code added later
  }
}

ReplayStatus forward(const Program& p, const double* x, WorkspaceData& ws, bool partials) {
  std::copy_n(x, p.inputs, ws.value.data() + p.constants);
  const Frame frame{ws.value.data(), ws.partial.data(), ws.scratch.data(), p.nary_operands.data(), p.constants};
  if (partials) {
    run<true>(p, frame);
  } else {
    run<false>(p, frame);
  }
  for (const GuardCheck& g : p.guards) {
    if (!holds(g, ws.value.data())) return ReplayStatus::BranchChanged;
  }
  return ReplayStatus::Ok;
}

void reverse(const Program& p, const double* seeds, WorkspaceData& ws) {
  double* const adjoint = ws.adjoint.data();
  std::fill(adjoint + p.constants, adjoint + p.slots(), 0.0);
  for (std::size_t k = 0; k < p.output_slot.size(); ++k) {
    if (!p.is_constant(p.output_slot[k])) adjoint[p.output_slot[k]] += seeds[k];
  }
  const Instruction* code = p.code.data();
  const std::uint32_t* arg = p.edge_slot.data();
  const double* partial = ws.partial.data();
  const double* result_adjoint = adjoint + p.constants + p.inputs;
  for (std::size_t i = p.instructions(); i-- > 0;) {
    const double a = result_adjoint[i];
    if (a == 0.0) continue;  // also stops 0 * inf from turning unrelated adjoints into NaN
    const std::uint32_t end = code[i + 1].edge;
    for (std::uint32_t k = code[i].edge; k < end; ++k) adjoint[arg[k]] += partial[k] * a;
  }
}

}  // namespace slope::detail
