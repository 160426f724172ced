// Circular and hyperbolic functions and inverses: derivatives up to the domain edges, domain errors (ops/trig.hpp).
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
using slope::OpCode;
using slope::Tape;
using slope::Var;
using slope::test::check_binary;
using slope::test::check_domain_error;
using slope::test::check_ieee;
using slope::test::check_unary;
using slope::test::Known;
using slope::test::Unary;
using slope::test::close;
using slope::test::kExact;
using slope::test::Tolerance;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = std::numbers::pi;

const std::vector<double> kAngles{-100.0, -kPi, -1.0, -1e-8, 0.0, 1e-8, 0.5, kPi / 2, 3.0, 100.0};
// Far out a central step (6e-6 |x|) spans a good part of a period: hand-derived check only.
const std::vector<double> kHugeAngles{-1e10, 1e6, 1e15};
const std::vector<double> kTanPoints{-1.5, -1.0, -1e-8, 0.0, 0.5, 1.0, 1.5, 1.57, 3.0, 100.0};
// [-1, 1] up to its ends. The dyadic points near +-1 have exact squares, so 1 - x^2 below is
// exact there too.
const std::vector<double> kUnitInterval{-1.0 + 0x1p-26, -1.0 + 0x1p-20, -1.0 + 0x1p-10, -0.99, -0.75, -0.5, -1e-8, 0.0,
                                        1e-8, 0.3, 0.5, 0.9, 0.99, 1.0 - 0x1p-10, 1.0 - 0x1p-20, 1.0 - 0x1p-26};
const std::vector<double> kReals{-1e300, -1e8, -10.0, -3.0, -1.0, -1e-8, 0.0, 1e-8, 0.5, 1.0, 2.0, 10.0, 1e8, 1e300};
const std::vector<double> kHyperbolic{-700.0, -300.0, -20.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 20.0, 300.0, 700.0};
const std::vector<double> kTanhPoints{-400.0, -20.0, -5.0, -1.0, -1e-8, 0.0, 1e-8, 0.5, 5.0, 20.0, 400.0};
const std::vector<double> kAcoshPoints{1.0 + 0x1p-26, 1.0 + 0x1p-20, 1.0 + 0x1p-10, 1.5, 2.0, 10.0, 1e8, 1e300};
const std::vector<double> kPlane{-2.0, -1e-3, 0.0, 0.5, 3.0};

// At distance d from a singularity of f' the central difference's truncation error stays below
// (h/d)^2 relative; past h/d = 0.1 it says nothing, and only the hand-derived check runs.
std::optional<Tolerance> fd_near(double x, double d) {
  const double r = slope::test::central_step(x) / d;
  if (r > 0.1) return std::nullopt;
  return Tolerance{std::max(1e-6, 2.0 * r * r), 1e-8};
}

// For e^|x| growth the central difference is off by about h^2/6 relative (3e-6 at x = 700).
Tolerance fd_exponential(double x) {
  const double h = slope::test::central_step(x);
  return {std::max(1e-6, h * h / 5.0), 1e-8};
}

const double kSqrt3 = std::numbers::sqrt3;

