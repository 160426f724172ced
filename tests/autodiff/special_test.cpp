// erf erfc lgamma tgamma and digamma: derivatives, known values of psi, poles and domain errors (ops/special.hpp).
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

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
constexpr double kGamma = std::numbers::egamma;

const std::vector<double> kErfPoints{-30.0, -6.0, -2.0, -0.5, -1e-8, 0.0, 1e-8, 0.5, 1.0, 2.0, 6.0, 30.0};
// Positive arguments from next to the pole at 0 (1.46163... is where Gamma has its minimum and
// psi its root) and negative non-integers between the poles.
const std::vector<double> kLgammaPoints{1e-8, 1e-3, 0.5, 1.0, 1.4616321449683622, 2.0, 3.5, 10.0, 100.0, 1e6, 1e300,
                                        -0.5, -1.5, -2.5, -3.7, -10.3, -100.25};
const std::vector<double> kTgammaPoints{1e-8, 1e-3, 0.5, 1.0, 1.4616321449683622, 2.0, 3.5, 10.0, 50.0,
                                        -0.5, -1.5, -2.5, -3.7, -10.3};

// The independent oracle for psi: Boost.Math's digamma, not the rule's own.
double psi(double x) { return boost::math::digamma(x); }

// Distance from x to the nearest pole 0, -1, -2, ... of lgamma, tgamma and psi.
double to_pole(double x) { return x > 0.0 ? x : std::fabs(x - std::round(x)); }

// A central difference with step h: within (h/d)^2 relative at distance d from a pole of f'
// (nothing past h/d = 0.1), and within (h psi)^2/6 where Gamma grows like e^(psi x).
std::optional<Tolerance> fd_tolerance(double x, double growth) {
  const double h = slope::test::central_step(x);
  const double r = h / to_pole(x);
  if (r > 0.1) return std::nullopt;
  return Tolerance{std::max({1e-6, 2.0 * r * r, (h * growth) * (h * growth) / 4.0}), 1e-8};
}

const double kTwoOverSqrtPi = 2.0 / std::sqrt(std::numbers::pi);
const double kPsiHalf = -kGamma - 2.0 * std::numbers::ln2;

