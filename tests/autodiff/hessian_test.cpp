// Second order on slope::Function: Hessian-vector products and dense Hessians against
// hand-derived Hessians (Rosenbrock, a quadratic form, log_sum_exp, products, every unary
// operation's second derivative) and against central differences of the replayed gradient;
// trigamma against exact values.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <vector>

#include "support/finite_difference.hpp"
#include "support/random_tree.hpp"

namespace bdata = boost::unit_test::data;
using slope::Function;
using slope::ReplayStatus;
using slope::Var;
using slope::test::close;
using slope::test::Tolerance;

namespace hessian_test {

constexpr Tolerance kHand{1e-12, 1e-12};

/// The dense Hessian of fn at x.
std::vector<double> hessian_at(const Function& fn, const std::vector<double>& x) {
  std::vector<double> h(x.size() * x.size());
  BOOST_REQUIRE((fn.hessian(x, h) == ReplayStatus::Ok));
  return h;
}

/// Central differences of the replayed gradient: column j is (g(x + h e_j) - g(x - h e_j)) / 2h.
std::vector<double> hessian_by_differences(const Function& fn, const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::vector<double> h(n * n), up(n), down(n), point = x;
  for (std::size_t j = 0; j < n; ++j) {
    const double step = slope::test::central_step(x[j]);
    point[j] = x[j] + step;
    static_cast<void>(fn.gradient(point, up));
    point[j] = x[j] - step;
    static_cast<void>(fn.gradient(point, down));
    point[j] = x[j];
    for (std::size_t i = 0; i < n; ++i) h[i * n + j] = (up[i] - down[i]) / (2.0 * step);
  }
  return h;
}

void check_matrix(const std::vector<double>& got, const std::vector<double>& want, Tolerance tol) {
  BOOST_REQUIRE(got.size() == want.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    BOOST_TEST(close(got[k], want[k], tol), "entry " << k << ": " << got[k] << " vs " << want[k]);
  }
}

}  // namespace hessian_test

using hessian_test::check_matrix;
using hessian_test::hessian_at;
using hessian_test::hessian_by_differences;
using hessian_test::kHand;

BOOST_AUTO_TEST_SUITE(hessians)

BOOST_AUTO_TEST_CASE(rosenbrock_hessian_matches_the_hand_derived_one) {
  const Function fn = Function::record(
      [](std::span<const Var> x) {
        const Var t1 = x[1] - x[0] * x[0];
        const Var t2 = 1.0 - x[0];
        return 100.0 * t1 * t1 + t2 * t2;
      },
      std::vector<double>{-1.2, 1.0});
  for (const auto& [a, b] : {std::pair{-1.2, 1.0}, std::pair{1.0, 1.0}, std::pair{0.3, -2.0}}) {
    const std::vector<double> want{1200.0 * a * a - 400.0 * b + 2.0, -400.0 * a, -400.0 * a, 200.0};
    check_matrix(hessian_at(fn, {a, b}), want, kHand);
    std::vector<double> hv(2);
    BOOST_TEST((fn.hessian_vector_product(std::vector<double>{a, b}, std::vector<double>{0.5, -2.0}, hv) ==
                ReplayStatus::Ok));
    BOOST_TEST(close(hv[0], 0.5 * want[0] - 2.0 * want[1], kHand));
    BOOST_TEST(close(hv[1], 0.5 * want[2] - 2.0 * want[3], kHand));
  }
}

BOOST_AUTO_TEST_CASE(a_quadratic_form_has_its_matrix_as_hessian) {
  const std::vector<double> a{4.0, 1.0, -2.0, 1.0, 3.0, 0.5, -2.0, 0.5, 5.0};
  const Function fn = Function::record(
      [&a](std::span<const Var> x) {
        Var f = 0.0;
        for (std::size_t i = 0; i < 3; ++i) {
          for (std::size_t j = 0; j < 3; ++j) f += 0.5 * a[i * 3 + j] * x[i] * x[j];
        }
        return f + 2.0 * x[0] - x[2];
      },
      std::vector<double>{0.1, 0.2, 0.3});
  check_matrix(hessian_at(fn, {1.0, -3.0, 2.5}), a, kHand);
}

