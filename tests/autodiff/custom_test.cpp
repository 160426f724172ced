// User-defined operations: a rule struct through record_unary, custom_op with value and
// partials, and external_op with a vector-Jacobian product run during the sweep.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "support/check_derivative.hpp"

using slope::Tape;
using slope::Var;

namespace {

/// A user's rule: y = x e^x, dy/dx = (1 + x) e^x = y + e^x.
struct XExp {
  static constexpr std::string_view name = "x_exp";
  static double value(double x) { return x * std::exp(x); }
  static double partial(double x, double y) { return y + std::exp(x); }
};

/// A user's rule with a domain: y = x ln x for x >= 0 (y = 0 at 0), dy/dx = ln x + 1.
struct XLogX {
  static constexpr std::string_view name = "x_log_x";
  static constexpr std::string_view domain = "must be >= 0";
  static constexpr bool in_domain(double x) { return x >= 0.0; }
  static double value(double x) { return x == 0.0 ? 0.0 : x * std::log(x); }
  static double partial(double x, double) { return std::log(x) + 1.0; }
};

template <class T>
T x_exp(const T& x) {
  if constexpr (std::is_same_v<T, Var>) {
    return slope::record_unary<XExp>(x);
  } else {
    return XExp::value(x);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(custom)

BOOST_AUTO_TEST_CASE(a_user_rule_takes_part_in_sweeps) {
  for (const double x : {-3.0, -0.5, 0.0, 0.7, 2.0}) {
    slope::test::check_unary([](auto v) { return x_exp(v) * 2.0 + v; }, x, 2.0 * (1.0 + x) * std::exp(x) + 1.0);
  }
}

BOOST_AUTO_TEST_CASE(a_user_rule_gets_domain_checks_and_the_custom_code) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(-1.0);
  BOOST_CHECK_EXCEPTION(slope::record_unary<XLogX>(x), slope::DomainError, [](const slope::DomainError& e) {
    return e.operation() == "x_log_x" && std::string(e.what()) == "x_log_x: argument is -1, must be >= 0";
  });
  const Var y = tape.input(2.0);
  const Var z = slope::record_unary<XLogX>(y);
  BOOST_TEST((tape.operation(2) == slope::OpCode::Custom));
  tape.backward(z);
  BOOST_TEST(tape.adjoint(y) == std::log(2.0) + 1.0);
}

BOOST_AUTO_TEST_CASE(custom_op_with_value_and_partials) {
  // A black box g(a, b, c) = a b + c^3 whose partials the caller computes.
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{2.0, 3.0, -1.0});
  const std::vector<Var> args{x[0], x[1], Var(4.0), x[2]};  // a constant operand gets no edge
  const double a = 2.0, b = 3.0, c = -1.0, k = 4.0;
  const Var g = slope::custom_op(args, a * b + k + c * c * c, std::vector<double>{b, a, 1.0, 3 * c * c});
  const Var y = g * g;
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x[0]) == 2 * g.value() * b);
  BOOST_TEST(tape.adjoint(x[1]) == 2 * g.value() * a);
  BOOST_TEST(tape.adjoint(x[2]) == 2 * g.value() * 3 * c * c);
  BOOST_CHECK_THROW(slope::custom_op(args, 0.0, std::vector<double>{1.0}), slope::TapeError);
}

BOOST_AUTO_TEST_CASE(external_op_runs_its_vector_jacobian_product_in_the_sweep) {
  // outputs = R(theta) p: a rotation of the point p = (px, py) by angle theta.
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> in = tape.inputs(std::vector<double>{0.3, 1.0, 2.0});  // theta, px, py
  const double t = 0.3, px = 1.0, py = 2.0;
  const double c = std::cos(t), s = std::sin(t);
  int calls = 0;
  const std::vector<Var> out = slope::external_op(
      in, std::vector<double>{c * px - s * py, s * px + c * py},
      [&](std::span<const double> w, std::span<double> g) {
        ++calls;
        g[0] += w[0] * (-s * px - c * py) + w[1] * (c * px - s * py);
        g[1] += w[0] * c + w[1] * s;
        g[2] += w[0] * -s + w[1] * c;
      });
  const Var y = out[0] * 3.0 + out[1] * out[1];  // y = 3 u + v^2
  tape.backward(y);
  BOOST_TEST(calls == 1);
  const double u_bar = 3.0, v_bar = 2.0 * out[1].value();
  BOOST_TEST(slope::test::close(tape.adjoint(in[0]), u_bar * (-s * px - c * py) + v_bar * (c * px - s * py), slope::test::kExact));
  BOOST_TEST(slope::test::close(tape.adjoint(in[1]), u_bar * c + v_bar * s, slope::test::kExact));
  BOOST_TEST(slope::test::close(tape.adjoint(in[2]), -u_bar * s + v_bar * c, slope::test::kExact));
}

BOOST_AUTO_TEST_CASE(rewinding_past_an_external_op_drops_it) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(1.0);
  const slope::TapePosition start = tape.position();
  int calls = 0;
  const auto ext = slope::external_op(std::vector<Var>{x}, std::vector<double>{2.0},
                                      [&](std::span<const double> w, std::span<double> g) { ++calls; g[0] += 2.0 * w[0]; });
  tape.backward(ext[0]);
  BOOST_TEST(tape.adjoint(x) == 2.0);
  tape.rewind(start);
  const Var y = x * 5.0;
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == 5.0);
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()