// Values and derivatives worked out by hand: psi(1) = -gamma, psi(n+1) = psi(n) + 1/n,
// psi(1/2) = -gamma - 2 ln 2, Gamma(1/2) = sqrt(pi).
const Known kKnown[] = {
    {"erf", slope::erf, slope::op_code<slope::Erf>, 0.0, 0.0, kTwoOverSqrtPi},
    {"erf", slope::erf, slope::op_code<slope::Erf>, 1.0, std::erf(1.0), kTwoOverSqrtPi / std::numbers::e},
    {"erfc", slope::erfc, slope::op_code<slope::Erfc>, 0.0, 1.0, -kTwoOverSqrtPi},
    {"lgamma", slope::lgamma, slope::op_code<slope::Lgamma>, 1.0, 0.0, -kGamma},
    {"lgamma", slope::lgamma, slope::op_code<slope::Lgamma>, 2.0, 0.0, 1.0 - kGamma},
    {"lgamma", slope::lgamma, slope::op_code<slope::Lgamma>, 0.5, 0.5 * std::log(std::numbers::pi), kPsiHalf},
    {"tgamma", slope::tgamma, slope::op_code<slope::Tgamma>, 1.0, 1.0, -kGamma},
    {"tgamma", slope::tgamma, slope::op_code<slope::Tgamma>, 5.0, 24.0, 24.0 * (25.0 / 12.0 - kGamma)},
    {"tgamma", slope::tgamma, slope::op_code<slope::Tgamma>, 0.5, std::sqrt(std::numbers::pi), std::sqrt(std::numbers::pi) * kPsiHalf},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(special)

BOOST_DATA_TEST_CASE(erf_and_erfc_derivatives_are_the_gaussian, bdata::make(kErfPoints), x) {
  const double gauss = 2.0 / std::sqrt(std::numbers::pi) * std::exp(-x * x);
  check_unary([](auto v) { using std::erf; return erf(v); }, x, gauss);
  check_unary([](auto v) { using std::erfc; return erfc(v); }, x, -gauss);
}

BOOST_DATA_TEST_CASE(lgamma_derivative_is_digamma, bdata::make(kLgammaPoints), x) {
  check_unary([](auto v) { using std::lgamma; return lgamma(v); }, x, psi(x), fd_tolerance(x, 0.0));
}

BOOST_DATA_TEST_CASE(tgamma_derivative_is_tgamma_times_digamma, bdata::make(kTgammaPoints), x) {
  check_unary([](auto v) { using std::tgamma; return tgamma(v); }, x, std::tgamma(x) * psi(x), fd_tolerance(x, psi(x)));
}

BOOST_AUTO_TEST_CASE(tgamma_derivative_near_overflow) {
  // Gamma(170) = 4e304; the central difference there is off by about (h psi)^2/6 = 5e-6.
  const double x = 170.0;
  check_unary([](auto v) { using std::tgamma; return tgamma(v); }, x, std::tgamma(x) * psi(x), fd_tolerance(x, psi(x)));
}

BOOST_AUTO_TEST_CASE(values_derivatives_and_op_codes_at_known_points) {
  for (const Known& k : kKnown) slope::test::check_known(k);
}

BOOST_AUTO_TEST_CASE(digamma_matches_known_values_to_the_documented_accuracy) {
  // ops/special.hpp promises about 1e-15 relative; allow ten times that, so that only a real
  // defect fails. Reference values are correctly rounded (mpmath, 40 digits) at the double
  // nearest each x.
  const Tolerance documented{1e-14, 0.0};
  const std::pair<double, double> known[] = {
      {1.0, -0.5772156649015329},        {0.5, -1.9635100260214235},       {2.0, 0.42278433509846713},
      {3.0, 0.9227843350984671},         {1.0 / 3.0, -3.1320337800208065}, {0.25, -4.2274535333762655},
      {5.5, 1.6110931485817512},         {10.0, 2.251752589066721},        {100.0, 4.600161852738087},
      {1e6, 13.815510057964191},         {1e15, 34.538776394910684},       {1e300, 690.7755278982137},
      {-0.5, 0.03648997397857652},       {-1.5, 0.7031566406452432},       {-2.5, 1.103156640645243},
      {-3.7, -0.8450768588704194},       {-10.3, 4.662403493582087},       {-999999.5, 13.815510557964316},
  };
  for (const auto& [x, expected] : known) {
    const double got = slope::digamma(x);
    BOOST_TEST(close(got, expected, documented), fmt::format("psi({}) = {}, expected {} (relative error {:.2g})", x, got,
                                                             expected, (got - expected) / expected));
  }
}

BOOST_AUTO_TEST_CASE(digamma_satisfies_recurrence_and_reflection) {
  for (const double x : {0.3, 1.7, 4.2, 9.5, 25.0, 1e8, -0.3, -2.6, -7.9}) {
    // psi(x + 1) = psi(x) + 1/x
    BOOST_TEST(close(slope::digamma(x + 1.0), slope::digamma(x) + 1.0 / x, Tolerance{1e-14, 1e-14}), "x = " << x);
  }
  for (const double x : {0.3, 0.75, 1.7, 4.2, -0.3, -2.6, -7.9}) {
    // psi(1 - x) - psi(x) = pi cot(pi x)
    BOOST_TEST(close(slope::digamma(1.0 - x) - slope::digamma(x), std::numbers::pi / std::tan(std::numbers::pi * x),
                     Tolerance{1e-13, 1e-14}),
               "x = " << x);
  }
}

BOOST_AUTO_TEST_CASE(digamma_is_nan_at_the_poles) {
  for (const double x : {0.0, -0.0, -1.0, -2.0, -17.0, -1e6, -1e300, -kInf, kNaN}) {
    BOOST_TEST(std::isnan(slope::digamma(x)), "psi(" << x << ") = " << slope::digamma(x));
  }
  BOOST_TEST(slope::digamma(kInf) == kInf);
}

BOOST_AUTO_TEST_CASE(tgamma_at_negative_integers_names_the_operation_in_checked_mode) {
  check_domain_error(slope::tgamma, -1.0, "tgamma", "tgamma: argument is -1, must not be a negative integer");
  check_domain_error(slope::tgamma, -3.0, "tgamma", "tgamma: argument is -3, must not be a negative integer");
}

BOOST_AUTO_TEST_CASE(poles_and_overflow_throw_in_checked_mode) {
  check_domain_error(slope::tgamma, 0.0, "tgamma", "tgamma: result is inf for argument 0");
  check_domain_error(slope::tgamma, 172.0, "tgamma", "tgamma: result is inf for argument 172");
  check_domain_error(slope::lgamma, 0.0, "lgamma", "lgamma: result is inf for argument 0");
  check_domain_error(slope::lgamma, -2.0, "lgamma", "lgamma: result is inf for argument -2");
}

BOOST_AUTO_TEST_CASE(poles_follow_ieee_without_throwing_in_default_mode) {
  // The value is Gamma's; the derivative Gamma * psi or psi is NaN at a pole.
  check_ieee(slope::tgamma, 0.0, kInf, kNaN);
  check_ieee(slope::tgamma, -1.0, kNaN, kNaN);
  check_ieee(slope::lgamma, 0.0, kInf, kNaN);
  check_ieee(slope::lgamma, -2.0, kInf, kNaN);
}

BOOST_AUTO_TEST_CASE(erf_and_erfc_saturate_without_error_in_checked_mode) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(30.0);
  Var y;
  BOOST_REQUIRE_NO_THROW(y = erf(x) + erfc(-x));
  BOOST_TEST(y.value() == 3.0);
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == 0.0);
}