BOOST_AUTO_TEST_CASE(log_sum_exp_hessian_is_diag_w_minus_w_w_transposed) {
  const auto check = [](const Function& fn, const std::vector<double>& x) {
    double m = x[0];
    for (const double xi : x) m = std::max(m, xi);
    double s = 0.0;
    for (const double xi : x) s += std::exp(xi - m);
    const std::size_t n = x.size();
    std::vector<double> want(n * n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        const double wi = std::exp(x[i] - m) / s, wj = std::exp(x[j] - m) / s;
        want[i * n + j] = (i == j ? wi : 0.0) - wi * wj;
      }
    }
    check_matrix(hessian_at(fn, x), want, kHand);
  };
  const Function range = Function::record([](std::span<const Var> x) { return slope::log_sum_exp(x); },
                                          std::vector<double>{0.1, 0.2, 0.3, 0.4});
  check(range, {0.3, -1.0, 2.0, 0.7});
  const Function pair = Function::record([](std::span<const Var> x) { return log_sum_exp(x[0], x[1]); },
                                         std::vector<double>{0.1, 0.2});
  check(pair, {1.5, -0.25});
}

BOOST_AUTO_TEST_CASE(products_and_fma) {
  const Function fn = Function::record([](std::span<const Var> x) { return x[0] * x[1] * x[2] + fma(x[0], x[0], x[2]); },
                                       std::vector<double>{1.0, 2.0, 3.0});
  const double a = 0.5, b = -1.5, c = 2.0;
  const std::vector<double> want{2.0, c, b, c, 0.0, a, b, a, 0.0};  // x0 x1 x2 + x0^2 + x2
  check_matrix(hessian_at(fn, {a, b, c}), want, kHand);
}

/// f(x) = op(x): the replayed second derivative against the hand-derived one.
struct UnaryCase {
  const char* name;
  std::function<Var(const Var&)> op;
  std::function<double(double)> second;  // d^2/dx^2 op(x), by hand
  std::vector<double> points;
};

