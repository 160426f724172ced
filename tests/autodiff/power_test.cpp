// pow (every operand mix, negative bases), square, hypot: derivatives, conventions, domain errors (ops/power.hpp).
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "support/check_derivative.hpp"
#include "support/unary_checks.hpp"

namespace bdata = boost::unit_test::data;
using slope::DomainError;
using slope::Tape;
using slope::Var;
using slope::test::check_binary;
using slope::test::check_unary;
using slope::test::close;
using slope::test::kExact;
using slope::test::Tolerance;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

const std::vector<double> kBases{0.1, 0.5, 1.0, 2.0, 3.7, 10.0, 1e3};
const std::vector<double> kExponents{-3.0, -1.5, -1.0, 0.0, 0.5, 1.0, 2.0, 3.3};
const std::vector<double> kConstantBases{0.5, 2.0, std::numbers::e, 10.0};
const std::vector<double> kNegativeBases{-2.5, -1.0, -0.5};
const std::vector<double> kIntegerBases{-3.0, -1.5, -1.0, -0.25, 0.5, 2.0};
const std::vector<int> kIntegerExponents{-3, -2, -1, 0, 1, 2, 3, 7};
const std::vector<double> kPoints{-1e150, -37.5, -2.0, -1.0, -0.3, -1e-8, 0.0, 1e-8, 0.25, 1.0, 3.0, 1234.5, 1e150};
const std::vector<double> kHypotPoints{-1e300, -3.0, -1.0, -1e-3, 0.0, 2.0, 4.0, 1e300};

// At distance d from a kink or pole (the origin for hypot, a zero base for pow) the central
// difference's truncation error stays below (h/d)^2 relative; past h/d = 0.1 it says nothing.
std::optional<Tolerance> fd_near(double x, double d) {
  const double r = slope::test::central_step(x) / d;
  if (r > 0.1) return std::nullopt;
  return Tolerance{std::max(1e-6, 2.0 * r * r), 1e-8};
}

// The same for a point of the plane: the step is taken in each coordinate in turn.
std::optional<Tolerance> fd_near(double a, double b, double d) {
  const auto ta = fd_near(a, d);
  const auto tb = fd_near(b, d);
  if (!ta || !tb) return std::nullopt;
  return Tolerance{std::max(ta->rtol, tb->rtol), 1e-8};
}

const auto kPow = [](auto a, auto b) {
  using std::pow;
  return pow(a, b);
};

