// sigmoid log_sigmoid softplus log_sum_exp: derivatives, precision and stability at |x| = 700, one node (ops/ml.hpp).
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <slope/autodiff.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include "support/check_derivative.hpp"

namespace bdata = boost::unit_test::data;
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

const double kInf = std::numeric_limits<double>::infinity();

const std::vector<double> kPoints{-700.0, -100.0, -30.0, -5.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 5.0, 30.0, 100.0, 700.0};
const std::vector<double> kPairs{-700.0, -30.0, -1.0, 0.0, 0.5, 3.0, 700.0, 1000.0};
const std::vector<double> kMagnitudes{0.0, 1e3, 1e6, 1e12, 1e16, 1e300};
const std::vector<std::vector<double>> kVectors{
    {1.0, 2.0, 3.0}, {1000.0, 1000.0, 1000.0}, {-700.0, 0.0, 700.0}, {0.0, 0.0, 0.0, 0.0},
    {-1e-8, 0.0, 1e-8}, {5.0, -30.0, 0.5, 2.0}, {-700.0, -700.0, -699.0}, {0.25, -1.0, 3.0, 3.0, -2.0, 0.0, 7.5, 1.0}};

// A few ulps: the values must keep full relative precision, in the tails too.
constexpr Tolerance kUlps{1e-15, 0.0};

// A central difference in one coordinate is off by h^2/6 |f'''/f'|; for log-sum-exp that ratio
// is |(1 - w)(1 - 2w)| <= 1 (w the softmax weight), and h grows with the largest |x|.
Tolerance fd_tolerance(const std::vector<double>& x) {
  double largest = 0.0;
  for (const double xi : x) largest = std::max(largest, std::fabs(xi));
  const double h = slope::test::central_step(largest);
  return {std::max(1e-6, h * h / 5.0), 1e-8};
}

// Independent references in long double, whose exponent range holds e^700 and its square.
double sigmoid_ref(long double x) { return static_cast<double>(1.0L / (1.0L + std::exp(-x))); }
double log_sigmoid_ref(long double x) { return static_cast<double>(-std::log1p(std::exp(-x))); }
double softplus_ref(long double x) { return static_cast<double>(std::log1p(std::exp(x))); }
double sigmoid_derivative_ref(long double x) {
  const long double e = std::exp(-x);
  return static_cast<double>(e / ((1.0L + e) * (1.0L + e)));
}
// The softmax weights e^(x_i) / sum_j e^(x_j), the partials of log-sum-exp.
std::vector<double> softmax_ref(const std::vector<double>& x) {
  std::vector<double> w(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    long double s = 0.0L;
    for (const double xj : x) s += std::exp(static_cast<long double>(xj) - x[i]);
    w[i] = static_cast<double>(1.0L / s);
  }
  return w;
}

// The Var operation, and on double the rule's own value (there are no double overloads): the
// Var value must equal it exactly, and the finite differences differentiate it.
template <class Rule, class F>
auto var_or_rule(F f) {
  return [f](auto x) {
    if constexpr (std::is_same_v<decltype(x), double>) {
      return Rule::value(x);
    } else {
      return f(x);
    }
  };
}