BOOST_AUTO_TEST_CASE(every_unary_operation_has_its_second_derivative) {
  const double ln2 = std::numbers::ln2, ln10 = std::numbers::ln10, pi = std::numbers::pi;
  const auto sig = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  const std::vector<UnaryCase> cases{
      {"neg", [](const Var& x) { return -x; }, [](double) { return 0.0; }, {-1.0, 2.0}},
      {"square", [](const Var& x) { return square(x); }, [](double) { return 2.0; }, {-1.0, 2.0}},
      {"exp", [](const Var& x) { return exp(x); }, [](double x) { return std::exp(x); }, {-1.0, 0.5, 2.0}},
      {"exp2", [](const Var& x) { return exp2(x); }, [&](double x) { return ln2 * ln2 * std::exp2(x); }, {-1.0, 1.5}},
      {"expm1", [](const Var& x) { return expm1(x); }, [](double x) { return std::exp(x); }, {-1.0, 1e-3, 1.5}},
      {"log", [](const Var& x) { return log(x); }, [](double x) { return -1.0 / (x * x); }, {0.3, 1.0, 7.0}},
      {"log2", [](const Var& x) { return log2(x); }, [&](double x) { return -1.0 / (x * x * ln2); }, {0.3, 7.0}},
      {"log10", [](const Var& x) { return log10(x); }, [&](double x) { return -1.0 / (x * x * ln10); }, {0.3, 7.0}},
      {"log1p", [](const Var& x) { return log1p(x); }, [](double x) { return -1.0 / ((1 + x) * (1 + x)); }, {-0.5, 2.0}},
      {"sqrt", [](const Var& x) { return sqrt(x); }, [](double x) { return -0.25 / (x * std::sqrt(x)); }, {0.3, 4.0}},
      {"cbrt", [](const Var& x) { return cbrt(x); }, [](double x) { return -2.0 / (9.0 * x * std::cbrt(x * x)); }, {-2.0, 0.3, 8.0}},
      {"sin", [](const Var& x) { return sin(x); }, [](double x) { return -std::sin(x); }, {-1.0, 0.5, 3.0}},
      {"cos", [](const Var& x) { return cos(x); }, [](double x) { return -std::cos(x); }, {-1.0, 0.5, 3.0}},
      {"tan", [](const Var& x) { return tan(x); }, [](double x) { const double t = std::tan(x); return 2.0 * t * (1.0 + t * t); }, {-1.0, 0.5}},
      {"asin", [](const Var& x) { return asin(x); }, [](double x) { return x / std::pow(1.0 - x * x, 1.5); }, {-0.7, 0.2}},
      {"acos", [](const Var& x) { return acos(x); }, [](double x) { return -x / std::pow(1.0 - x * x, 1.5); }, {-0.7, 0.2}},
      {"atan", [](const Var& x) { return atan(x); }, [](double x) { return -2.0 * x / ((1 + x * x) * (1 + x * x)); }, {-2.0, 0.5}},
      {"sinh", [](const Var& x) { return sinh(x); }, [](double x) { return std::sinh(x); }, {-1.0, 2.0}},
      {"cosh", [](const Var& x) { return cosh(x); }, [](double x) { return std::cosh(x); }, {-1.0, 2.0}},
      {"tanh", [](const Var& x) { return tanh(x); }, [](double x) { const double t = std::tanh(x); return -2.0 * t * (1.0 - t * t); }, {-1.0, 0.5}},
      {"asinh", [](const Var& x) { return asinh(x); }, [](double x) { return -x / std::pow(x * x + 1.0, 1.5); }, {-1.0, 3.0}},
      {"acosh", [](const Var& x) { return acosh(x); }, [](double x) { return -x / std::pow(x * x - 1.0, 1.5); }, {1.5, 4.0}},
      {"atanh", [](const Var& x) { return atanh(x); }, [](double x) { return 2.0 * x / ((1 - x * x) * (1 - x * x)); }, {-0.6, 0.3}},
      {"abs", [](const Var& x) { return abs(x); }, [](double) { return 0.0; }, {-1.0, 2.0}},
      {"erf", [](const Var& x) { return erf(x); }, [&](double x) { return -4.0 * x / std::sqrt(pi) * std::exp(-x * x); }, {-1.0, 0.5}},
      {"erfc", [](const Var& x) { return erfc(x); }, [&](double x) { return 4.0 * x / std::sqrt(pi) * std::exp(-x * x); }, {-1.0, 0.5}},
      {"lgamma", [](const Var& x) { return lgamma(x); }, [](double x) { return slope::trigamma(x); }, {0.25, 1.0, 3.5, 12.0}},
      {"tgamma", [](const Var& x) { return tgamma(x); },
       [](double x) { const double p = slope::digamma(x); return std::tgamma(x) * (p * p + slope::trigamma(x)); }, {0.5, 2.5, 4.0}},
      {"sigmoid", [](const Var& x) { return sigmoid(x); }, [&](double x) { const double s = sig(x); return s * (1 - s) * (1 - 2 * s); }, {-3.0, 0.5, 2.0}},
      {"log_sigmoid", [](const Var& x) { return log_sigmoid(x); }, [&](double x) { const double s = sig(x); return -s * (1 - s); }, {-3.0, 0.5, 2.0}},
      {"softplus", [](const Var& x) { return softplus(x); }, [&](double x) { const double s = sig(x); return s * (1 - s); }, {-3.0, 0.5, 2.0}},
  };
  for (const UnaryCase& c : cases) {
    const Function fn = Function::record([&c](std::span<const Var> x) { return c.op(x[0]); }, std::vector<double>{c.points[0]});
    for (const double x : c.points) {
      std::vector<double> h(1);
      BOOST_TEST((fn.hessian(std::vector<double>{x}, h) == ReplayStatus::Ok));
      BOOST_TEST(close(h[0], c.second(x), Tolerance{1e-11, 1e-13}), c.name << "''(" << x << "): " << h[0] << " vs " << c.second(x));
    }
  }
}

