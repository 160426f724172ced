#pragma once
/// \file
/// (internal) The scalar operations of the language for double and for Var, through the
/// same derivative rules, so that Model::value(doubles) and the taped value agree exactly.
/// The tables are generated from autodiff's one list of operations (BuiltinRules).

#include <slope/autodiff.hpp>
#include <slope/autodiff/ops/all.hpp>

#include <array>

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

template <class T>
using UnaryFunction = T (*)(const T&);
template <class T>
using BinaryFunction = T (*)(const T&, const T&);

/// One entry per rule of BuiltinRules: the rule applied to T, or null for a rule of another
/// arity (the checker calls a function only with its rule's number of arguments).
template <class T, class... Rules>
constexpr std::array<UnaryFunction<T>, sizeof...(Rules)> unary_table(RuleList<Rules...>) {
  return {[]() -> UnaryFunction<T> {
    if constexpr (UnaryRule<Rules>) {
      return [](const T& x) -> T { return apply_unary<Rules>(x); };
    } else {
      return nullptr;
    }
  }()...};
}
template <class T, class... Rules>
constexpr std::array<BinaryFunction<T>, sizeof...(Rules)> binary_table(RuleList<Rules...>) {
  return {[]() -> BinaryFunction<T> {
    if constexpr (BinaryRule<Rules>) {
      return [](const T& a, const T& b) -> T { return apply_binary<Rules>(a, b); };
    } else {
      return nullptr;
    }
  }()...};
}
template <class T>
inline constexpr auto kUnary = unary_table<T>(BuiltinRules{});
template <class T>
inline constexpr auto kBinary = binary_table<T>(BuiltinRules{});

/// The elementwise function of one argument whose rule is `rule` (a unary rule).
template <class T>
UnaryFunction<T> unary_function(OpCode rule) noexcept { return kUnary<T>[rule_index(rule)]; }
/// The elementwise function of two arguments whose rule is `rule` (a binary rule).
template <class T>
BinaryFunction<T> binary_function(OpCode rule) noexcept { return kBinary<T>[rule_index(rule)]; }

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
