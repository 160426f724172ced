// gradient, value_and_gradient and jacobian: the one-call API.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <array>
#include <cmath>
#include <span>
#include <tuple>
#include <vector>

#include "kernels/kernels.hpp"
#include "support/finite_difference.hpp"

using slope::Var;

BOOST_AUTO_TEST_SUITE(gradient_api)

BOOST_AUTO_TEST_CASE(value_and_gradient_with_structured_bindings) {
  auto [value, grad] = slope::value_and_gradient([](auto x) { return x[0] * x[0] + sin(x[1]); }, {3.0, 0.5});
  BOOST_TEST(value == 9.0 + std::sin(0.5));
  BOOST_TEST(grad.size() == 2U);
  BOOST_TEST(grad[0] == 6.0);
  BOOST_TEST(grad[1] == std::cos(0.5));
}

BOOST_AUTO_TEST_CASE(value_and_gradient_accepts_spans_vectors_and_arrays) {
  const auto f = [](std::span<const Var> x) {
    Var s = 0.0;
    for (const Var& xi : x) s += xi * xi;
    return s;
  };
  const std::vector<double> v{1.0, 2.0, 3.0};
  const std::array<double, 3> a{1.0, 2.0, 3.0};
  BOOST_TEST(slope::value_and_gradient(f, v).gradient == (std::vector<double>{2.0, 4.0, 6.0}));
  BOOST_TEST(slope::value_and_gradient(f, std::span<const double>(a)).value == 14.0);
  const auto g = [](const std::vector<Var>& x) { return x[0] * x[1]; };
  BOOST_TEST(slope::value_and_gradient(g, {2.0, 5.0}).gradient == (std::vector<double>{5.0, 2.0}));
}

BOOST_AUTO_TEST_CASE(value_and_gradient_into_a_span_gives_the_bits_of_the_allocating_call) {
  // The span overload is the allocating one minus its result vector: same value, same gradient,
  // on every benchmark kernel at both of its points, and on a second call in a row.
  std::apply(
      [](const auto&... kernel) {
        const auto check = [](const auto& k) {
          const auto f = [&k](std::span<const Var> x) { return k.evaluate(x); };
          for (const std::vector<double>* x : {&k.x0, &k.x1, &k.x0}) {
            const slope::ValueAndGradient expected = slope::value_and_gradient(f, *x);
            std::vector<double> grad(x->size(), 123.0);  // stale contents must be overwritten
            const double value = slope::value_and_gradient(f, std::span<const double>(*x), std::span<double>(grad));
            BOOST_TEST(value == expected.value);
            BOOST_TEST(grad == expected.gradient, boost::test_tools::per_element());
          }
        };
        (check(kernel), ...);
      },
      slope::bench::AllKernels{});
}

BOOST_AUTO_TEST_CASE(a_function_returning_a_constant_has_zero_gradient) {
  auto [value, grad] = slope::value_and_gradient([](auto) { return Var(4.0); }, {1.0, 2.0});
  BOOST_TEST(value == 4.0);
  BOOST_TEST(grad == (std::vector<double>{0.0, 0.0}));
}

BOOST_AUTO_TEST_CASE(nested_value_and_gradient_calls_use_separate_tapes) {
  // The inner call's gradient is a number to the outer function (a constant, no derivative).
  auto outer = [](auto x) {
    const double inner = slope::value_and_gradient([](auto y) { return y[0] * y[0]; }, {3.0}).gradient[0];
    return x[0] * inner;
  };
  auto [value, grad] = slope::value_and_gradient(outer, {2.0});
  BOOST_TEST(value == 12.0);
  BOOST_TEST(grad[0] == 6.0);
}

BOOST_AUTO_TEST_CASE(checked_mode_per_call) {
  const auto f = [](auto x) { return log(x[0]); };
  BOOST_TEST(std::isnan(slope::value_and_gradient(f, {-1.0}).value));
  BOOST_CHECK_EXCEPTION(slope::value_and_gradient(f, {-1.0}, {.checked = true}), slope::DomainError,
                        [](const slope::DomainError& e) { return e.operation() == "log"; });
  // The borrowed tape is returned to its pool in a usable state after the exception.
  BOOST_TEST(slope::value_and_gradient(f, {2.0}).gradient[0] == 0.5);
}

BOOST_AUTO_TEST_CASE(gradient_of_a_recorded_output) {
  slope::Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0});
  const Var y = x[0] * exp(x[1]);
  const std::vector<double> g = slope::gradient(y, x);
  BOOST_TEST(g[0] == std::exp(2.0));
  BOOST_TEST(g[1] == std::exp(2.0));
}

BOOST_AUTO_TEST_CASE(jacobian_of_a_vector_function) {
  // f(x) = (x0 x1, sin x0, x1^2 + 3)
  const auto f = [](std::span<const Var> x) { return std::vector<Var>{x[0] * x[1], sin(x[0]), x[1] * x[1] + 3.0}; };
  const slope::Jacobian j = slope::jacobian(f, {0.5, -2.0});
  BOOST_TEST(j.rows == 3U);
  BOOST_TEST(j.cols == 2U);
  BOOST_TEST(j.values == (std::vector<double>{-1.0, std::sin(0.5), 7.0}));
  BOOST_TEST(j(0, 0) == -2.0);
  BOOST_TEST(j(0, 1) == 0.5);
  BOOST_TEST(j(1, 0) == std::cos(0.5));
  BOOST_TEST(j(1, 1) == 0.0);
  BOOST_TEST(j(2, 0) == 0.0);
  BOOST_TEST(j(2, 1) == -4.0);
}

BOOST_AUTO_TEST_CASE(jacobian_matches_finite_differences) {
  const auto f = [](std::span<const Var> x) {
    std::vector<Var> y;
    for (std::size_t i = 0; i < x.size(); ++i) y.push_back(x[i] * x[(i + 1) % x.size()] + tanh(x[i]));
    return y;
  };
  const std::vector<double> x{0.3, -0.7, 1.1, 0.05};
  const slope::Jacobian j = slope::jacobian(f, x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto fi = [i](std::span<const double> p) {
      return p[i] * p[(i + 1) % p.size()] + std::tanh(p[i]);
    };
    const std::vector<double> fd = slope::test::central_gradient(fi, x);
    for (std::size_t k = 0; k < x.size(); ++k) BOOST_TEST(slope::test::close(j(i, k), fd[k], {}));
  }
}

BOOST_AUTO_TEST_SUITE_END()
