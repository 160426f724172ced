#pragma once
/// \file
/// (internal) The scalar operations of the language for double and for Var, through the
/// same derivative rules, so that Model::value(doubles) and the taped value agree exactly.

#include <slope/autodiff.hpp>

#include "slope/lang/ast.hpp"
#include "slope/lang/functions.hpp"

namespace slope::lang::detail {

template <class Rule>
double apply_unary(double x) { return Rule::value(x); }
template <class Rule>
Var apply_unary(const Var& x) { return record_unary<Rule>(x); }
template <class Rule>
double apply_binary(double a, double b) { return Rule::value(a, b); }
template <class Rule>
Var apply_binary(const Var& a, const Var& b) { return record_binary<Rule>(a, b); }

/// An elementwise function of one argument.
template <class T>
T call(Function f, const T& x) {
  switch (f) {
    case Function::Exp: return apply_unary<Exp>(x);
    case Function::Log: return apply_unary<Log>(x);
    case Function::Log1p: return apply_unary<Log1p>(x);
    case Function::Expm1: return apply_unary<Expm1>(x);
    case Function::Sqrt: return apply_unary<Sqrt>(x);
    case Function::Abs: return apply_unary<Abs>(x);
    case Function::Sin: return apply_unary<Sin>(x);
    case Function::Cos: return apply_unary<Cos>(x);
    case Function::Tan: return apply_unary<Tan>(x);
    case Function::Asin: return apply_unary<Asin>(x);
    case Function::Acos: return apply_unary<Acos>(x);
    case Function::Atan: return apply_unary<Atan>(x);
    case Function::Sinh: return apply_unary<Sinh>(x);
    case Function::Cosh: return apply_unary<Cosh>(x);
    case Function::Tanh: return apply_unary<Tanh>(x);
    case Function::Erf: return apply_unary<Erf>(x);
    case Function::Erfc: return apply_unary<Erfc>(x);
    case Function::Lgamma: return apply_unary<Lgamma>(x);
    case Function::Sigmoid: return apply_unary<Sigmoid>(x);
    case Function::LogSigmoid: return apply_unary<LogSigmoid>(x);
    case Function::Softplus: return apply_unary<Softplus>(x);
    default: return x;  // the checker allows only the functions above here
  }
}

/// An elementwise function of two arguments.
template <class T>
T call(Function f, const T& a, const T& b) {
  switch (f) {
    case Function::Atan2: return apply_binary<Atan2>(a, b);
    case Function::Pow: return apply_binary<Pow>(a, b);
    case Function::Min: return apply_binary<Fmin>(a, b);
    case Function::Max: return apply_binary<Fmax>(a, b);
    case Function::Hypot: return apply_binary<Hypot>(a, b);
    case Function::LogSumExp: return apply_binary<LogSumExp>(a, b);
    default: return a;  // the checker allows only the functions above here
  }
}

/// An arithmetic operator (comparisons give 1 or 0 and record nothing).
template <class T>
T apply(BinaryOp op, const T& a, const T& b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Subtract: return a - b;
    case BinaryOp::Multiply:
    case BinaryOp::ElementMultiply: return a * b;
    case BinaryOp::Divide:
    case BinaryOp::ElementDivide: return a / b;
    case BinaryOp::Power:
    case BinaryOp::ElementPower: return apply_binary<Pow>(a, b);
    case BinaryOp::Less: return T(a < b ? 1.0 : 0.0);
    case BinaryOp::LessEqual: return T(a <= b ? 1.0 : 0.0);
    case BinaryOp::Greater: return T(a > b ? 1.0 : 0.0);
    case BinaryOp::GreaterEqual: return T(a >= b ? 1.0 : 0.0);
    case BinaryOp::Equal: return T(a == b ? 1.0 : 0.0);
    case BinaryOp::NotEqual: return T(a != b ? 1.0 : 0.0);
  }
  return a;
}

}  // namespace slope::lang::detail
