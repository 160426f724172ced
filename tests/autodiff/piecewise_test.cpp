// abs min max fma and rounding: derivatives and the kink, tie, NaN and rounding conventions (ops/piecewise.hpp).
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "support/check_derivative.hpp"

namespace bdata = boost::unit_test::data;
using slope::DomainError;
using slope::OpCode;
using slope::Tape;
using slope::Var;
using slope::test::check_binary;
using slope::test::check_gradient;
using slope::test::check_unary;
using slope::test::close;
using slope::test::kExact;
using slope::test::Tolerance;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<double> kPoints{-1e300, -37.5, -2.0, -1.0, -0.3, -1e-8, -0.0, 0.0, 1e-8, 0.25, 1.0, 3.0, 1234.5, 1e300};
// Pairs from this grid are far apart, a hair apart (1e-8, closer than a central step) or tied.
const std::vector<double> kPairs{-3.0, -1e-8, 0.0, 1e-8, 0.5, 2.0};
const std::vector<double> kFmaPoints{-2.0, 0.0, 0.5, 3.0};
const std::vector<double> kRoundingPoints{-1e300, -2.5, -1.5, -1.0, -0.5, -1e-8, 0.0, 0.3, 0.5, 1.0, 2.5, 7.75, 1e300};

// True when a jump or kink at `kink` lies within one central step of x (but not at x itself,
// where the central difference is symmetric and matches the conventions).
bool straddles(double x, double kink) {
  return x != kink && std::fabs(x - kink) <= slope::test::central_step(x);
}

