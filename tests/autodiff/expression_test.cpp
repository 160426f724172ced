// Expression templates (expression.hpp): a statement is one node, and nothing about the
// derivatives changes. These tests try the known ways expression templates go wrong: an
// expression kept with `auto` and used twice, one that outlives its operands, aliasing
// (`x = x * y + x`), constants of every kind, a temporary absorbed into the statement, and
// discarded or compared expressions. Each derivative is checked against finite differences,
// the unfolded recording and, where short, a hand-derived value.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <span>
#include <type_traits>
#include <vector>

#include "support/check_derivative.hpp"

using slope::Tape;
using slope::Var;
using slope::test::check_gradient;

namespace {

/// Builds an expression from by-value operands and returns it: it must own copies of them
/// (held by reference, it would point into this dead frame).
auto product_plus_one(Var a, Var b) { return a * b + 1.0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(expression_templates)

BOOST_AUTO_TEST_CASE(a_statement_is_one_node_with_an_edge_per_leaf) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{0.5, 1.5, -2.0});
  const Var y = x[1] - x[0] * x[0] + 3.0 * exp(x[2] / x[1]);
  BOOST_TEST(tape.size() == 4U);
  BOOST_TEST(tape.stats().edges == 4U);  // x0 * x0 is one edge: x1, x0, x2, x1
  tape.backward(y);
  const double e = std::exp(-2.0 / 1.5);
  BOOST_TEST(tape.adjoint(x[0]) == -1.0);
  BOOST_TEST(std::fabs(tape.adjoint(x[1]) - (1.0 - 3.0 * e * 2.0 / (1.5 * 1.5) * -1.0)) < 1e-14);
  BOOST_TEST(std::fabs(tape.adjoint(x[2]) - 3.0 * e / 1.5) < 1e-14);
}

BOOST_AUTO_TEST_CASE(an_operation_alone_keeps_its_op_code) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(2.0);
  const Var b = tape.input(3.0);
  const Var p = a * b;
  const Var q = a - 1.0;
  const Var r = a * b + 1.0;
  BOOST_TEST((tape.operation(2) == slope::op_code<slope::Mul>));
  BOOST_TEST((tape.operation(3) == slope::op_code<slope::Sub>));
  BOOST_TEST((tape.operation(4) == slope::OpCode::Fused));
  BOOST_TEST(p.value() + q.value() + r.value() == 6.0 + 1.0 + 7.0);
}

BOOST_AUTO_TEST_CASE(a_leaf_repeated_next_to_itself_is_one_edge) {
  Tape tape;
  auto recording = tape.record();
  const Var t = tape.input(0.5);
  const Var u = tape.input(-1.5);
  const Var c = 4.0;  // a constant Var twice in a row: no edge at all
  const Var y = 100.0 * t * t + u * u + (t + 1.0) * t + c * c * u;
  BOOST_TEST(tape.stats().edges == 4U);  // t, u, t, u: a leaf joins only the edge just before it
  tape.backward(y);
  BOOST_TEST(tape.adjoint(t) == 200.0 * 0.5 + 2.0 * 0.5 + 1.0);
  BOOST_TEST(tape.adjoint(u) == 2.0 * -1.5 + 16.0);
  for (const double x0 : {0.5, -2.0}) {
    check_gradient(
        [](auto v) { return 100.0 * v[0] * v[0] + v[1] * v[1] * v[1] + (v[0] - 1.0) * v[0] / v[0] * v[1]; },
        {x0, 1.25});
  }
}

BOOST_AUTO_TEST_CASE(aliasing_the_assigned_var) {
  // x = x * y + x: the right side is read before x is overwritten. d/dx = y + 1, d/dy = x.
  check_gradient(
      [](auto v) {
        std::remove_cvref_t<decltype(v[0])> x = v[0];
        x = x * v[1] + x;
        return x;
      },
      {1.25, -0.5}, std::vector<double>{0.5, 1.25});
  // Then again on the new x, and with compound assignment of an expression of itself.
  check_gradient(
      [](auto v) {
        std::remove_cvref_t<decltype(v[0])> x = v[0] * 2.0;
        x = x * v[1] + x;
        x += x * x;
        x -= v[1] / x;
        return x;
      },
      {0.75, 1.5});
}

BOOST_AUTO_TEST_CASE(an_auto_expression_used_twice_records_it_twice_correctly) {
  check_gradient(
      [](auto v) {
        using T = std::remove_cvref_t<decltype(v[0])>;
        const auto e = v[0] * v[1] + 1.0;  // an expression with Var, a double with double
        const T once = e;
        const T twice = e * once + e;
        return twice;
      },
      {0.8, -1.3});
}

