// exp exp2 expm1 log log2 log10 log1p sqrt cbrt: derivatives, values, domain errors and poles (ops/exp_log.hpp).
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

// Signs, zero, tiny and large magnitudes, up to where e^x still has room for the step.
const std::vector<double> kExpPoints{-700.0, -100.0, -20.0, -1.0, -1e-8, 0.0,  1e-8,
                                     0.5,    1.0,    3.0,   20.0, 100.0, 300.0, 700.0};
const std::vector<double> kExp2Points{-1000.0, -100.0, -1.0, -1e-8, 0.0, 1e-8, 0.5, 3.0, 100.0, 1000.0};
const std::vector<double> kExpm1Points{-700.0, -20.0, -1.0, -1e-8, -1e-300, 0.0,  1e-300,
                                       1e-8,   0.5,   1.0,  20.0,  300.0,   700.0};
// Positive arguments from next to the pole at 0 to the top of the double range.
const std::vector<double> kPositive{1e-300, 1e-8, 1e-3, 0.01, 0.5, 1.0, 2.0, 10.0, 1e6, 1e300};
// log1p from just above its pole at -1 (1 + x is exact for these) upwards.
const std::vector<double> kLog1pPoints{-1.0 + 0x1p-30, -0.999, -0.5, -1e-8, 0.0, 1e-8, 0.5, 1.0, 1e3, 1e300};
// cbrt on both sides of its vertical tangent at 0.
const std::vector<double> kCbrtPoints{-1e300, -27.0, -1.0, -1e-3, -1e-10, 1e-10, 1e-3, 1.0, 8.0, 1e300};

// A central difference is only as good as its step h = central_step(x). At distance d from a
// singularity of f' (1/x- or 1/sqrt(x)-like here) its truncation error stays below (h/d)^2
// relative; past h/d = 0.1 it says nothing, and only the hand-derived check runs.
std::optional<Tolerance> fd_near(double x, double d) {
  const double r = slope::test::central_step(x) / d;
  if (r > 0.1) return std::nullopt;
  return Tolerance{std::max(1e-6, 2.0 * r * r), 1e-8};
}

// For e^(kx) the central difference is exact up to sinh(kh)/(kh) - 1 ~ (kh)^2/6 relative,
// which grows with |x| because h does (3e-6 at x = 700).
Tolerance fd_exponential(double x, double k) {
  const double kh = k * slope::test::central_step(x);
  return {std::max(1e-6, kh * kh / 5.0), 1e-8};
}

// Values and derivatives worked out by hand at points where they have a closed form.
const Known kKnown[] = {
    {"exp", slope::exp, slope::op_code<slope::Exp>, 0.0, 1.0, 1.0},
    {"exp", slope::exp, slope::op_code<slope::Exp>, 1.0, std::numbers::e, std::numbers::e},
    {"exp2", slope::exp2, slope::op_code<slope::Exp2>, 3.0, 8.0, 8.0 * std::log(2.0)},
    {"exp2", slope::exp2, slope::op_code<slope::Exp2>, -1.0, 0.5, 0.5 * std::log(2.0)},
    {"expm1", slope::expm1, slope::op_code<slope::Expm1>, 0.0, 0.0, 1.0},
    {"expm1", slope::expm1, slope::op_code<slope::Expm1>, std::log(2.0), 1.0, 2.0},
    {"log", slope::log, slope::op_code<slope::Log>, 1.0, 0.0, 1.0},
    {"log", slope::log, slope::op_code<slope::Log>, std::numbers::e, 1.0, 1.0 / std::numbers::e},
    {"log2", slope::log2, slope::op_code<slope::Log2>, 8.0, 3.0, 1.0 / (8.0 * std::log(2.0))},
    {"log10", slope::log10, slope::op_code<slope::Log10>, 1000.0, 3.0, 1.0 / (1000.0 * std::log(10.0))},
    {"log1p", slope::log1p, slope::op_code<slope::Log1p>, 0.0, 0.0, 1.0},
    {"log1p", slope::log1p, slope::op_code<slope::Log1p>, 1.0, std::log(2.0), 0.5},
    {"sqrt", slope::sqrt, slope::op_code<slope::Sqrt>, 4.0, 2.0, 0.25},
    {"sqrt", slope::sqrt, slope::op_code<slope::Sqrt>, 0.25, 0.5, 1.0},
    {"cbrt", slope::cbrt, slope::op_code<slope::Cbrt>, 8.0, 2.0, 1.0 / 12.0},
    {"cbrt", slope::cbrt, slope::op_code<slope::Cbrt>, -27.0, -3.0, 1.0 / 27.0},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(exp_log)

BOOST_DATA_TEST_CASE(exp_derivative_is_exp, bdata::make(kExpPoints), x) {
  check_unary([](auto v) { using std::exp; return exp(v); }, x, std::exp(x), fd_exponential(x, 1.0));
}

BOOST_DATA_TEST_CASE(exp2_derivative_is_exp2_times_ln2, bdata::make(kExp2Points), x) {
  check_unary([](auto v) { using std::exp2; return exp2(v); }, x, std::pow(2.0, x) * std::log(2.0),
              fd_exponential(x, std::log(2.0)));
}

BOOST_DATA_TEST_CASE(expm1_derivative_is_exp, bdata::make(kExpm1Points), x) {
  check_unary([](auto v) { using std::expm1; return expm1(v); }, x, std::exp(x), fd_exponential(x, 1.0));
}

BOOST_DATA_TEST_CASE(log_derivative_is_reciprocal, bdata::make(kPositive), x) {
  check_unary([](auto v) { using std::log; return log(v); }, x, 1.0 / x, fd_near(x, x));
}

BOOST_DATA_TEST_CASE(log2_and_log10_derivatives_divide_by_the_base_log, bdata::make(kPositive), x) {
  check_unary([](auto v) { using std::log2; return log2(v); }, x, 1.0 / (x * std::log(2.0)), fd_near(x, x));
  check_unary([](auto v) { using std::log10; return log10(v); }, x, 1.0 / (x * std::log(10.0)), fd_near(x, x));
}

BOOST_DATA_TEST_CASE(log1p_derivative_is_reciprocal_of_one_plus_x, bdata::make(kLog1pPoints), x) {
  check_unary([](auto v) { using std::log1p; return log1p(v); }, x, 1.0 / (1.0 + x), fd_near(x, 1.0 + x));
}

BOOST_DATA_TEST_CASE(sqrt_derivative_is_half_reciprocal_root, bdata::make(kPositive), x) {
  check_unary([](auto v) { using std::sqrt; return sqrt(v); }, x, 1.0 / (2.0 * std::sqrt(x)), fd_near(x, x));
}

BOOST_DATA_TEST_CASE(cbrt_derivative_is_a_third_of_x_to_minus_two_thirds, bdata::make(kCbrtPoints), x) {
  check_unary([](auto v) { using std::cbrt; return cbrt(v); }, x, 1.0 / (3.0 * std::pow(std::fabs(x), 2.0 / 3.0)),
              fd_near(x, std::fabs(x)));
}

BOOST_AUTO_TEST_CASE(values_derivatives_and_op_codes_at_known_points) {
  for (const Known& k : kKnown) slope::test::check_known(k);
}

BOOST_AUTO_TEST_CASE(expm1_and_log1p_keep_precision_near_zero) {
  // e^x - 1 and ln(1 + x) in plain double would round 1e-20 away; the Var forms must not.
  check_ieee(slope::expm1, 1e-20, 1e-20, 1.0);
  check_ieee(slope::log1p, 1e-20, 1e-20, 1.0);
}

BOOST_AUTO_TEST_CASE(logarithms_of_negatives_name_the_operation_in_checked_mode) {
  check_domain_error(slope::log, -1.0, "log", "log: argument is -1, must be >= 0");
  check_domain_error(slope::log2, -0.5, "log2", "log2: argument is -0.5, must be >= 0");
  check_domain_error(slope::log10, -1e-300, "log10", "log10: argument is -1e-300, must be >= 0");
  check_domain_error(slope::log1p, -2.0, "log1p", "log1p: argument is -2, must be >= -1");
  check_domain_error(slope::log, kNaN, "log", "log: argument is NaN, must be >= 0");
}

BOOST_AUTO_TEST_CASE(sqrt_of_negative_names_the_operation_in_checked_mode) {
  check_domain_error(slope::sqrt, -4.0, "sqrt", "sqrt: argument is -4, must be >= 0");
}

BOOST_AUTO_TEST_CASE(checked_mode_checks_constant_arguments_too) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  BOOST_CHECK_EXCEPTION(log(Var(-3.0)), DomainError, [](const DomainError& e) {
    return e.operation() == "log" && std::string_view(e.what()) == "log: argument is -3, must be >= 0";
  });
}