const auto kSigmoid = var_or_rule<slope::Sigmoid>([](Var x) { return sigmoid(x); });
const auto kLogSigmoid = var_or_rule<slope::LogSigmoid>([](Var x) { return log_sigmoid(x); });
const auto kSoftplus = var_or_rule<slope::Softplus>([](Var x) { return softplus(x); });
const auto kLog1pExp = var_or_rule<slope::Softplus>([](Var x) { return log1p_exp(x); });
const auto kLogSumExp = [](auto a, auto b) {
  if constexpr (std::is_same_v<decltype(a), double> && std::is_same_v<decltype(b), double>) {
    return slope::LogSumExp::value(a, b);
  } else {
    return log_sum_exp(a, b);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ml)

BOOST_DATA_TEST_CASE(sigmoid_derivative_is_y_times_one_minus_y, bdata::make(kPoints), x) {
  check_unary(kSigmoid, x, sigmoid_derivative_ref(x));
}

BOOST_DATA_TEST_CASE(log_sigmoid_derivative_is_one_minus_sigmoid, bdata::make(kPoints), x) {
  check_unary(kLogSigmoid, x, static_cast<double>(1.0L / (1.0L + std::exp(static_cast<long double>(x)))));
}

BOOST_DATA_TEST_CASE(softplus_and_log1p_exp_derivative_is_sigmoid, bdata::make(kPoints), x) {
  check_unary(kSoftplus, x, sigmoid_ref(x));
  check_unary(kLog1pExp, x, sigmoid_ref(x));
}

BOOST_DATA_TEST_CASE(values_keep_full_precision_in_both_tails, bdata::make(kPoints), x) {
  Tape tape;
  auto recording = tape.record();
  const Var v = tape.input(x);
  BOOST_TEST(close(sigmoid(v).value(), sigmoid_ref(x), kUlps),
             "sigmoid " << sigmoid(v).value() << " vs " << sigmoid_ref(x));
  BOOST_TEST(close(log_sigmoid(v).value(), log_sigmoid_ref(x), kUlps),
             "log_sigmoid " << log_sigmoid(v).value() << " vs " << log_sigmoid_ref(x));
  BOOST_TEST(close(softplus(v).value(), softplus_ref(x), kUlps),
             "softplus " << softplus(v).value() << " vs " << softplus_ref(x));
  BOOST_TEST(log1p_exp(v).value() == softplus(v).value());
}

BOOST_DATA_TEST_CASE(log_sum_exp_partials_are_the_softmax_weights, bdata::make(kPairs) * bdata::make(kPairs), a, b) {
  const std::vector<double> w = softmax_ref({a, b});
  check_binary(kLogSumExp, a, b, std::pair{w[0], w[1]}, fd_tolerance({a, b}));
}

BOOST_DATA_TEST_CASE(variadic_log_sum_exp, bdata::xrange(kVectors.size()), i) {
  const std::vector<double>& x = kVectors[i];
  if (x.size() == 3) {
    check_gradient(
        [](auto v) {
          if constexpr (std::is_same_v<decltype(v), std::span<const double>>) {
            return slope::log_sum_exp(v);
          } else {
            return log_sum_exp(v[0], v[1], v[2]);
          }
        },
        x, softmax_ref(x), fd_tolerance(x));
  }
  if (x.size() == 4) {
    // A constant among the arguments: it gets no edge, the others their softmax weights.
    std::vector<double> with_constant{x[0], x[1], 2.0, x[2], x[3]};
    std::vector<double> w = softmax_ref(with_constant);
    w.erase(w.begin() + 2);
    check_gradient(
        [](auto v) {
          if constexpr (std::is_same_v<decltype(v), std::span<const double>>) {
            const double all[] = {v[0], v[1], 2.0, v[2], v[3]};
            return slope::log_sum_exp(std::span<const double>(all));
          } else {
            return log_sum_exp(v[0], v[1], 2.0, v[2], v[3]);
          }
        },
        x, w, fd_tolerance(x));
  }
  if (x.size() == 8) {
    check_gradient(
        [](auto v) {
          if constexpr (std::is_same_v<decltype(v), std::span<const double>>) {
            return slope::log_sum_exp(v);
          } else {
            return log_sum_exp(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
          }
        },
        x, softmax_ref(x), fd_tolerance(x));
  }
}

BOOST_DATA_TEST_CASE(ranged_log_sum_exp, bdata::xrange(kVectors.size()), i) {
  check_gradient([](auto v) { return slope::log_sum_exp(v); }, kVectors[i], softmax_ref(kVectors[i]),
                 fd_tolerance(kVectors[i]));
}

BOOST_AUTO_TEST_CASE(ranged_log_sum_exp_of_one_argument_is_the_argument) {
  check_gradient([](auto v) { return slope::log_sum_exp(v); }, {-3.5}, std::vector{1.0});
}

BOOST_AUTO_TEST_CASE(log_sum_exp_records_one_node_with_an_edge_per_active_argument) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<double> values{0.5, -1.0, 2.0, 3.0, -4.0};
  const std::vector<Var> x = tape.inputs(values);
  std::vector<Var> args(x.begin(), x.end());
  args.push_back(Var(7.0));  // a constant: no edge
  const auto before = tape.stats();
  const Var z = log_sum_exp(std::span<const Var>(args));
  BOOST_TEST(tape.size() == before.nodes + 1);
  BOOST_TEST(tape.stats().edges == before.edges + 5);
  BOOST_TEST((tape.operation(static_cast<std::uint32_t>(tape.size() - 1)) == slope::op_code<slope::LogSumExp>));
  const Var z3 = log_sum_exp(x[0], x[1], x[2]);
  BOOST_TEST(tape.size() == before.nodes + 2);
  BOOST_TEST(tape.stats().edges == before.edges + 8);
  tape.backward(z);
  double total = 0.0;
  for (const Var& xi : x) total += tape.adjoint(xi);
  BOOST_TEST(close(total, 1.0 - 1.0 / (1.0 + std::exp(slope::log_sum_exp(values) - 7.0)), kExact));
  static_cast<void>(z3);
}

BOOST_AUTO_TEST_CASE(log_sum_exp_of_constants_or_of_nothing_records_nothing) {
  Tape tape;
  auto recording = tape.record();
  const std::size_t before = tape.size();
  const Var empty = log_sum_exp(std::span<const Var>());
  BOOST_TEST(empty.is_constant());
  BOOST_TEST(empty.value() == -kInf);
  const Var three = log_sum_exp(Var(1.0), Var(1.0), 1.0);
  BOOST_TEST(three.is_constant());
  BOOST_TEST(close(three.value(), 1.0 + std::log(3.0), kExact));
  BOOST_TEST(tape.size() == before);
}

BOOST_AUTO_TEST_CASE(stable_at_magnitude_700_in_value_and_derivative) {
  // Each row: the function, x, its value and derivative there. A checked tape also proves that
  // nothing on the way overflows to inf or NaN.
  const double tiny = std::exp(-700.0);
  struct Row {
    Var (*f)(Var);
    double x, value, derivative;
  };
  const Row rows[] = {
      {+[](Var x) { return sigmoid(x); }, 700.0, 1.0, tiny},
      {+[](Var x) { return sigmoid(x); }, -700.0, tiny, tiny},
      {+[](Var x) { return log_sigmoid(x); }, -700.0, -700.0, 1.0},
      {+[](Var x) { return log_sigmoid(x); }, 700.0, -tiny, tiny},
      {+[](Var x) { return softplus(x); }, 700.0, 700.0, 1.0},
      {+[](Var x) { return softplus(x); }, -700.0, tiny, tiny},
      {+[](Var x) { return log1p_exp(x); }, 700.0, 700.0, 1.0},
      {+[](Var x) { return log_sum_exp(x, -700.0); }, 700.0, 700.0, 1.0},
      {+[](Var x) { return log_sum_exp(x, 700.0); }, -700.0, 700.0, 0.0},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT("row at x = " << row.x << ", value " << row.value) {
      Tape tape;
      auto recording = tape.record({.checked = true});
      const Var x = tape.input(row.x);
      Var y;
      BOOST_REQUIRE_NO_THROW(y = row.f(x));
      tape.backward(y);
      BOOST_TEST(close(y.value(), row.value, kExact), "value " << y.value());
      BOOST_TEST(close(tape.adjoint(x), row.derivative, kExact), "derivative " << tape.adjoint(x));
    }
  }
}

BOOST_AUTO_TEST_CASE(log_sum_exp_of_equal_large_arguments_adds_ln_n) {
  const auto pair = [](auto x) { return log_sum_exp(x[0], x[1]); };
  const auto [two, grad2] = slope::test::tape_gradient(pair, std::vector{1000.0, 1000.0}, {});
  BOOST_TEST(close(two, 1000.0 + std::numbers::ln2, kExact));
  BOOST_TEST(close(grad2[0], 0.5, kExact));
  BOOST_TEST(close(grad2[1], 0.5, kExact));
  const auto [three, grad3] =
      slope::test::tape_gradient([](auto x) { return slope::log_sum_exp(x); }, std::vector{1000.0, 1000.0, 1000.0}, {});
  BOOST_TEST(close(three, 1000.0 + std::log(3.0), kExact));
  for (const double g : grad3) BOOST_TEST(close(g, 1.0 / 3.0, kExact));
  // A -inf argument (a masked entry) adds nothing and gets no weight.
  const auto [masked, grad_masked] = slope::test::tape_gradient(pair, std::vector{-kInf, 0.0}, {});
  BOOST_TEST(masked == 0.0);
  BOOST_TEST(grad_masked[0] == 0.0);
  BOOST_TEST(grad_masked[1] == 1.0);
}

BOOST_DATA_TEST_CASE(log_sum_exp_partials_are_the_softmax_weights_at_any_magnitude,
                     bdata::make(kMagnitudes), m) {
  // ops/ml.hpp: the partials are the softmax weights and sum to 1, for |x| up to the double
  // range. Equal arguments weigh 1/n each, whatever their size.
  const auto pair = [](auto x) { return log_sum_exp(x[0], x[1]); };
  const auto [z2, grad2] = slope::test::tape_gradient(pair, std::vector{m, m}, {});
  BOOST_TEST(close(grad2[0], 0.5, kExact), fmt::format("log_sum_exp({0}, {0}): d/da = {1}, expected 0.5", m, grad2[0]));
  BOOST_TEST(close(grad2[1], 0.5, kExact), fmt::format("log_sum_exp({0}, {0}): d/db = {1}, expected 0.5", m, grad2[1]));
  const auto [z3, grad3] =
      slope::test::tape_gradient([](auto x) { return slope::log_sum_exp(x); }, std::vector{m, m, m}, {});
  BOOST_TEST(close(grad3[0] + grad3[1] + grad3[2], 1.0, kExact),
             fmt::format("log_sum_exp({{{0}, {0}, {0}}}): partials {1} sum to {2}, expected 1", m, grad3[0],
                         grad3[0] + grad3[1] + grad3[2]));
  static_cast<void>(z2);
  static_cast<void>(z3);
}

BOOST_AUTO_TEST_CASE(functions_record_their_op_codes) {
  const std::pair<Var (*)(Var), OpCode> unary[] = {{+[](Var x) { return sigmoid(x); }, slope::op_code<slope::Sigmoid>},
                                                   {+[](Var x) { return log_sigmoid(x); }, slope::op_code<slope::LogSigmoid>},
                                                   {+[](Var x) { return softplus(x); }, slope::op_code<slope::Softplus>},
                                                   {+[](Var x) { return log1p_exp(x); }, slope::op_code<slope::Softplus>},
                                                   {+[](Var x) { return log_sum_exp(x, 1.0); }, slope::op_code<slope::LogSumExp>}};
  for (const auto& [f, code] : unary) {
    Tape tape;
    auto recording = tape.record({.fuse = false});
    static_cast<void>(f(tape.input(0.5)));
    BOOST_TEST((tape.operation(static_cast<std::uint32_t>(tape.size() - 1)) == code));
  }
}

using Rules = std::tuple<slope::Sigmoid, slope::LogSigmoid, slope::Softplus, slope::LogSumExp>;

BOOST_AUTO_TEST_CASE_TEMPLATE(op_code_names_the_rule, Rule, Rules) {
  BOOST_TEST(slope::op_name(slope::op_code<Rule>) == Rule::name);
}

BOOST_AUTO_TEST_SUITE_END()