// Value and gradient of f at x on a default tape (IEEE, no exception).
template <class F>
std::pair<double, std::vector<double>> ieee(F f, std::vector<double> x) {
  std::pair<double, std::vector<double>> out;
  BOOST_REQUIRE_NO_THROW(out = slope::test::tape_gradient(f, x, {}));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(power)

BOOST_DATA_TEST_CASE(pow_of_positive_base, bdata::make(kBases) * bdata::make(kExponents), a, b) {
  // d/da a^b = b a^(b-1),  d/db a^b = a^b ln a.
  check_binary(kPow, a, b, std::pair{b * std::pow(a, b - 1.0), std::pow(a, b) * std::log(a)}, fd_near(a, b, a));
}

BOOST_DATA_TEST_CASE(pow_of_negative_base_with_integer_exponent,
                     bdata::make(kNegativeBases) * bdata::make(kIntegerExponents), a, n) {
  // a^b is defined only at integer b for a < 0, so d/db is NaN (and so is the central difference).
  const double b = n;
  check_binary(kPow, a, b, std::pair{b * std::pow(a, b - 1.0), kNaN}, fd_near(a, b, std::fabs(a)));
}

BOOST_DATA_TEST_CASE(pow_by_int, bdata::make(kIntegerBases) * bdata::make(kIntegerExponents), x, n) {
  // d/dx x^n = n x^(n-1), for negative x too.
  check_unary([n](auto v) { using std::pow; return pow(v, n); }, x, n * std::pow(x, n - 1), fd_near(x, std::fabs(x)));
}

BOOST_DATA_TEST_CASE(pow_by_integer_valued_double_takes_negative_bases, bdata::make(kIntegerBases), x) {
  check_unary([](auto v) { using std::pow; return pow(v, 3.0); }, x, 3.0 * x * x);
  check_unary([](auto v) { using std::pow; return pow(v, -2.0); }, x, -2.0 / (x * x * x), fd_near(x, std::fabs(x)));
}

BOOST_DATA_TEST_CASE(pow_of_constant_base, bdata::make(kConstantBases) * bdata::make(kExponents), a, b) {
  check_unary([a](auto v) { using std::pow; return pow(a, v); }, b, std::pow(a, b) * std::log(a));
}

BOOST_DATA_TEST_CASE(square_derivative_is_twice_x, bdata::make(kPoints), x) {
  check_unary([](auto v) {
    if constexpr (std::is_same_v<decltype(v), double>) {
      return v * v;
    } else {
      return square(v);
    }
  }, x, 2.0 * x);
}

BOOST_DATA_TEST_CASE(hypot_partials_are_the_direction_cosines, bdata::make(kHypotPoints) * bdata::make(kHypotPoints),
                     a, b) {
  // dz/da = a / sqrt(a^2 + b^2), dz/db = b / sqrt(a^2 + b^2), 0 at the origin; long double keeps
  // a^2 + b^2 finite at 1e300.
  const long double r = std::sqrt(static_cast<long double>(a) * a + static_cast<long double>(b) * b);
  const std::pair<double, double> by_hand =
      r == 0 ? std::pair{0.0, 0.0} : std::pair{static_cast<double>(a / r), static_cast<double>(b / r)};
  // At the origin itself the central difference is 0 by symmetry, like the convention.
  const auto fd = r == 0 ? std::optional<Tolerance>(Tolerance{}) : fd_near(a, b, static_cast<double>(r));
  check_binary([](auto p, auto q) { using std::hypot; return hypot(p, q); }, a, b, by_hand, fd);
}

BOOST_AUTO_TEST_CASE(values_and_derivatives_at_known_points) {
  const auto at = [](auto f, std::vector<double> x) { return slope::test::tape_gradient(f, x, {}); };
  const auto pow2 = [](auto x) { return pow(x[0], x[1]); };
  {
    const auto [value, grad] = at(pow2, {2.0, 10.0});
    BOOST_TEST(value == 1024.0);
    BOOST_TEST(close(grad[0], 5120.0, kExact));
    BOOST_TEST(close(grad[1], 1024.0 * std::numbers::ln2, kExact));
  }
  {
    const auto [value, grad] = at([](auto x) { return pow(x[0], 3); }, {-2.0});
    BOOST_TEST(value == -8.0);
    BOOST_TEST(close(grad[0], 12.0, kExact));
  }
  {
    const auto [value, grad] = at([](auto x) { return pow(x[0], 0.5); }, {4.0});
    BOOST_TEST(value == 2.0);
    BOOST_TEST(close(grad[0], 0.25, kExact));
  }
  {
    const auto [value, grad] = at([](auto x) { return pow(x[0], -1); }, {-4.0});
    BOOST_TEST(value == -0.25);
    BOOST_TEST(close(grad[0], -1.0 / 16.0, kExact));
  }
  {
    const auto [value, grad] = at([](auto x) { return square(x[0]); }, {3.0});
    BOOST_TEST(value == 9.0);
    BOOST_TEST(close(grad[0], 6.0, kExact));
  }
  {
    const auto [value, grad] = at([](auto x) { return hypot(x[0], x[1]); }, {3.0, -4.0});
    BOOST_TEST(value == 5.0);
    BOOST_TEST(close(grad[0], 0.6, kExact));
    BOOST_TEST(close(grad[1], -0.8, kExact));
  }
}

BOOST_AUTO_TEST_CASE(pow_at_a_zero_base_follows_the_documented_conventions) {
  // d/da 0^b = b 0^(b-1): 1 for b = 1, 0 for b = 2 or 3, inf for 0 < b < 1; d/db is 0 for b > 0
  // (0^b = 0 for every b > 0).
  const auto pow2 = [](auto x) { return pow(x[0], x[1]); };
  const std::vector<std::pair<double, double>> cases{{1.0, 1.0}, {2.0, 0.0}, {3.0, 0.0}, {0.5, kInf}};
  for (const auto& [b, d_da] : cases) {
    BOOST_TEST_CONTEXT("0^" << b) {
      const auto [value, grad] = ieee(pow2, {0.0, b});
      BOOST_TEST(value == 0.0);
      BOOST_TEST(close(grad[0], d_da, kExact), "d/da " << grad[0] << " vs " << d_da);
      BOOST_TEST(grad[1] == 0.0);
    }
  }
  // A constant zero base: z = 0 for every b > 0, so the derivative is 0, as the central difference says.
  for (const double b : {0.5, 1.0, 2.0, 3.5}) {
    check_unary([](auto v) { using std::pow; return pow(0.0, v); }, b, 0.0);
  }
  // b = 0: a^0 = 1 for every a, so d/da is 0 even at a = 0.
  check_unary([](auto v) { using std::pow; return pow(v, 0); }, 0.0, 0.0);
}

BOOST_AUTO_TEST_CASE(hypot_does_not_overflow_and_its_derivative_at_the_origin_is_zero) {
  const auto [value, grad] = ieee([](auto x) { return hypot(x[0], x[1]); }, {1e300, 1e300});
  BOOST_TEST(close(value, 1e300 * std::numbers::sqrt2, kExact));
  BOOST_TEST(close(grad[0], 1.0 / std::numbers::sqrt2, kExact));
  BOOST_TEST(close(grad[1], 1.0 / std::numbers::sqrt2, kExact));
  const auto [zero, grad0] = ieee([](auto x) { return hypot(x[0], x[1]); }, {0.0, 0.0});
  BOOST_TEST(zero == 0.0);
  BOOST_TEST(grad0[0] == 0.0);
  BOOST_TEST(grad0[1] == 0.0);
}

BOOST_AUTO_TEST_CASE(pow_of_negative_base_and_fractional_exponent_names_the_operation_in_checked_mode) {
  const std::string_view message =
      "pow: arguments -2 and 0.5 are outside its domain: a negative base needs an integer exponent";
  slope::test::check_domain_error([](const Var& z) { return pow(z - 2.0, 0.5); }, 0.0, "pow", message);
  slope::test::check_domain_error([](const Var& z) { return pow(-2.0, z + 0.5); }, 0.0, "pow", message);
  slope::test::check_domain_error([](const Var& z) { return pow(z - 2.0, z + 0.5); }, 0.0, "pow", message);
}

BOOST_AUTO_TEST_CASE(negative_base_with_integer_exponent_is_in_the_domain_of_a_checked_tape) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(-8.0);
  Var y;
  BOOST_REQUIRE_NO_THROW(y = pow(x, 2) + pow(x, -1.0) + pow(x, 3.0));
  tape.backward(y);
  BOOST_TEST(close(tape.adjoint(x), 2.0 * -8.0 - 1.0 / 64.0 + 3.0 * 64.0, kExact));
}