BOOST_AUTO_TEST_CASE(poles_and_overflow_throw_in_checked_mode) {
  check_domain_error(slope::log, 0.0, "log", "log: result is -inf for argument 0");
  check_domain_error(slope::log2, 0.0, "log2", "log2: result is -inf for argument 0");
  check_domain_error(slope::log10, 0.0, "log10", "log10: result is -inf for argument 0");
  check_domain_error(slope::log1p, -1.0, "log1p", "log1p: result is -inf for argument -1");
  check_domain_error(slope::sqrt, 0.0, "sqrt", "sqrt: derivative is inf at argument 0");
  check_domain_error(slope::cbrt, 0.0, "cbrt", "cbrt: derivative is inf at argument 0");
  check_domain_error(slope::exp, 710.0, "exp", "exp: result is inf for argument 710");
  check_domain_error(slope::exp2, 1024.0, "exp2", "exp2: result is inf for argument 1024");
  check_domain_error(slope::expm1, 710.0, "expm1", "expm1: result is inf for argument 710");
}

BOOST_AUTO_TEST_CASE(poles_follow_ieee_without_throwing_in_default_mode) {
  check_ieee(slope::log, 0.0, -kInf, kInf);
  check_ieee(slope::log2, 0.0, -kInf, kInf);
  check_ieee(slope::log10, 0.0, -kInf, kInf);
  check_ieee(slope::log1p, -1.0, -kInf, kInf);
  check_ieee(slope::sqrt, 0.0, 0.0, kInf);
  check_ieee(slope::cbrt, 0.0, 0.0, kInf);
  check_ieee(slope::exp, 710.0, kInf, kInf);
}

BOOST_AUTO_TEST_CASE(out_of_domain_gives_nan_without_throwing_in_default_mode) {
  check_ieee(slope::log, -1.0, kNaN, std::nullopt);
  check_ieee(slope::log1p, -2.0, kNaN, std::nullopt);
  check_ieee(slope::sqrt, -4.0, kNaN, kNaN);
}

using Rules = std::tuple<slope::Exp, slope::Exp2, slope::Expm1, slope::Log, slope::Log2, slope::Log10, slope::Log1p,
                         slope::Sqrt, slope::Cbrt>;

BOOST_AUTO_TEST_CASE_TEMPLATE(op_code_names_the_rule, Rule, Rules) {
  BOOST_TEST(slope::op_name(slope::op_code<Rule>) == Rule::name);
}

BOOST_AUTO_TEST_SUITE_END()
