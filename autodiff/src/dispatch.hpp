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

/// Runs `step` on every instruction of `p`, in order. A Step has
/// `unary<Rule>(ins, i)`, `binary<Rule>(ins, i)`, `fma(ins, i)`, `log_sum_exp(ins, i)` (n-ary)
/// and `fused(ins, i)` (a linear combination, see compile.cpp).
template <class Step>
SLOPE_ALWAYS_INLINE void dispatch(const Program& p, Step& step) {
  const Instruction* code = p.code.data();
  const std::size_t count = p.instructions();
  for (std::size_t i = 0; i < count; ++i) {
    const Instruction& ins = code[i];
    switch (ins.op) {
      case OpCode::Neg: step.template unary<Neg>(ins, i); break;
      case OpCode::Add: step.template binary<Add>(ins, i); break;
      case OpCode::Sub: step.template binary<Sub>(ins, i); break;
      case OpCode::Mul: step.template binary<Mul>(ins, i); break;
      case OpCode::Div: step.template binary<Div>(ins, i); break;
      case OpCode::Pow: step.template binary<Pow>(ins, i); break;
      case OpCode::Square: step.template unary<Square>(ins, i); break;
      case OpCode::Exp: step.template unary<Exp>(ins, i); break;
      case OpCode::Exp2: step.template unary<Exp2>(ins, i); break;
      case OpCode::Expm1: step.template unary<Expm1>(ins, i); break;
      case OpCode::Log: step.template unary<Log>(ins, i); break;
      case OpCode::Log2: step.template unary<Log2>(ins, i); break;
      case OpCode::Log10: step.template unary<Log10>(ins, i); break;
      case OpCode::Log1p: step.template unary<Log1p>(ins, i); break;
      case OpCode::Sqrt: step.template unary<Sqrt>(ins, i); break;
      case OpCode::Cbrt: step.template unary<Cbrt>(ins, i); break;
      case OpCode::Hypot: step.template binary<Hypot>(ins, i); break;
      case OpCode::Sin: step.template unary<Sin>(ins, i); break;
      case OpCode::Cos: step.template unary<Cos>(ins, i); break;
      case OpCode::Tan: step.template unary<Tan>(ins, i); break;
      case OpCode::Asin: step.template unary<Asin>(ins, i); break;
      case OpCode::Acos: step.template unary<Acos>(ins, i); break;
      case OpCode::Atan: step.template unary<Atan>(ins, i); break;
      case OpCode::Atan2: step.template binary<Atan2>(ins, i); break;
      case OpCode::Sinh: step.template unary<Sinh>(ins, i); break;
      case OpCode::Cosh: step.template unary<Cosh>(ins, i); break;
      case OpCode::Tanh: step.template unary<Tanh>(ins, i); break;
      case OpCode::Asinh: step.template unary<Asinh>(ins, i); break;
      case OpCode::Acosh: step.template unary<Acosh>(ins, i); break;
      case OpCode::Atanh: step.template unary<Atanh>(ins, i); break;
      case OpCode::Abs: step.template unary<Abs>(ins, i); break;
      case OpCode::Fmin: step.template binary<Fmin>(ins, i); break;
      case OpCode::Fmax: step.template binary<Fmax>(ins, i); break;
      case OpCode::Fma: step.fma(ins, i); break;
      case OpCode::Fused: step.fused(ins, i); break;
      case OpCode::Erf: step.template unary<Erf>(ins, i); break;
      case OpCode::Erfc: step.template unary<Erfc>(ins, i); break;
      case OpCode::Lgamma: step.template unary<Lgamma>(ins, i); break;
      case OpCode::Tgamma: step.template unary<Tgamma>(ins, i); break;
      case OpCode::Sigmoid: step.template unary<Sigmoid>(ins, i); break;
      case OpCode::LogSigmoid: step.template unary<LogSigmoid>(ins, i); break;
      case OpCode::Softplus: step.template unary<Softplus>(ins, i); break;
      case OpCode::LogSumExp:
        if (ins.form == Form::Nary) {
          step.log_sum_exp(ins, i);
        } else {
          step.template binary<LogSumExp>(ins, i);
        }
        break;
      default: break;  // compile() admits only the codes above (rule_arity)
    }
  }
}

}  // namespace slope::detail