BOOST_AUTO_TEST_CASE(exponent_derivative_of_a_negative_base_throws_in_checked_mode_and_is_nan_by_default) {
  // (-8)^b has no derivative in b even at b = 2: the value is fine, the partial is NaN.
  Tape tape;
  {
    auto recording = tape.record({.checked = true});
    const Var b = tape.input(2.0);
    BOOST_CHECK_EXCEPTION(pow(-8.0, b), DomainError, [](const DomainError& e) {
      const std::string_view what = e.what();
      // A NaN is written "NaN", whatever its sign bit.
      return e.operation() == "pow" && what == "pow: derivative is NaN at arguments -8 and 2";
    });
  }
  const auto [value, grad] = ieee([](auto x) { return pow(-8.0, x[0]); }, {2.0});
  BOOST_TEST(value == 64.0);
  BOOST_TEST(std::isnan(grad[0]));
}

BOOST_AUTO_TEST_CASE(poles_throw_in_checked_mode_but_follow_ieee_by_default) {
  slope::test::check_domain_error([](const Var& z) { return pow(z, -1); }, 0.0, "pow", "pow: result is inf for arguments 0 and -1");
  slope::test::check_domain_error([](const Var& z) { return pow(z, 0.5); }, 0.0, "pow", "pow: derivative is inf at arguments 0 and 0.5");
  const auto [inv, d_inv] = ieee([](auto x) { return pow(x[0], -1); }, {0.0});
  BOOST_TEST(inv == kInf);
  BOOST_TEST(d_inv[0] == -kInf);
  const auto [root, d_root] = ieee([](auto x) { return pow(x[0], 0.5); }, {0.0});
  BOOST_TEST(root == 0.0);
  BOOST_TEST(d_root[0] == kInf);
  const auto [nan, d_nan] = ieee([](auto x) { return pow(x[0], 0.5); }, {-2.0});
  BOOST_TEST(std::isnan(nan));
  BOOST_TEST(std::isnan(d_nan[0]));
}

using Rules = std::tuple<slope::Pow, slope::Square, slope::Hypot>;

BOOST_AUTO_TEST_CASE_TEMPLATE(op_code_names_the_rule, Rule, Rules) {
  BOOST_TEST(slope::op_name(slope::op_code<Rule>) == Rule::name);
}

BOOST_AUTO_TEST_SUITE_END()
