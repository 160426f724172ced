// AdaGrad and RMSProp: their first step is the documented formula, and they reduce an objective
// to its minimum (full batch); their options are validated with messages naming the field.
#include <boost/test/unit_test.hpp>

#include <slope/optim.hpp>

#include <cmath>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

using slope::Result;

namespace {

/// sum_i (i + 1) (x_i - 1)^2.
double quadratic(std::span<const double> x, std::span<double> g) {
  double f = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double c = 1.0 + static_cast<double>(i);
    f += c * (x[i] - 1.0) * (x[i] - 1.0);
    g[i] = 2.0 * c * (x[i] - 1.0);
  }
  return f;
}

double rosenbrock(std::span<const double> x, std::span<double> g) {
  const double r1 = 10.0 * (x[1] - x[0] * x[0]);
  const double r2 = 1.0 - x[0];
  g[0] = -40.0 * x[0] * r1 - 2.0 * r2;
  g[1] = 20.0 * r1;
  return r1 * r1 + r2 * r2;
}

/// x after one iteration of `method` from x0.
template <class M>
std::vector<double> first_step(const M& method, const std::vector<double>& x0) {
  std::vector<slope::TraceEntry> trace;
  slope::minimize(quadratic, x0, method, {.max_iterations = 1, .trace = &trace});
  return trace.at(1).x;
}

bool names(const slope::ArgumentError& e, const std::string& field) {
  return std::string(e.what()).find(field) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adaptive)

BOOST_AUTO_TEST_CASE(adagrad_first_step_is_step_size_times_the_sign_of_g) {
  // G = g^2 after one step, so x1 = x0 - step g / (|g| + epsilon): about step_size per component.
  const std::vector<double> x0{3.0, -2.0, 0.5};
  const slope::AdaGrad method{.step_size = 0.3, .epsilon = 1e-8};
  const std::vector<double> x1 = first_step(method, x0);
  std::vector<double> g(3);
  quadratic(x0, g);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(x1[i] == x0[i] - 0.3 * g[i] / (std::fabs(g[i]) + 1e-8), boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(adagrad_converges_on_a_quadratic) {
  std::vector<slope::TraceEntry> trace;
  const Result r = slope::minimize(quadratic, {3.0, -2.0, 0.5}, slope::AdaGrad{.step_size = 0.5},
                                   {.max_iterations = 5000, .gradient_tolerance = 1e-8, .trace = &trace});
  BOOST_TEST(r.converged());
  for (const double xi : r.x) BOOST_TEST(xi == 1.0, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(r.value < 1e-15);
  // Its steps only shrink as G grows, so on this separable bowl it never overshoots far: every
  // value is below the start's.
  for (std::size_t k = 1; k < trace.size(); ++k) BOOST_TEST(trace[k].value < trace.front().value);
}

BOOST_AUTO_TEST_CASE(adagrad_maximizes_the_negation_to_the_same_point) {
  const auto negated = [](std::span<const double> x, std::span<double> g) {
    const double f = quadratic(x, g);
    for (double& gi : g) gi = -gi;
    return -f;
  };
  const slope::StopOptions options{.max_iterations = 300};
  const Result down = slope::minimize(quadratic, {3.0, -2.0, 0.5}, slope::AdaGrad{}, options);
  const Result up = slope::maximize(negated, {3.0, -2.0, 0.5}, slope::AdaGrad{}, options);
  BOOST_TEST(up.x == down.x, boost::test_tools::per_element());
  BOOST_TEST(up.value == -down.value);
}

BOOST_AUTO_TEST_CASE(rmsprop_first_step_is_the_documented_formula) {
  // v = (1 - decay) g^2 after one step: x1 = x0 - step g / (sqrt(v) + epsilon).
  const std::vector<double> x0{3.0, -2.0, 0.5};
  const slope::RmsProp method{.step_size = 0.01, .decay = 0.9, .epsilon = 1e-8};
  const std::vector<double> x1 = first_step(method, x0);
  std::vector<double> g(3);
  quadratic(x0, g);
  for (std::size_t i = 0; i < 3; ++i) {
    const double v = (1.0 - 0.9) * g[i] * g[i];
    BOOST_TEST(x1[i] == x0[i] - 0.01 * g[i] / (std::sqrt(v) + 1e-8), boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(rmsprop_reduces_rosenbrock_towards_its_minimum) {
  std::vector<slope::TraceEntry> trace;
  const Result r = slope::minimize(rosenbrock, {-1.2, 1.0}, slope::RmsProp{.step_size = 1e-3},
                                   {.max_iterations = 5000, .trace = &trace});
  BOOST_TEST(r.value < 1e-3 * trace.front().value);  // from 24.2
  BOOST_TEST(r.x[0] == 1.0, boost::test_tools::tolerance(0.02));
  BOOST_TEST(r.x[1] == 1.0, boost::test_tools::tolerance(0.04));
  // The best value over the run only goes down, and the result is the best point seen.
  double best = trace.front().value;
  for (const slope::TraceEntry& e : trace) best = std::min(best, e.value);
  BOOST_TEST(r.value == best);
}

BOOST_AUTO_TEST_CASE(rmsprop_converges_on_a_quadratic) {
  const Result r = slope::minimize(quadratic, {3.0, -2.0, 0.5}, slope::RmsProp{.step_size = 1e-2},
                                   {.max_iterations = 2000});
  BOOST_TEST(r.converged());
  BOOST_TEST(r.value < 1e-11);
}

BOOST_AUTO_TEST_CASE(invalid_adaptive_options_name_the_field) {
  const std::vector<double> x0{1.0};
  const auto check = [&](const auto& method, const std::string& field) {
    BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, x0, method), slope::ArgumentError,
                          [&](const slope::ArgumentError& e) { return names(e, field); });
  };
  check(slope::AdaGrad{.step_size = 0.0}, "AdaGrad: step_size");
  check(slope::AdaGrad{.epsilon = 0.0}, "AdaGrad: epsilon");
  check(slope::RmsProp{.step_size = -1.0}, "RmsProp: step_size");
  check(slope::RmsProp{.decay = 1.0}, "RmsProp: decay");
  check(slope::RmsProp{.epsilon = -1.0}, "RmsProp: epsilon");
}

BOOST_AUTO_TEST_SUITE_END()