BOOST_AUTO_TEST_CASE(an_auto_expression_over_a_temporary_is_not_absorbed_twice) {
  // sin(x) is the tape's top node and held only by e: absorbing it into the first statement
  // and again into the second would make the second count the first's partials.
  for (const double x0 : {0.3, 1.7, -2.2}) {
    check_gradient(
        [](auto v) {
          using std::sin;
          using T = std::remove_cvref_t<decltype(v[0])>;
          auto e = sin(v[0]) * 2.0;
          const T first = e;
          const T second = e * 3.0;
          const T third = e;
          return first * v[1] + second + third * third;
        },
        {x0, 0.6});
  }
}

BOOST_AUTO_TEST_CASE(a_temporary_is_absorbed_a_named_var_is_not) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(0.7);
  const Var y = tape.input(-0.4);
  const std::size_t inputs = tape.size();
  const Var absorbed = sin(x) * y + 2.0;  // sin's node becomes the statement's
  BOOST_TEST(tape.size() == inputs + 1);
  const Var s = cos(y);
  const Var kept = s * x + s;  // s is named: its node stays, the statement points at it
  BOOST_TEST(tape.size() == inputs + 3);
  tape.backward(absorbed + kept);
  BOOST_TEST(std::fabs(tape.adjoint(x) - (std::cos(0.7) * -0.4 + std::cos(-0.4))) < 1e-14);
  BOOST_TEST(std::fabs(tape.adjoint(y) - (std::sin(0.7) - std::sin(-0.4) * 0.7 - std::sin(-0.4))) < 1e-14);
}

BOOST_AUTO_TEST_CASE(two_temporaries_and_repeated_leaves) {
  for (const double x0 : {0.4, 2.5}) {
    check_gradient(
        [](auto v) {
          using std::exp;
          using std::log;
          using std::sin;
          return sin(v[0]) * sin(v[0]) + exp(v[1]) / log(v[0] + 1.0) - v[0] * v[0] * v[0];
        },
        {x0, -0.3});
  }
}

BOOST_AUTO_TEST_CASE(constants_of_every_kind) {
  // Numbers (double and int) on either side, constant Vars, and negation.
  check_gradient(
      [](auto v) {
        using T = std::remove_cvref_t<decltype(v[0])>;
        const T c = 2.5;  // a constant Var: a leaf with no edge
        return 2 * v[0] + v[0] / 3.0 - 1 + 4.0 / v[1] - (-v[1]) + c * v[0] * c - c / v[1] + (c + 1.0) * 2.0;
      },
      {0.9, -1.7}, std::vector<double>{2.0 + 1.0 / 3.0 + 6.25, -4.0 / (1.7 * 1.7) + 1.0 + 2.5 / (1.7 * 1.7)});
}

BOOST_AUTO_TEST_CASE(an_expression_of_constants_records_nothing) {
  const Var outside = Var(2.0) * 3.0 + exp(Var(0.0) * Var(1.0));  // no tape: constants only
  BOOST_TEST(outside.value() == 7.0);
  BOOST_TEST(outside.is_constant());
  Tape tape;
  auto recording = tape.record();
  const Var c = Var(1.5) / 3.0 - Var(0.5);
  BOOST_TEST(c.is_constant());
  BOOST_TEST(c.value() == 0.0);
  BOOST_TEST(tape.size() == 0U);
}

BOOST_AUTO_TEST_CASE(an_expression_returned_from_a_function_owns_its_operands) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(1.5);
  const Var b = tape.input(-2.0);
  const auto e = product_plus_one(a, b);
  const Var y = e * a;
  tape.backward(y);
  BOOST_TEST(y.value() == (1.5 * -2.0 + 1.0) * 1.5);
  BOOST_TEST(tape.adjoint(a) == 2.0 * 1.5 * -2.0 + 1.0);
  BOOST_TEST(tape.adjoint(b) == 1.5 * 1.5);
}

BOOST_AUTO_TEST_CASE(a_sum_accumulated_in_a_loop_is_one_node) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<double> w{0.5, -1.0, 2.0, 0.25};
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0, 3.0, 4.0});
  Var s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) s += w[i] * x[i];
  s -= x[0] * x[1];
  BOOST_TEST(tape.size() == x.size() + 1);
  BOOST_TEST(tape.stats().edges == x.size() + 2);
  tape.backward(s);
  BOOST_TEST(tape.adjoint(x[0]) == 0.5 - 2.0);
  BOOST_TEST(tape.adjoint(x[1]) == -1.0 - 1.0);
  BOOST_TEST(tape.adjoint(x[3]) == 0.25);
}

