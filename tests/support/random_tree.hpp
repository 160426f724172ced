#pragma once
/// \file
/// Seeded random expression trees over every operation, evaluated with double or slope::Var
/// (random_tree_test.cpp, function_test.cpp). Arguments pass through smooth maps into each
/// operation's domain (log(2 + x^2), asin(0.9 tanh x), ...) so every tree is differentiable.

#include <slope/autodiff.hpp>

#include <memory>
#include <random>
#include <span>
#include <type_traits>

// A named namespace, not an anonymous one: Boost's data-test fixtures capture these types.
namespace random_trees {

using slope::Var;

/// Calls the double or the Var form of a rule, so that one tree evaluates with both.
template <class Rule, class T>
  requires(!slope::Expression<T>)
T apply(const T& x) {
  if constexpr (std::is_same_v<T, Var>) {
    return slope::record_unary<Rule>(x);
  } else {
    return Rule::value(x);
  }
}
template <class Rule, class T>
  requires(!slope::Expression<T>)
T apply(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, Var>) {
    return slope::record_binary<Rule>(a, b);
  } else {
    return Rule::value(a, b);
  }
}

/// An operand written as an expression (`a * a + 1.0`) is a Var first.
template <class Rule, slope::Expression E>
Var apply(const E& x) {
  return apply<Rule>(Var(x));
}
template <class Rule, class A, class B>
  requires(slope::Expression<A> || slope::Expression<B>)
Var apply(const A& a, const B& b) {
  return apply<Rule>(Var(a), Var(b));
}

template <class T>
T squash(const T& x) {
  return apply<slope::Tanh>(x);
}

constexpr int kUnary = 30;
constexpr int kBinary = 12;

template <class T>
T unary(int op, const T& x) {
  using namespace slope;  // the rules
  const T s = squash(x);
  switch (op) {
    case 0: return apply<Neg>(x);
    case 1: return apply<Exp>(s);
    case 2: return apply<Exp2>(s);
    case 3: return apply<Expm1>(s);
    case 4: return apply<Log>(x * x + 2.0);
    case 5: return apply<Log2>(x * x + 2.0);
    case 6: return apply<Log10>(x * x + 2.0);
    case 7: return apply<Log1p>(x * x);
    case 8: return apply<Sqrt>(x * x + 1.0);
    case 9: return apply<Cbrt>(s + 2.0);
    case 10: return apply<Sin>(x);
    case 11: return apply<Cos>(x);
    case 12: return apply<Tan>(s);
    case 13: return apply<Asin>(s * 0.9);
    case 14: return apply<Acos>(s * 0.9);
    case 15: return apply<Atan>(x);
    case 16: return apply<Sinh>(s);
    case 17: return apply<Cosh>(s);
    case 18: return apply<Tanh>(x);
    case 19: return apply<Asinh>(x);
    case 20: return apply<Acosh>(x * x + 1.5);
    case 21: return apply<Atanh>(s * 0.9);
    case 22: return apply<Erf>(x);
    case 23: return apply<Erfc>(x);
    case 24: return apply<Lgamma>(x * x + 0.5);
    case 25: return apply<Tgamma>(s + 2.0);
    case 26: return apply<Sigmoid>(x);
    case 27: return apply<LogSigmoid>(x);
    case 28: return apply<Softplus>(x);
    default: return apply<Square>(x);
  }
}

template <class T>
T binary(int op, const T& a, const T& b) {
  using namespace slope;
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / (squash(b) + 2.0);
    case 4: return apply<Pow>(a * a + 1.0, squash(b));
    case 5: return apply<Pow>(squash(a) + 1.5, T(2.5));
    case 6: return apply<Hypot>(a, b + 3.0);
    case 7: return apply<Atan2>(a, squash(b) + 2.0);
    case 8: return apply<Fmax>(a, b);
    case 9: return apply<Fmin>(a, b);
    case 10: return apply<LogSumExp>(a, b);
    default: return a * 0.5 + b * b;
  }
}

/// A tree node: a leaf is an input or a constant; inner nodes are one operation.
struct Node {
  int kind = 0;  // 0 input, 1 constant, 2 unary, 3 binary
  int op = 0;
  double constant = 0.0;
  std::unique_ptr<Node> left, right;
};

inline std::unique_ptr<Node> grow(std::mt19937_64& rng, int depth, int inputs) {
  auto node = std::make_unique<Node>();
  std::uniform_int_distribution<int> pick(0, 9);
  const int choice = depth == 0 ? pick(rng) % 2 : pick(rng);
  if (choice == 0 || (depth == 0 && choice == 1 && pick(rng) < 8)) {
    node->kind = 0;
    node->op = std::uniform_int_distribution<int>(0, inputs - 1)(rng);
  } else if (choice == 1) {
    node->kind = 1;
    node->constant = std::uniform_real_distribution<double>(-2.0, 2.0)(rng);
  } else if (choice < 6) {
    node->kind = 2;
    node->op = std::uniform_int_distribution<int>(0, kUnary - 1)(rng);
    node->left = grow(rng, depth - 1, inputs);
  } else {
    node->kind = 3;
    node->op = std::uniform_int_distribution<int>(0, kBinary - 1)(rng);
    node->left = grow(rng, depth - 1, inputs);
    node->right = grow(rng, depth - 1, inputs);
  }
  return node;
}

template <class T>
T evaluate(const Node& node, std::span<const T> x) {
  switch (node.kind) {
    case 0: return x[static_cast<std::size_t>(node.op)];
    case 1: return T(node.constant);
    case 2: return unary(node.op, evaluate(*node.left, x));
    default: return binary(node.op, evaluate(*node.left, x), evaluate(*node.right, x));
  }
}

}  // namespace random_trees
