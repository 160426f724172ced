// + - * / and unary minus, with every mix of Var and double operands, against finite
// differences and the hand-derived partials of ops/arithmetic.hpp.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <type_traits>

#include "support/check_derivative.hpp"

namespace bdata = boost::unit_test::data;
using slope::test::check_binary;
using slope::test::check_gradient;
using slope::test::check_unary;

namespace {
// Points that cover signs, zero, tiny and large magnitudes.
const std::vector<double> kPoints{-1e6, -37.5, -2.0, -1.0, -0.3, -1e-8, 0.0, 1e-8, 0.25, 1.0, 3.0, 1234.5, 1e6};
}  // namespace

BOOST_AUTO_TEST_SUITE(arithmetic)

BOOST_DATA_TEST_CASE(negation, bdata::make(kPoints), x) {
  check_unary([](auto v) { return -v; }, x, -1.0);
}

BOOST_DATA_TEST_CASE(sum_difference_product, bdata::make(kPoints) * bdata::make(kPoints), a, b) {
  check_binary([](auto p, auto q) { return p + q; }, a, b, std::pair{1.0, 1.0});
  check_binary([](auto p, auto q) { return p - q; }, a, b, std::pair{1.0, -1.0});
  check_binary([](auto p, auto q) { return p * q; }, a, b, std::pair{b, a});
}

BOOST_DATA_TEST_CASE(quotient, bdata::make(kPoints) * bdata::make(kPoints), a, b) {
  if (b == 0.0) return;  // the pole itself: quotient_by_zero_follows_ieee
  // A central difference needs the pole at 0 farther than its step (6e-6 here).
  const bool near_pole = std::fabs(b) < 1e-3;
  const std::optional<slope::test::Tolerance> fd =
      near_pole ? std::nullopt
                : std::optional<slope::test::Tolerance>({.rtol = 1e-6, .atol = 1e-8 * std::fabs(a / (b * b))});
  check_binary([](auto p, auto q) { return p / q; }, a, b, std::pair{1.0 / b, -a / (b * b)}, fd);
}

BOOST_AUTO_TEST_CASE(quotient_by_zero_follows_ieee) {
  slope::Tape tape;
  auto recording = tape.record();
  const slope::Var a = tape.input(1.0);
  const slope::Var b = tape.input(0.0);
  const slope::Var z = a / b;
  BOOST_TEST(std::isinf(z.value()));
  tape.backward(z);
  BOOST_TEST(std::isinf(tape.adjoint(a)));
}

BOOST_AUTO_TEST_CASE(ints_and_doubles_mix_on_either_side) {
  // z = 2x + x*3 - 1 + 4/x - (5 - x) + x/2  =>  dz/dx = 2 + 3 - 4/x^2 + 1 + 1/2
  check_unary([](auto x) { return 2 * x + x * 3.0 - 1 + 4 / x - (5 - x) + x / 2; }, 1.5,
              2.0 + 3.0 - 4.0 / (1.5 * 1.5) + 1.0 + 0.5);
}

BOOST_AUTO_TEST_CASE(compound_assignment_matches_binary_operators) {
  check_gradient(
      [](auto x) {
        auto s = x[0];
        s += x[1];
        s -= 2.0 * x[0];
        s *= x[1];
        s /= x[0] + 4.0;
        s += 1;
        s *= 3;
        return s;
      },
      std::vector<double>{0.7, -1.3});
}

BOOST_AUTO_TEST_CASE(self_compound_assignment) {
  // s = x*x; s += s; s *= s  =>  s = (2x^2)^2 = 4x^4, ds/dx = 16 x^3
  check_unary(
      [](auto x) {
        std::remove_cvref_t<decltype(x)> s = x * x;  // a Var, not the expression x * x
        s += s;
        s *= s;
        return s;
      },
      1.5, 16.0 * 1.5 * 1.5 * 1.5);
}

BOOST_AUTO_TEST_CASE(comparisons_use_values_and_record_nothing) {
  slope::Tape tape;
  auto recording = tape.record();
  const slope::Var x = tape.input(2.0);
  const slope::Var y = tape.input(3.0);
  const std::size_t before = tape.size();
  BOOST_TEST((x < y));
  BOOST_TEST((x <= 2.0));
  BOOST_TEST((1 < x));
  BOOST_TEST((x != y));
  BOOST_TEST((x == 2));
  BOOST_TEST(!(y > 3.0));
  BOOST_TEST((slope::Var(5.0) >= y));
  BOOST_TEST(tape.size() == before);
}

BOOST_AUTO_TEST_SUITE_END()
