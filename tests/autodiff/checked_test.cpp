// Checked mode and non-finite values: DomainError names the operation and its arguments;
// the default mode follows IEEE and never throws; a sweep can say which operation first
// produced a non-finite adjoint.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <cmath>
#include <limits>

using slope::DomainError;
using slope::Tape;
using slope::Var;

BOOST_AUTO_TEST_SUITE(checked)

BOOST_AUTO_TEST_CASE(checked_log_of_negative_names_the_operation) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(-1.0);
  BOOST_CHECK_EXCEPTION(log(x), DomainError, [](const DomainError& e) {
    return e.operation() == "log" && e.arguments() == std::vector<double>{-1.0} &&
           std::string(e.what()) == "log: argument is -1, must be >= 0";
  });
}

BOOST_AUTO_TEST_CASE(checked_pow_of_negative_base_and_fractional_exponent) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(-2.0);
  BOOST_CHECK_EXCEPTION(pow(x, 0.5), DomainError, [](const DomainError& e) {
    return e.operation() == "pow" &&
           std::string(e.what()) == "pow: arguments -2 and 0.5 are outside its domain: a negative base needs an integer exponent";
  });
  // An integer exponent is fine: (-2)^3 = -8.
  BOOST_TEST(pow(x, 3).value() == -8.0);
}

BOOST_AUTO_TEST_CASE(checked_mode_reports_infinite_results_and_derivatives) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var zero = tape.input(0.0);
  const Var big = tape.input(1000.0);
  BOOST_CHECK_EXCEPTION(log(zero), DomainError, [](const DomainError& e) {
    return std::string(e.what()) == "log: result is -inf for argument 0";
  });
  BOOST_CHECK_EXCEPTION(sqrt(zero), DomainError, [](const DomainError& e) {
    return std::string(e.what()) == "sqrt: derivative is inf at argument 0";
  });
  BOOST_CHECK_EXCEPTION(exp(big), DomainError, [](const DomainError& e) {
    return std::string(e.what()) == "exp: result is inf for argument 1000";
  });
  BOOST_CHECK_EXCEPTION(Var(big / zero), DomainError, [](const DomainError& e) { return e.operation() == "div"; });
}

BOOST_AUTO_TEST_CASE(checked_mode_also_checks_constant_operations) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  BOOST_CHECK_THROW(sqrt(Var(-4.0)), DomainError);
}

BOOST_AUTO_TEST_CASE(the_tape_stays_usable_after_a_domain_error) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var x = tape.input(-1.0);
  const std::size_t before = tape.size();
  BOOST_CHECK_THROW(log(x), DomainError);
  BOOST_TEST(tape.size() == before);
  const Var y = x * x;
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == -2.0);
}

BOOST_AUTO_TEST_CASE(default_mode_propagates_nan_like_double) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(-1.0);
  const Var y = log(x) + sqrt(x);
  BOOST_TEST(std::isnan(y.value()));
  BOOST_TEST(std::isnan(std::log(-1.0) + std::sqrt(-1.0)));
  tape.backward(y);
  BOOST_TEST(std::isnan(tape.adjoint(x)));
}

BOOST_AUTO_TEST_CASE(first_non_finite_adjoint_names_the_operation) {
  Tape tape;
  auto recording = tape.record({.checked = false, .fuse = false});
  const Var x = tape.input(0.0);
  const Var y = tape.input(2.0);
  const Var s = sqrt(x);      // derivative inf at 0
  const Var z = s * y + y;    // finite value
  tape.backward(z);
  BOOST_TEST(std::isinf(tape.adjoint(x)));
  BOOST_TEST(tape.adjoint(y) == 1.0);
  const auto report = tape.first_non_finite_adjoint();
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST((report->operation == slope::op_code<slope::Sqrt>));
  BOOST_TEST(report->message == "sqrt (node 2): partial derivative is inf");
}

BOOST_AUTO_TEST_CASE(first_non_finite_adjoint_is_empty_when_all_are_finite) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(1.0);
  const Var y = exp(x) * x;
  tape.backward(y);
  BOOST_TEST(!tape.first_non_finite_adjoint().has_value());
}

BOOST_AUTO_TEST_CASE(a_zero_adjoint_does_not_turn_an_infinite_partial_into_nan) {
  // y does not depend on s, so s's infinite partial must not reach x as 0 * inf = NaN.
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(0.0);
  const Var s = sqrt(x);
  const Var y = x * 3.0;
  static_cast<void>(s);
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == 3.0);
}

BOOST_AUTO_TEST_SUITE_END()