// Values and derivatives worked out by hand at points where they have a closed form.
const Known kKnown[] = {
    {"sin", slope::sin, slope::op_code<slope::Sin>, 0.0, 0.0, 1.0},
    {"cos", slope::cos, slope::op_code<slope::Cos>, kPi / 2, 0.0, -1.0},
    {"tan", slope::tan, slope::op_code<slope::Tan>, kPi / 4, 1.0, 2.0},
    {"asin", slope::asin, slope::op_code<slope::Asin>, 0.5, kPi / 6, 2.0 / kSqrt3},
    {"acos", slope::acos, slope::op_code<slope::Acos>, 0.5, kPi / 3, -2.0 / kSqrt3},
    {"atan", slope::atan, slope::op_code<slope::Atan>, 1.0, kPi / 4, 0.5},
    {"sinh", slope::sinh, slope::op_code<slope::Sinh>, 0.0, 0.0, 1.0},
    {"cosh", slope::cosh, slope::op_code<slope::Cosh>, std::numbers::ln2, 1.25, 0.75},
    {"tanh", slope::tanh, slope::op_code<slope::Tanh>, 0.0, 0.0, 1.0},
    {"tanh", slope::tanh, slope::op_code<slope::Tanh>, std::numbers::ln2, 0.6, 0.64},
    {"asinh", slope::asinh, slope::op_code<slope::Asinh>, 0.75, std::numbers::ln2, 0.8},
    {"acosh", slope::acosh, slope::op_code<slope::Acosh>, 2.0, std::log(2.0 + kSqrt3), 1.0 / kSqrt3},
    {"atanh", slope::atanh, slope::op_code<slope::Atanh>, 0.5, 0.5 * std::log(3.0), 4.0 / 3.0},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(trig)

BOOST_DATA_TEST_CASE(sin_and_cos_derivatives, bdata::make(kAngles), x) {
  check_unary([](auto v) { using std::sin; return sin(v); }, x, std::cos(x));
  check_unary([](auto v) { using std::cos; return cos(v); }, x, -std::sin(x));
}

BOOST_DATA_TEST_CASE(sin_and_cos_derivatives_at_huge_angles, bdata::make(kHugeAngles), x) {
  check_unary([](auto v) { using std::sin; return sin(v); }, x, std::cos(x), std::nullopt);
  check_unary([](auto v) { using std::cos; return cos(v); }, x, -std::sin(x), std::nullopt);
}

BOOST_DATA_TEST_CASE(tan_derivative_is_secant_squared, bdata::make(kTanPoints), x) {
  const double to_pole = std::fabs(std::remainder(x - kPi / 2, kPi));
  const double c = std::cos(x);
  check_unary([](auto v) { using std::tan; return tan(v); }, x, 1.0 / (c * c), fd_near(x, to_pole));
}

BOOST_DATA_TEST_CASE(asin_and_acos_derivatives_up_to_the_ends, bdata::make(kUnitInterval), x) {
  const double by_hand = 1.0 / std::sqrt(1.0 - x * x);
  const auto fd = fd_near(x, 1.0 - std::fabs(x));
  check_unary([](auto v) { using std::asin; return asin(v); }, x, by_hand, fd);
  check_unary([](auto v) { using std::acos; return acos(v); }, x, -by_hand, fd);
}

BOOST_DATA_TEST_CASE(atan_derivative, bdata::make(kReals), x) {
  check_unary([](auto v) { using std::atan; return atan(v); }, x, 1.0 / (1.0 + x * x));
}

BOOST_DATA_TEST_CASE(atan2_partials, bdata::make(kPlane) * bdata::make(kPlane), a, b) {
  // d/da atan2(a, b) = b/(a^2 + b^2), d/db = -a/(a^2 + b^2); 0 at the origin by convention.
  const double r2 = a * a + b * b;
  const std::pair<double, double> by_hand = r2 == 0.0 ? std::pair{0.0, 0.0} : std::pair{b / r2, -a / r2};
  // The angle jumps by 2 pi across the negative b axis and is undefined at the origin, so a
  // central difference in a straddles the jump there.
  const bool on_cut = a == 0.0 && b <= 0.0;
  const auto fd = on_cut ? std::nullopt : fd_near(std::max(std::fabs(a), std::fabs(b)), std::sqrt(r2));
  check_binary([](auto p, auto q) { using std::atan2; return atan2(p, q); }, a, b, by_hand, fd);
}

BOOST_DATA_TEST_CASE(sinh_and_cosh_derivatives, bdata::make(kHyperbolic), x) {
  check_unary([](auto v) { using std::sinh; return sinh(v); }, x, std::cosh(x), fd_exponential(x));
  check_unary([](auto v) { using std::cosh; return cosh(v); }, x, std::sinh(x), fd_exponential(x));
}

BOOST_DATA_TEST_CASE(tanh_derivative_is_sech_squared, bdata::make(kTanhPoints), x) {
  const double c = std::cosh(x);
  check_unary([](auto v) { using std::tanh; return tanh(v); }, x, 1.0 / (c * c));
}

BOOST_DATA_TEST_CASE(asinh_derivative, bdata::make(kReals), x) {
  // long double keeps x^2 + 1 finite at 1e300.
  const long double xl = x;
  check_unary([](auto v) { using std::asinh; return asinh(v); }, x, static_cast<double>(1.0L / std::sqrt(xl * xl + 1.0L)));
}

BOOST_DATA_TEST_CASE(acosh_derivative_down_to_one, bdata::make(kAcoshPoints), x) {
  const long double xl = x;
  check_unary([](auto v) { using std::acosh; return acosh(v); }, x, static_cast<double>(1.0L / std::sqrt(xl * xl - 1.0L)),
              fd_near(x, x - 1.0));
}

BOOST_DATA_TEST_CASE(atanh_derivative_up_to_the_ends, bdata::make(kUnitInterval), x) {
  check_unary([](auto v) { using std::atanh; return atanh(v); }, x, 1.0 / (1.0 - x * x), fd_near(x, 1.0 - std::fabs(x)));
}

BOOST_AUTO_TEST_CASE(values_derivatives_and_op_codes_at_known_points) {
  for (const Known& k : kKnown) slope::test::check_known(k);
  // atan2 at (1, 1): the angle pi/4 with partials 1/2 and -1/2; at the origin both are 0.
  const auto angle = [](auto x) { return atan2(x[0], x[1]); };
  const auto [value, grad] = slope::test::tape_gradient(angle, std::vector{1.0, 1.0}, {});
  BOOST_TEST(close(value, kPi / 4, kExact));
  BOOST_TEST(close(grad[0], 0.5, kExact));
  BOOST_TEST(close(grad[1], -0.5, kExact));
  const auto [origin, grad0] = slope::test::tape_gradient(angle, std::vector{0.0, 0.0}, {});
  BOOST_TEST(origin == 0.0);
  BOOST_TEST(grad0[0] == 0.0);
  BOOST_TEST(grad0[1] == 0.0);
}

BOOST_AUTO_TEST_CASE(arguments_outside_the_domain_name_the_operation_in_checked_mode) {
  check_domain_error(slope::asin, 1.5, "asin", "asin: argument is 1.5, must be in [-1, 1]");
  check_domain_error(slope::acos, -2.0, "acos", "acos: argument is -2, must be in [-1, 1]");
  check_domain_error(slope::acosh, 0.5, "acosh", "acosh: argument is 0.5, must be >= 1");
  check_domain_error(slope::atanh, 2.0, "atanh", "atanh: argument is 2, must be in [-1, 1]");
  check_domain_error(slope::atanh, -1.25, "atanh", "atanh: argument is -1.25, must be in [-1, 1]");
}

BOOST_AUTO_TEST_CASE(ends_of_the_domain_throw_in_checked_mode) {
  check_domain_error(slope::asin, 1.0, "asin", "asin: derivative is inf at argument 1");
  check_domain_error(slope::asin, -1.0, "asin", "asin: derivative is inf at argument -1");
  check_domain_error(slope::acos, 1.0, "acos", "acos: derivative is -inf at argument 1");
  check_domain_error(slope::acosh, 1.0, "acosh", "acosh: derivative is inf at argument 1");
  check_domain_error(slope::atanh, 1.0, "atanh", "atanh: result is inf for argument 1");
  check_domain_error(slope::atanh, -1.0, "atanh", "atanh: result is -inf for argument -1");
  check_domain_error(slope::sinh, 711.0, "sinh", "sinh: result is inf for argument 711");
}

BOOST_AUTO_TEST_CASE(ends_of_the_domain_follow_ieee_without_throwing_in_default_mode) {
  check_ieee(slope::asin, 1.0, kPi / 2, kInf);
  check_ieee(slope::acos, 1.0, 0.0, -kInf);
  check_ieee(slope::acosh, 1.0, 0.0, kInf);
  check_ieee(slope::atanh, 1.0, kInf, kInf);
  check_ieee(slope::atanh, -1.0, -kInf, kInf);
  check_ieee(slope::asin, 1.5, kNaN, kNaN);
  check_ieee(slope::acosh, 0.5, kNaN, kNaN);
}

using Rules = std::tuple<slope::Sin, slope::Cos, slope::Tan, slope::Asin, slope::Acos, slope::Atan, slope::Atan2,
                         slope::Sinh, slope::Cosh, slope::Tanh, slope::Asinh, slope::Acosh, slope::Atanh>;

BOOST_AUTO_TEST_CASE_TEMPLATE(op_code_names_the_rule, Rule, Rules) {
  BOOST_TEST(slope::op_name(slope::op_code<Rule>) == Rule::name);
}

BOOST_AUTO_TEST_SUITE_END()