BOOST_AUTO_TEST_CASE(a_var_shared_by_every_term_of_a_loop_sum_is_one_edge) {
  // s += exp(x[i] - m): each term ends with m, which merges into the node's last edge.
  const auto f = [](auto v) {
    using std::exp;
    using T = std::remove_cvref_t<decltype(v[0])>;
    const T m = v[3];
    T s = 0.0;
    for (std::size_t i = 0; i < 3; ++i) s += exp(v[i] - m);
    s -= m * 0.5;            // ends with m too: merges
    s += (v[0] - m) * v[1];  // ends with v[1], not m: new edges
    s += m;                  // the last edge is v[1] now: a new edge to m
    return s;
  };
  const std::vector<double> x0{0.3, -1.2, 0.8, 2.0};
  Tape tape;
  {
    auto recording = tape.record();
    const std::vector<Var> x = tape.inputs(x0);
    const Var s = f(x);
    BOOST_TEST(tape.size() == x.size() + 1);
    BOOST_TEST(tape.stats().edges == 3U + 1U + 3U + 1U);  // x0 x1 x2 m, then x0 m x1, then m
    tape.backward(s);
    double e_sum = 0.0;
    for (std::size_t i = 0; i < 3; ++i) e_sum += std::exp(x0[i] - x0[3]);
    BOOST_TEST(std::fabs(tape.adjoint(x[3]) - (-e_sum - 0.5 - x0[1] + 1.0)) < 1e-14);
    BOOST_TEST(std::fabs(tape.adjoint(x[1]) - (std::exp(x0[1] - x0[3]) + x0[0] - x0[3])) < 1e-14);
  }
  check_gradient(f, x0);
  // A sum started from a product: its node's last edge (x[1]) takes the next term's.
  Tape other;
  auto recording = other.record();
  const std::vector<Var> x = other.inputs(x0);
  Var s = x[0] * x[1];  // its last edge is x[1]
  s += x[2] * x[1];     // merges with it
  BOOST_TEST(other.stats().edges == 3U);
  other.backward(s);
  BOOST_TEST(other.adjoint(x[1]) == x0[0] + x0[2]);
  BOOST_TEST(other.adjoint(x[2]) == x0[1]);
}

BOOST_AUTO_TEST_CASE(a_discarded_or_compared_expression) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(0.5);
  static_cast<void>(x * 2.0 + 1.0);  // never becomes a Var: records nothing
  BOOST_TEST(tape.size() == 1U);
  BOOST_TEST(slope::value(x * 2.0 + 1.0) == 2.0);  // reads the value: records nothing
  BOOST_TEST(tape.size() == 1U);
  BOOST_TEST((x * 2.0 > 0.5));
  BOOST_TEST(!(x - 1.0 == 0.0));
  const Var branch = x > 0.25 ? Var(x * x) : Var(-x);  // two expression types: name the Var
  BOOST_TEST(branch.value() == 0.25);
}

BOOST_AUTO_TEST_CASE(checked_mode_names_the_operation_inside_an_expression) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(1.0);
  BOOST_CHECK_EXCEPTION(Var(2.0 * log(x - 2.0) + x), slope::DomainError,
                        [](const slope::DomainError& e) { return e.operation() == "log"; });
  BOOST_CHECK_EXCEPTION(Var(x / (x - 1.0) + 1.0), slope::DomainError,
                        [](const slope::DomainError& e) { return e.operation() == "div"; });
}

BOOST_AUTO_TEST_CASE(replayed_expressions_match_the_tape) {
  auto f = [](auto v) {
    using std::exp;
    using std::sin;
    using T = std::remove_cvref_t<decltype(v[0])>;
    T s = 0.0;
    for (std::size_t i = 0; i + 1 < v.size(); ++i) {
      const T t = v[i + 1] - v[i] * v[i];
      s += 100.0 * t * t + (1.0 - v[i]) * (1.0 - v[i]) + exp(-v[i] * v[i + 1]) / (2.0 + sin(v[i]));
    }
    return s;
  };
  const std::vector<double> x0{0.3, -0.7, 1.1, 0.2};
  const auto live = slope::value_and_gradient(f, x0);
  const slope::Function compiled = slope::Function::record(f, x0);
  std::vector<double> replayed(x0.size());
  const slope::Evaluation replay = compiled.value_and_gradient(x0, replayed);
  BOOST_TEST(replay.ok());
  BOOST_TEST(replay.value == live.value);
  for (std::size_t i = 0; i < x0.size(); ++i) {
    BOOST_TEST(std::fabs(replayed[i] - live.gradient[i]) <= 1e-12 * (1.0 + std::fabs(live.gradient[i])));
  }
  check_gradient(f, x0);
}

BOOST_AUTO_TEST_SUITE_END()