// The double form of each operation is std's; min and max are fmin and fmax (a NaN argument is
// ignored, as for the Var forms).
const auto kAbs = [](auto v) { using std::fabs; return fabs(v); };
const auto kFmax = [](auto p, auto q) {
  if constexpr (std::is_same_v<decltype(p), double> && std::is_same_v<decltype(q), double>) {
    return std::fmax(p, q);
  } else {
    return fmax(p, q);
  }
};
const auto kFmin = [](auto p, auto q) {
  if constexpr (std::is_same_v<decltype(p), double> && std::is_same_v<decltype(q), double>) {
    return std::fmin(p, q);
  } else {
    return fmin(p, q);
  }
};
const auto kMax = [](auto p, auto q) {
  if constexpr (std::is_same_v<decltype(p), double> && std::is_same_v<decltype(q), double>) {
    return std::fmax(p, q);
  } else {
    return max(p, q);
  }
};
const auto kMin = [](auto p, auto q) {
  if constexpr (std::is_same_v<decltype(p), double> && std::is_same_v<decltype(q), double>) {
    return std::fmin(p, q);
  } else {
    return min(p, q);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(piecewise)

BOOST_DATA_TEST_CASE(abs_derivative_is_the_sign, bdata::make(kPoints), x) {
  const double sign = x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0;
  const auto fd = straddles(x, 0.0) ? std::nullopt : std::optional<Tolerance>(Tolerance{});
  check_unary(kAbs, x, sign, fd);
  check_unary([](auto v) { using std::abs; return abs(v); }, x, sign, fd);
}

BOOST_AUTO_TEST_CASE(abs_has_derivative_zero_at_the_kink) {
  for (const double zero : {0.0, -0.0}) {
    for (const auto f : {+[](Var v) { return abs(v); }, +[](Var v) { return fabs(v); }}) {
      const auto [value, grad] = slope::test::tape_gradient([f](auto x) { return f(x[0]); }, std::vector{zero}, {});
      BOOST_TEST(value == 0.0);
      BOOST_TEST(!std::signbit(value));
      BOOST_TEST(grad[0] == 0.0);
    }
  }
}

BOOST_DATA_TEST_CASE(max_and_min_pass_the_derivative_to_the_chosen_argument, bdata::make(kPairs) * bdata::make(kPairs), a,
                     b) {
  // d/da max(a, b) is 1 where a > b, 0 where a < b and 1/2 at a tie; min the other way round.
  const double max_a = a > b ? 1.0 : a < b ? 0.0 : 0.5;
  const std::pair max_partials{max_a, 1.0 - max_a};
  const std::pair min_partials{1.0 - max_a, max_a};
  const auto fd = straddles(a, b) ? std::nullopt : std::optional<Tolerance>(Tolerance{});
  check_binary(kFmax, a, b, max_partials, fd);
  check_binary(kMax, a, b, max_partials, fd);
  check_binary(kFmin, a, b, min_partials, fd);
  check_binary(kMin, a, b, min_partials, fd);
}

BOOST_AUTO_TEST_CASE(a_tie_splits_the_derivative_so_max_of_x_and_x_has_derivative_one) {
  for (const double x : {-2.0, 0.0, 3.5}) {
    BOOST_TEST_CONTEXT("x = " << x) {
      for (const auto f : {+[](Var v) { return max(v, v); }, +[](Var v) { return min(v, v); },
                           +[](Var v) { return fmax(v, v); }, +[](Var v) { return fmin(v, v); }}) {
        const auto [value, grad] = slope::test::tape_gradient([f](auto xs) { return f(xs[0]); }, std::vector{x}, {});
        BOOST_TEST(value == x);
        BOOST_TEST(grad[0] == 1.0);
      }
      // A tie with a constant: half of the derivative goes to the constant.
      const auto [value, grad] = slope::test::tape_gradient([x](auto xs) { return max(xs[0], x); }, std::vector{x}, {});
      BOOST_TEST(value == x);
      BOOST_TEST(grad[0] == 0.5);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_nan_argument_is_ignored_like_std_fmax) {
  for (const auto f : {+[](Var p, Var q) { return max(p, q); }, +[](Var p, Var q) { return min(p, q); },
                       +[](Var p, Var q) { return fmax(p, q); }, +[](Var p, Var q) { return fmin(p, q); }}) {
    // A NaN input: the other argument is the result and gets the whole derivative.
    for (const bool nan_first : {true, false}) {
      BOOST_TEST_CONTEXT("NaN argument first: " << nan_first) {
        const std::vector<double> x = nan_first ? std::vector{kNaN, 2.0} : std::vector{2.0, kNaN};
        const auto [value, grad] = slope::test::tape_gradient([f](auto xs) { return f(xs[0], xs[1]); }, x, {});
        BOOST_TEST(value == 2.0);
        BOOST_TEST(grad[nan_first ? 0 : 1] == 0.0);
        BOOST_TEST(grad[nan_first ? 1 : 0] == 1.0);
      }
    }
    // A NaN constant, and on a checked tape, which sees a finite value and partial: no error.
    Tape tape;
    auto recording = tape.record({.checked = true});
    const Var x = tape.input(-1.5);
    Var y;
    BOOST_REQUIRE_NO_THROW(y = f(x, kNaN));
    tape.backward(y);
    BOOST_TEST(y.value() == -1.5);
    BOOST_TEST(tape.adjoint(x) == 1.0);
  }
}

BOOST_DATA_TEST_CASE(fma_partials, bdata::make(kFmaPoints) * bdata::make(kFmaPoints) * bdata::make(kFmaPoints), a, b, c) {
  // w = a b + c: dw/da = b, dw/db = a, dw/dc = 1.
  check_gradient([](auto x) { using std::fma; return fma(x[0], x[1], x[2]); }, {a, b, c}, std::vector{b, a, 1.0});
  // Constant operands in every position.
  check_unary([b, c](auto v) { using std::fma; return fma(v, b, c); }, a, b);
  check_unary([a, c](auto v) { using std::fma; return fma(a, v, c); }, b, a);
  check_unary([a, b](auto v) { using std::fma; return fma(a, b, v); }, c, 1.0);
}

BOOST_AUTO_TEST_CASE(fma_rounds_once_and_records_one_node_with_an_edge_per_active_operand) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(1.0 + 0x1p-30);
  const Var b = tape.input(1.0 - 0x1p-30);
  const Var c = tape.input(-1.0);
  const auto before = tape.stats();
  const Var w = fma(a, b, c);
  BOOST_TEST(w.value() == -0x1p-60);  // a*b + c in two roundings would give 0
  BOOST_TEST(tape.stats().nodes == before.nodes + 1);
  BOOST_TEST(tape.stats().edges == before.edges + 3);
  BOOST_TEST((tape.operation(static_cast<std::uint32_t>(tape.size() - 1)) == slope::op_code<slope::Fma>));
  const Var w2 = fma(a, 2.0, 1.0);
  BOOST_TEST(tape.stats().nodes == before.nodes + 2);
  BOOST_TEST(tape.stats().edges == before.edges + 4);
  const Var w3 = fma(Var(2.0), Var(3.0), Var(4.0));
  BOOST_TEST(w3.is_constant());
  BOOST_TEST(w3.value() == 10.0);
  BOOST_TEST(tape.stats().nodes == before.nodes + 2);
  tape.backward(w + w2);
  BOOST_TEST(tape.adjoint(a) == (1.0 - 0x1p-30) + 2.0);
  BOOST_TEST(tape.adjoint(b) == 1.0 + 0x1p-30);
  BOOST_TEST(tape.adjoint(c) == 1.0);
}

BOOST_AUTO_TEST_CASE(fma_overflow_names_the_operation_in_checked_mode) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var a = tape.input(1e308);
  BOOST_CHECK_EXCEPTION(fma(a, 10.0, 0.0), DomainError, [](const DomainError& e) {
    return e.operation() == "fma" && std::string_view(e.what()) == "fma: result is inf for arguments (1e+308, 10, 0)";
  });
}

BOOST_DATA_TEST_CASE(rounding_gives_constants_that_record_no_node, bdata::make(kRoundingPoints), x) {
  Tape tape;
  auto recording = tape.record();
  const Var v = tape.input(x);
  const std::size_t before = tape.size();
  const Var results[] = {floor(v), ceil(v), round(v), trunc(v)};
  const double expected[] = {std::floor(x), std::ceil(x), std::round(x), std::trunc(x)};
  BOOST_TEST(tape.size() == before);
  for (int i = 0; i < 4; ++i) {
    BOOST_TEST(results[i].is_constant());
    BOOST_TEST(results[i].value() == expected[i]);
  }
}

BOOST_DATA_TEST_CASE(rounding_has_derivative_zero, bdata::make(kRoundingPoints), x) {
  // d/dx x * r(x) = r(x) + x r'(x) = r(x), with r' = 0 also taken at the jumps (integers, and
  // half-integers for round), where a central difference sees the jump.
  const double h = slope::test::central_step(x);
  const bool near_jump = std::fabs(x - std::round(x)) <= h || std::fabs(x - (std::floor(x) + 0.5)) <= h;
  const auto fd = near_jump || std::fabs(x) > 1e100 ? std::nullopt : std::optional<Tolerance>(Tolerance{});
  check_unary([](auto v) { using std::floor; return v * floor(v); }, x, std::floor(x), fd);
  check_unary([](auto v) { using std::ceil; return v * ceil(v); }, x, std::ceil(x), fd);
  check_unary([](auto v) { using std::round; return v * round(v); }, x, std::round(x), fd);
  check_unary([](auto v) { using std::trunc; return v * trunc(v); }, x, std::trunc(x), fd);
}

BOOST_AUTO_TEST_CASE(each_function_records_its_op_code) {
  const std::pair<Var (*)(Var, Var), OpCode> binary[] = {{slope::max, slope::op_code<slope::Fmax>},
                                                          {slope::fmax, slope::op_code<slope::Fmax>},
                                                          {slope::min, slope::op_code<slope::Fmin>},
                                                          {slope::fmin, slope::op_code<slope::Fmin>}};
  for (const auto& [f, code] : binary) {
    Tape tape;
    auto recording = tape.record({.fuse = false});
    static_cast<void>(f(tape.input(1.0), tape.input(2.0)));
    BOOST_TEST((tape.operation(static_cast<std::uint32_t>(tape.size() - 1)) == code));
  }
  for (const auto f : {+[](Var v) { return abs(v); }, +[](Var v) { return fabs(v); }}) {
    Tape tape;
    auto recording = tape.record({.fuse = false});
    static_cast<void>(f(tape.input(-1.0)));
    BOOST_TEST((tape.operation(static_cast<std::uint32_t>(tape.size() - 1)) == slope::op_code<slope::Abs>));
  }
  BOOST_TEST(slope::op_name(slope::op_code<slope::Fma>) == "fma");
}

using Rules = std::tuple<slope::Abs, slope::Fmax, slope::Fmin>;

BOOST_AUTO_TEST_CASE_TEMPLATE(op_code_names_the_rule, Rule, Rules) {
  BOOST_TEST(slope::op_name(slope::op_code<Rule>) == Rule::name);
}

BOOST_AUTO_TEST_SUITE_END()
