#pragma once
// The replay's one switch over OpCode: which rule struct (ops/*.hpp) each instruction runs.
// A Step policy says what to do with the rule: ValueStep (replay.cpp) computes values and
// partials, TangentStep (hessian.cpp) their derivatives along a direction. Private header.

#include "program.hpp"
#include "slope/autodiff/ops/arithmetic.hpp"
#include "slope/autodiff/ops/exp_log.hpp"
#include "slope/autodiff/ops/ml.hpp"
#include "slope/autodiff/ops/piecewise.hpp"
#include "slope/autodiff/ops/power.hpp"
#include "slope/autodiff/ops/special.hpp"
#include "slope/autodiff/ops/trig.hpp"

namespace slope::detail {

/// Runs `step.unary<R>` on every instruction of a run.
template <UnaryRule R, class Step>
SLOPE_ALWAYS_INLINE void unary_run(Step& step, const Instruction* code, const Run& run) {
  for (std::uint32_t i = run.begin; i < run.end; ++i) step.template unary<R>(code[i], i);
}

/// Runs `step.binary<R, F>` on every instruction of a run, F being the run's form (Both, First
/// or Second), so that which partials to compute is decided once per run.
template <BinaryRule R, class Step>
SLOPE_ALWAYS_INLINE void binary_run(Step& step, const Instruction* code, const Run& run) {
  switch (run.form) {
    case Form::Both:
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template binary<R, Form::Both>(code[i], i);
      break;
    case Form::First:
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template binary<R, Form::First>(code[i], i);
      break;
    default:
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template binary<R, Form::Second>(code[i], i);
      break;
  }
}

/// Runs `step` on every instruction of `p`, in order. A Step has
/// `unary<Rule>(ins, i)`, `binary<Rule, Form>(ins, i)`, `fma(ins, i)`, `log_sum_exp(ins, i)` (n-ary)
/// and `fused(ins, i)` (a linear combination, see compile.cpp).
/// The switch runs once per run of equal operations (Program::runs), not per instruction: an
/// indirect jump per instruction costs more than most of the arithmetic it selects.
template <class Step>
SLOPE_ALWAYS_INLINE void dispatch(const Program& p, Step& step) {
  const Instruction* code = p.code.data();
  for (const Run& run : p.runs) {
    switch (run.op) {
      case OpCode::Neg: unary_run<Neg>(step, code, run); break;
      case OpCode::Add: binary_run<Add>(step, code, run); break;
      case OpCode::Sub: binary_run<Sub>(step, code, run); break;
      case OpCode::Mul: binary_run<Mul>(step, code, run); break;
      case OpCode::Div: binary_run<Div>(step, code, run); break;
      case OpCode::Pow: binary_run<Pow>(step, code, run); break;
      case OpCode::Square: unary_run<Square>(step, code, run); break;
      case OpCode::Exp: unary_run<Exp>(step, code, run); break;
      case OpCode::Exp2: unary_run<Exp2>(step, code, run); break;
      case OpCode::Expm1: unary_run<Expm1>(step, code, run); break;
      case OpCode::Log: unary_run<Log>(step, code, run); break;
      case OpCode::Log2: unary_run<Log2>(step, code, run); break;
      case OpCode::Log10: unary_run<Log10>(step, code, run); break;
      case OpCode::Log1p: unary_run<Log1p>(step, code, run); break;
      case OpCode::Sqrt: unary_run<Sqrt>(step, code, run); break;
      case OpCode::Cbrt: unary_run<Cbrt>(step, code, run); break;
      case OpCode::Hypot: binary_run<Hypot>(step, code, run); break;
      case OpCode::Sin: unary_run<Sin>(step, code, run); break;
      case OpCode::Cos: unary_run<Cos>(step, code, run); break;
      case OpCode::Tan: unary_run<Tan>(step, code, run); break;
      case OpCode::Asin: unary_run<Asin>(step, code, run); break;
      case OpCode::Acos: unary_run<Acos>(step, code, run); break;
      case OpCode::Atan: unary_run<Atan>(step, code, run); break;
      case OpCode::Atan2: binary_run<Atan2>(step, code, run); break;
      case OpCode::Sinh: unary_run<Sinh>(step, code, run); break;
      case OpCode::Cosh: unary_run<Cosh>(step, code, run); break;
      case OpCode::Tanh: unary_run<Tanh>(step, code, run); break;
      case OpCode::Asinh: unary_run<Asinh>(step, code, run); break;
      case OpCode::Acosh: unary_run<Acosh>(step, code, run); break;
      case OpCode::Atanh: unary_run<Atanh>(step, code, run); break;
      case OpCode::Abs: unary_run<Abs>(step, code, run); break;
      case OpCode::Fmin: binary_run<Fmin>(step, code, run); break;
      case OpCode::Fmax: binary_run<Fmax>(step, code, run); break;
      case OpCode::Fma:
        for (std::uint32_t i = run.begin; i < run.end; ++i) step.fma(code[i], i);
        break;
      case OpCode::Fused:
        for (std::uint32_t i = run.begin; i < run.end; ++i) step.fused(code[i], i);
        break;
      case OpCode::Erf: unary_run<Erf>(step, code, run); break;
      case OpCode::Erfc: unary_run<Erfc>(step, code, run); break;
      case OpCode::Lgamma: unary_run<Lgamma>(step, code, run); break;
      case OpCode::Tgamma: unary_run<Tgamma>(step, code, run); break;
      case OpCode::Sigmoid: unary_run<Sigmoid>(step, code, run); break;
      case OpCode::LogSigmoid: unary_run<LogSigmoid>(step, code, run); break;
      case OpCode::Softplus: unary_run<Softplus>(step, code, run); break;
      case OpCode::LogSumExp:
        if (run.form == Form::Nary) {
          for (std::uint32_t i = run.begin; i < run.end; ++i) step.log_sum_exp(code[i], i);
        } else {
          binary_run<LogSumExp>(step, code, run);
        }
        break;
      default: break;  // compile() admits only the codes above (rule_arity)
    }
  }
}

}  // namespace slope::detail