// erfinv against Boost.Math's erf_inv (an independent implementation), and its derivative
// against the inverse-function rule d erfinv(y)/dy = 1 / erf'(x) at x = erfinv(y).
BOOST_DATA_TEST_CASE(erfinv_matches_boost_and_its_derivative_inverts_erf,
                     bdata::make({-0.999999999, -0.99, -0.7, -0.3, -1e-10, 0.0, 1e-300, 0.1, 0.5, 0.9, 0.9999, 1.0 - 1e-15}),
                     y) {
  const double x = boost::math::erf_inv(y);
  BOOST_TEST(close(slope::erfinv(y), x, Tolerance{4e-16, 0.0}), "erfinv(" << y << ") = " << slope::erfinv(y) << " vs " << x);
  const double by_hand = 1.0 / (2.0 * std::numbers::inv_sqrtpi * std::exp(-x * x));
  const double h = slope::test::central_step(y);
  // A central difference is within about (h/d)^2 relative at distance d from the poles at +-1
  // (the same bound as fd_tolerance's); nothing past h/d = 0.1.
  const double r = h / (1.0 - std::fabs(y));
  check_unary([](auto v) { return slope::erfinv(v); }, y, by_hand,
              r > 0.1 ? std::nullopt : std::optional<Tolerance>(Tolerance{std::max(1e-6, 2.0 * r * r), 1e-8}));
}

BOOST_AUTO_TEST_CASE(erfinv_edges_follow_ieee_and_checked_mode_names_it) {
  BOOST_TEST(slope::erfinv(1.0) == kInf);
  BOOST_TEST(slope::erfinv(-1.0) == -kInf);
  BOOST_TEST(std::isnan(slope::erfinv(1.5)));
  BOOST_TEST(std::isnan(slope::erfinv(kNaN)));
  BOOST_TEST(std::signbit(slope::erfinv(-0.0)));
  check_domain_error(slope::erfinv, 1.5, "erfinv", "erfinv: argument is 1.5, must be in [-1, 1]");
  check_domain_error(slope::erfinv, 1.0, "erfinv", "erfinv: result is inf for argument 1");
}

using Rules = std::tuple<slope::Erf, slope::Erfc, slope::Erfinv, slope::Lgamma, slope::Tgamma>;

BOOST_AUTO_TEST_CASE_TEMPLATE(op_code_names_the_rule, Rule, Rules) {
  BOOST_TEST(slope::op_name(slope::op_code<Rule>) == Rule::name);
}

BOOST_AUTO_TEST_SUITE_END()