BOOST_AUTO_TEST_CASE(binary_operations_match_differences_of_the_gradient) {
  const Function fn = Function::record(
      [](std::span<const Var> x) {
        return pow(x[0], x[1]) + hypot(x[0], x[1]) + atan2(x[1], x[0]) + x[0] / x[1] + pow(x[1], 3) +
               pow(2.0, x[0]) + fmax(x[0], x[1]) * fmin(x[0], 2.0);
      },
      std::vector<double>{1.5, 0.7});
  for (const std::vector<double>& x : {std::vector<double>{1.5, 0.7}, std::vector<double>{0.8, 1.3}}) {
    check_matrix(hessian_at(fn, x), hessian_by_differences(fn, x), Tolerance{1e-6, 1e-7});
  }
}

BOOST_DATA_TEST_CASE(random_trees_match_differences_of_the_gradient, bdata::xrange(120), seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 104729 + 3);
  const int inputs = 1 + seed % 4;
  const std::shared_ptr<random_trees::Node> tree = random_trees::grow(rng, 2 + seed % 4, inputs);
  std::uniform_real_distribution<double> draw(-1.2, 1.2);
  std::vector<double> x(static_cast<std::size_t>(inputs));
  for (double& xi : x) xi = draw(rng);
  const Function fn = Function::record([tree](auto xs) { return random_trees::evaluate(*tree, xs); }, x);
  const std::vector<double> h = hessian_at(fn, x);
  check_matrix(h, hessian_by_differences(fn, x), Tolerance{1e-5, 1e-6});
  // Symmetric, as a Hessian of a smooth function must be.
  const std::size_t n = x.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) BOOST_TEST(close(h[i * n + j], h[j * n + i], Tolerance{1e-10, 1e-12}));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(trigamma_function)

BOOST_AUTO_TEST_CASE(trigamma_matches_exact_values) {
  const double pi2 = std::numbers::pi * std::numbers::pi;
  const double catalan = 0.915965594177219015054603514932;
  const Tolerance tight{4e-15, 0.0};
  BOOST_TEST(close(slope::trigamma(1.0), pi2 / 6.0, tight));
  BOOST_TEST(close(slope::trigamma(0.5), pi2 / 2.0, tight));
  BOOST_TEST(close(slope::trigamma(2.0), pi2 / 6.0 - 1.0, tight));
  BOOST_TEST(close(slope::trigamma(0.25), pi2 + 8.0 * catalan, tight));
  BOOST_TEST(close(slope::trigamma(0.75), pi2 - 8.0 * catalan, tight));
  BOOST_TEST(close(slope::trigamma(-0.5), pi2 / 2.0 + 4.0, tight));  // reflection: pi^2 - psi'(1.5)
  BOOST_TEST(std::isnan(slope::trigamma(0.0)));
  BOOST_TEST(std::isnan(slope::trigamma(-3.0)));
  // Across the switch to the asymptotic series: psi'(x) - psi'(x + 1) = 1/x^2.
  for (const double x : {9.25, 9.999, 10.5, 40.0}) {  // larger x: the difference cancels
    BOOST_TEST(close(slope::trigamma(x) - slope::trigamma(x + 1.0), 1.0 / (x * x), Tolerance{1e-13, 0.0}), "at " << x);
  }
  BOOST_TEST(close(slope::trigamma(1e8), 1e-8 + 0.5e-16, Tolerance{1e-15, 0.0}));
}

BOOST_AUTO_TEST_CASE(trigamma_is_the_derivative_of_digamma) {
  for (const double x : {-2.5, -0.3, 0.2, 1.46, 3.0, 9.9, 10.1, 55.0}) {
    const double fd = slope::test::central_difference([](double t) { return slope::digamma(t); }, x);
    BOOST_TEST(close(slope::trigamma(x), fd, Tolerance{1e-8, 1e-9}), "at " << x);
  }
}

BOOST_AUTO_TEST_SUITE_END()
