// Box constraints: non-negative least squares meets its KKT conditions exactly (zeros are
// exact zeros), Rosenbrock stops on a bound, maximizing inside a box is minimizing the negation
// inside it, every first-order method stays inside, infinite bounds change nothing, bad bounds
// are refused with a message naming the component, and a start outside the box is projected.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "nnls_problems.hpp"

namespace slope {
// For Boost.Test's messages about per-component states.
std::ostream& operator<<(std::ostream& out, BoundState state) { return out << to_string(state); }
}  // namespace slope

namespace bdata = boost::unit_test::data;
using slope::BoundState;
using slope::Bounds;
using slope::Result;
using slope::Status;
using slope::Var;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double rosenbrock(std::span<const double> x, std::span<double> g) {
  const double r1 = 10.0 * (x[1] - x[0] * x[0]);
  const double r2 = 1.0 - x[0];
  g[0] = -40.0 * x[0] * r1 - 2.0 * r2;
  g[1] = 20.0 * r1;
  return r1 * r1 + r2 * r2;
}

double negated_rosenbrock(std::span<const double> x, std::span<double> g) {
  const double f = rosenbrock(x, g);
  for (double& gi : g) gi = -gi;
  return -f;
}

/// sum_i (i + 1) (x_i - target_i)^2 + 0.5 x_0 x_1: its minimum over a box pins the components
/// whose targets lie outside.
struct Quadratic {
  std::vector<double> target;
  double operator()(std::span<const double> x, std::span<double> g) const {
    double f = 0.5 * x[0] * x[1];
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double c = 1.0 + static_cast<double>(i);
      f += c * (x[i] - target[i]) * (x[i] - target[i]);
      g[i] = 2.0 * c * (x[i] - target[i]);
    }
    g[0] += 0.5 * x[1];
    g[1] += 0.5 * x[0];
    return f;
  }
};

bool inside(std::span<const double> x, const Bounds& box) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!box.lower.empty() && !(x[i] >= box.lower[i])) return false;
    if (!box.upper.empty() && !(x[i] <= box.upper[i])) return false;
  }
  return true;
}

/// Checks the KKT conditions of min f over x >= 0 at r.x: x >= 0; where x_i = 0 exactly, the
/// gradient does not point into the box (g_i >= -tol); elsewhere g_i ~ 0. With A of full column
/// rank the problem is strictly convex, so these conditions single out the solution.
void check_nnls_kkt(const slope::test::NnlsProblem& p, const Result& r, double tol) {
  std::vector<double> g(p.cols);
  p(r.x, g);
  std::size_t zeros = 0;
  for (std::size_t j = 0; j < p.cols; ++j) {
    BOOST_TEST_CONTEXT("component " << j << ": x = " << r.x[j] << ", g = " << g[j]) {
      BOOST_TEST(r.x[j] >= 0.0);
      if (r.x[j] == 0.0) {
        ++zeros;
        BOOST_TEST(g[j] >= -tol);
        BOOST_TEST((r.active_bounds[j] == BoundState::AtLower));
      } else {
        BOOST_TEST(std::fabs(g[j]) <= tol);
        BOOST_TEST((r.active_bounds[j] == BoundState::Free));
      }
    }
  }
  BOOST_TEST(zeros > 0U, "the problems are built to have active bounds");
  BOOST_TEST(zeros < p.cols);
}

/// Runs `method` on the quadratic inside [-1, 1]^4 (two targets outside), checking that every
/// point the objective sees is inside, and returns the result.
template <class M>
Result run_in_box(const M& method, const slope::StopOptions& options) {
  const Bounds box = Bounds::between(4, -1.0, 1.0);
  const Quadratic q{{3.0, 0.2, -2.0, -0.4}};
  bool stayed_inside = true;
  const auto watched = [&](std::span<const double> x, std::span<double> g) {
    stayed_inside = stayed_inside && inside(x, box);
    return q(x, g);
  };
  const Result r = slope::minimize(watched, {0.5, 0.5, 0.5, 0.5}, box, method, options);
  BOOST_TEST(stayed_inside);
  return r;
}

std::function<bool(const slope::ArgumentError&)> says(const std::string& text) {
  return [text](const slope::ArgumentError& e) {
    BOOST_TEST_INFO("message: " << e.what());
    return std::string(e.what()) == text;
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bounds)

BOOST_DATA_TEST_CASE(nnls_meets_its_kkt_conditions_with_exact_zeros, bdata::xrange(1, 9), seed) {
  const std::size_t cols = 5 + 3 * static_cast<std::size_t>(seed);
  const auto p = slope::test::nnls_problem(static_cast<std::uint64_t>(seed), 2 * cols + 5, cols);
  const Result r = slope::test::solve_nnls(p);
  BOOST_TEST_CONTEXT("seed " << seed << ": " << r.message) {
    BOOST_TEST(r.converged());
    BOOST_TEST(r.message.find("projected gradient norm") != std::string::npos);
    check_nnls_kkt(p, r, 1e-10);
  }
}

BOOST_AUTO_TEST_CASE(nnls_by_projected_gradient_descent_finds_the_same_zeros) {
  const auto p = slope::test::nnls_problem(3, 33, 14);
  const Result lbfgs = slope::test::solve_nnls(p);
  const Result descent = slope::minimize(p, std::vector<double>(14, 1.0), Bounds::at_least(14, 0.0),
                                         slope::GradientDescent{}, {.max_iterations = 20000, .gradient_tolerance = 1e-9});
  BOOST_TEST(descent.converged());
  BOOST_TEST(descent.active_bounds == lbfgs.active_bounds, boost::test_tools::per_element());
  for (std::size_t j = 0; j < 14; ++j) BOOST_TEST(descent.x[j] == lbfgs.x[j], boost::test_tools::tolerance(1e-7));
}

BOOST_AUTO_TEST_CASE(rosenbrock_with_x_at_most_one_half_stops_on_the_bound) {
  // For a fixed x the best y is x^2, leaving (1 - x)^2: the optimum over x <= 0.5 is (0.5, 0.25)
  // with f = 0.25, where df/dx = -1 pushes x through its bound.
  const Bounds box{{-kInf, -kInf}, {0.5, kInf}};
  const Result r = slope::minimize(rosenbrock, {-1.2, 1.0}, box);
  BOOST_TEST(r.converged());
  BOOST_TEST(r.x[0] == 0.5);  // exactly on the bound
  BOOST_TEST(r.x[1] == 0.25, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(r.value == 0.25, boost::test_tools::tolerance(1e-12));
  BOOST_TEST((r.active_bounds == std::vector<BoundState>{BoundState::AtUpper, BoundState::Free}));
  BOOST_TEST(r.gradient_norm <= 1e-6);
}

BOOST_AUTO_TEST_CASE(rosenbrock_with_the_unconstrained_minimum_inside_the_box_ignores_it) {
  const Result r = slope::minimize(rosenbrock, {-1.2, 1.0}, Bounds::between(2, -2.0, 2.0));
  BOOST_TEST(r.converged());
  BOOST_TEST(r.x[0] == 1.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(r.x[1] == 1.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST((r.active_bounds == std::vector<BoundState>(2, BoundState::Free)));
}

BOOST_AUTO_TEST_CASE(a_larger_bounded_problem_converges_with_a_full_memory) {
  // Extended Rosenbrock in 20 dimensions inside [-0.5, 0.8]: tens of iterations, so the pairs
  // are dropped as new ones come (memory 3). Its KKT conditions: a free component has g ~ 0,
  // one at its lower bound g >= 0, one at its upper bound g <= 0.
  const auto extended = [](std::span<const Var> x) {
    Var s = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); i += 2) s += 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
    return s;
  };
  std::vector<double> x0(20);
  for (std::size_t i = 0; i < x0.size(); ++i) x0[i] = i % 2 == 0 ? -0.3 : 0.7;
  const Bounds box = Bounds::between(20, -0.5, 0.8);
  for (const std::size_t memory : {std::size_t{1}, std::size_t{3}, std::size_t{8}}) {
    const Result r = slope::minimize(extended, x0, box, slope::Lbfgs{.memory = memory}, {.gradient_tolerance = 1e-9});
    BOOST_TEST_CONTEXT("memory " << memory << ": " << r.message) {
      BOOST_TEST(r.converged());
      const auto [value, g] = slope::value_and_gradient(extended, r.x);
      for (std::size_t i = 0; i < 20; ++i) {
        switch (r.active_bounds[i]) {
          case BoundState::Free: BOOST_TEST(std::fabs(g[i]) <= 1e-9); break;
          case BoundState::AtLower: BOOST_TEST(g[i] >= 0.0); break;
          case BoundState::AtUpper: BOOST_TEST(g[i] <= 0.0); break;
        }
      }
      // Each pair's optimum is (0.8, 0.64): x is pinned at 0.8, y is free.
      BOOST_TEST(r.x[0] == 0.8);
      BOOST_TEST(r.x[1] == 0.64, boost::test_tools::tolerance(1e-8));
    }
  }
}

BOOST_AUTO_TEST_CASE(maximizing_inside_a_box_runs_exactly_the_minimization_of_the_negation) {
  // Over x >= 1.2, y <= 1.2, f grows with x and falls with y: the optimum is the corner (1.2, 1.2).
  const Bounds box{{1.2, -kInf}, {kInf, 1.2}};
  std::vector<slope::TraceEntry> up, down;
  const Result max = slope::maximize(negated_rosenbrock, {2.0, 0.0}, box, slope::Lbfgs{}, {.trace = &up});
  const Result min = slope::minimize(rosenbrock, {2.0, 0.0}, box, slope::Lbfgs{}, {.trace = &down});
  BOOST_TEST(max.converged());
  BOOST_TEST(max.x == min.x, boost::test_tools::per_element());
  BOOST_TEST(max.value == -min.value);
  BOOST_TEST(max.active_bounds == min.active_bounds, boost::test_tools::per_element());
  BOOST_TEST(max.iterations == min.iterations);
  BOOST_TEST(max.evaluations == min.evaluations);
  BOOST_REQUIRE(up.size() == down.size());
  for (std::size_t k = 0; k < up.size(); ++k) {
    BOOST_TEST(up[k].x == down[k].x, boost::test_tools::per_element());
    BOOST_TEST(up[k].value == -down[k].value);
  }
  BOOST_TEST(min.x == (std::vector<double>{1.2, 1.2}), boost::test_tools::per_element());
  BOOST_TEST((min.active_bounds == std::vector<BoundState>{BoundState::AtLower, BoundState::AtUpper}));
}

BOOST_AUTO_TEST_CASE(every_method_maximizes_inside_a_box_as_it_minimizes_the_negation) {
  const Bounds box{{1.2, -kInf}, {kInf, 1.2}};
  const auto same = [&](const auto& method) {
    const slope::StopOptions options{.max_iterations = 300};
    const Result max = slope::maximize(negated_rosenbrock, {2.0, 0.0}, box, method, options);
    const Result min = slope::minimize(rosenbrock, {2.0, 0.0}, box, method, options);
    BOOST_TEST(max.x == min.x, boost::test_tools::per_element());
    BOOST_TEST(max.value == -min.value);
    BOOST_TEST(max.gradient_norm == min.gradient_norm);
    BOOST_TEST(max.active_bounds == min.active_bounds, boost::test_tools::per_element());
    BOOST_TEST(max.evaluations == min.evaluations);
  };
  same(slope::GradientDescent{});
  same(slope::GradientDescent{.step_size = 1e-3, .step_rule = slope::StepRule::Fixed});
  same(slope::Momentum{.step_size = 1e-4});
  same(slope::Adam{.step_size = 0.01});
  same(slope::AdaGrad{});
  same(slope::RmsProp{});
}

BOOST_AUTO_TEST_CASE(upper_bounds_when_maximizing_mirror_lower_bounds_when_minimizing_the_negation) {
  // Maximizing f(x) over x <= u is minimizing h(z) = -f(-z) over z >= -u, with x = -z.
  const Quadratic q{{3.0, 0.2, -2.0, 2.5}};
  const auto f = [&](std::span<const double> x, std::span<double> g) {  // concave: -q
    const double v = q(x, g);
    for (double& gi : g) gi = -gi;
    return -v;
  };
  const auto h = [&](std::span<const double> z, std::span<double> g) {
    std::vector<double> x(z.size());
    for (std::size_t i = 0; i < z.size(); ++i) x[i] = -z[i];
    const double v = q(x, g);  // h(z) = q(-z), dh/dz = -q'(-z)
    for (double& gi : g) gi = -gi;
    return v;
  };
  const std::vector<double> u{1.0, 1.0, 1.0, 2.0};
  const std::vector<double> minus_u{-1.0, -1.0, -1.0, -2.0};
  const Result max = slope::maximize(f, {0.0, 0.0, 0.0, 0.0}, Bounds{.upper = u});
  const Result min = slope::minimize(h, {0.0, 0.0, 0.0, 0.0}, Bounds{.lower = minus_u});
  BOOST_TEST(max.converged());
  BOOST_TEST(min.converged());
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(max.x[i] == -min.x[i], boost::test_tools::tolerance(1e-9));
  BOOST_TEST(max.value == -min.value, boost::test_tools::tolerance(1e-12));
  const std::vector<BoundState> upper{BoundState::AtUpper, BoundState::Free, BoundState::Free, BoundState::AtUpper};
  const std::vector<BoundState> lower{BoundState::AtLower, BoundState::Free, BoundState::Free, BoundState::AtLower};
  BOOST_TEST(max.active_bounds == upper, boost::test_tools::per_element());
  BOOST_TEST(min.active_bounds == lower, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(infinite_bounds_reproduce_the_unbounded_run_exactly) {
  const Bounds infinite{{-kInf, -kInf}, {kInf, kInf}};
  const auto same_run = [&](const auto& method) {
    std::vector<slope::TraceEntry> free_trace, boxed_trace, empty_trace;
    const Result free = slope::minimize(rosenbrock, {-1.2, 1.0}, method, {.max_iterations = 200, .trace = &free_trace});
    const Result boxed =
        slope::minimize(rosenbrock, {-1.2, 1.0}, infinite, method, {.max_iterations = 200, .trace = &boxed_trace});
    const Result empty =
        slope::minimize(rosenbrock, {-1.2, 1.0}, Bounds{}, method, {.max_iterations = 200, .trace = &empty_trace});
    for (const auto* other : {&boxed_trace, &empty_trace}) {
      BOOST_REQUIRE(other->size() == free_trace.size());
      for (std::size_t k = 0; k < free_trace.size(); ++k) {
        BOOST_TEST(other->at(k).x == free_trace[k].x, boost::test_tools::per_element());
        BOOST_TEST(other->at(k).value == free_trace[k].value);
        BOOST_TEST(other->at(k).gradient_norm == free_trace[k].gradient_norm);
      }
    }
    BOOST_TEST(boxed.x == free.x, boost::test_tools::per_element());
    BOOST_TEST(boxed.evaluations == free.evaluations);
    BOOST_TEST(boxed.message == free.message);
    BOOST_TEST((boxed.active_bounds == std::vector<BoundState>(2, BoundState::Free)));
  };
  same_run(slope::Lbfgs{});
  same_run(slope::GradientDescent{});
  same_run(slope::Momentum{.step_size = 1e-3});
  same_run(slope::Adam{.step_size = 1e-2});
  same_run(slope::AdaGrad{});
  same_run(slope::RmsProp{});
}

BOOST_AUTO_TEST_CASE(every_first_order_method_stays_in_the_box) {
  // The optimum over [-1, 1]^4 has x_0 = 1 (upper) and x_2 = -1 (lower) pinned; the free
  // components then minimize the rest: x_1 = 0.2 - 0.25 x_0 / 2 = 0.075, x_3 = -0.4.
  const std::vector<double> optimum{1.0, 0.075, -1.0, -0.4};
  const std::vector<BoundState> states{BoundState::AtUpper, BoundState::Free, BoundState::AtLower, BoundState::Free};
  const slope::StopOptions options{.max_iterations = 3000, .gradient_tolerance = 1e-9};
  const auto check = [&](const Result& r, double tol) {
    BOOST_TEST_CONTEXT(r.message) {
      BOOST_TEST(r.x[0] == 1.0);  // pinned components sit exactly on their bounds
      BOOST_TEST(r.x[2] == -1.0);
      BOOST_TEST(std::fabs(r.x[1] - optimum[1]) <= tol);
      BOOST_TEST(std::fabs(r.x[3] - optimum[3]) <= tol);
      BOOST_TEST(r.active_bounds == states, boost::test_tools::per_element());
    }
  };
  using slope::StepRule;
  check(run_in_box(slope::GradientDescent{}, options), 1e-8);
  check(run_in_box(slope::GradientDescent{.step_size = 0.05, .step_rule = StepRule::Fixed}, options), 1e-8);
  check(run_in_box(slope::Momentum{.step_size = 0.02}, options), 1e-8);
  check(run_in_box(slope::Momentum{.step_size = 0.02, .nesterov = true}, options), 1e-8);
  // The adaptive methods take steps of about step_size near the optimum, so they only get close.
  check(run_in_box(slope::Adam{.step_size = 0.01}, options), 0.02);
  check(run_in_box(slope::AdaGrad{.step_size = 0.5}, options), 1e-3);
  check(run_in_box(slope::RmsProp{.step_size = 0.001}, options), 0.01);
  check(run_in_box(slope::Lbfgs{}, options), 1e-9);
}

BOOST_AUTO_TEST_CASE(a_fixed_component_stays_where_it_is) {
  const Quadratic q{{3.0, 0.2, -2.0}};
  const Result r = slope::minimize(q, {0.0, 0.0, 0.0}, Bounds{{0.3, -kInf, -kInf}, {0.3, kInf, kInf}}, slope::Lbfgs{},
                                   {.gradient_tolerance = 1e-12});
  BOOST_TEST(r.converged());
  BOOST_TEST(r.x[0] == 0.3);
  BOOST_TEST(r.x[1] == 0.2 - 0.25 * 0.3 / 2.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.x[2] == -2.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST((r.active_bounds[0] == BoundState::AtLower));
}

BOOST_AUTO_TEST_CASE(a_start_outside_the_box_begins_at_its_projection) {
  const Bounds box = Bounds::between(2, -1.0, 0.5);
  const auto check = [&](const auto& method) {
    std::vector<slope::TraceEntry> trace;
    bool stayed_inside = true;
    const auto watched = [&](std::span<const double> x, std::span<double> g) {
      stayed_inside = stayed_inside && inside(x, box);
      return rosenbrock(x, g);
    };
    const Result r = slope::minimize(watched, {-3.0, 2.0}, box, method, {.max_iterations = 20000, .trace = &trace});
    BOOST_TEST(stayed_inside);
    BOOST_TEST(trace.front().x == (std::vector<double>{-1.0, 0.5}), boost::test_tools::per_element());
    BOOST_TEST(r.x[0] == 0.5);
    BOOST_TEST(r.x[1] == 0.25, boost::test_tools::tolerance(1e-3));
  };
  check(slope::Lbfgs{});
  check(slope::GradientDescent{});
  check(slope::Adam{.step_size = 0.01});
}

BOOST_AUTO_TEST_CASE(minibatch_steps_are_projected_too) {
  // NNLS as a sum over rows, by minibatch Adam: every point is inside, and the components that
  // the solution pins at zero end exactly there.
  const auto p = slope::test::nnls_problem(4, 40, 8);
  const Result exact = slope::test::solve_nnls(p);
  bool stayed_inside = true;
  const auto rows_sum = [&](std::span<const double> x, std::span<double> g, std::span<const std::size_t> rows) {
    stayed_inside = stayed_inside && std::all_of(x.begin(), x.end(), [](double v) { return v >= 0.0; });
    std::fill(g.begin(), g.end(), 0.0);
    double f = 0.0;
    for (const std::size_t i : rows) {
      double r = -p.b[i];
      for (std::size_t j = 0; j < p.cols; ++j) r += p.a[i * p.cols + j] * x[j];
      f += 0.5 * r * r;
      for (std::size_t j = 0; j < p.cols; ++j) g[j] += r * p.a[i * p.cols + j];
    }
    return f;
  };
  const Result r = slope::minimize_minibatch(rows_sum, p.rows, std::vector<double>(p.cols, 1.0),
                                             Bounds::at_least(p.cols, 0.0), slope::Adam{.step_size = 0.01},
                                             {.batch_size = 8, .seed = 3}, {.max_iterations = 400});
  BOOST_TEST(stayed_inside);
  BOOST_TEST(r.value == exact.value, boost::test_tools::tolerance(1e-3));
  for (std::size_t j = 0; j < p.cols; ++j) {
    if (exact.x[j] == 0.0) BOOST_TEST(r.x[j] == 0.0, "component " << j);
  }
}

BOOST_AUTO_TEST_CASE(bad_bounds_are_refused_naming_the_component) {
  const Quadratic q{{1.0, 1.0}};
  const std::vector<double> x0{0.0, 0.0};
  BOOST_CHECK_EXCEPTION(slope::minimize(q, x0, Bounds{{0.0, 2.0}, {1.0, 1.0}}), slope::ArgumentError,
                        says("Bounds: lower[1] = 2 > upper[1] = 1"));
  BOOST_CHECK_EXCEPTION(slope::minimize(q, x0, Bounds{.lower = {0.0}}), slope::ArgumentError,
                        says("Bounds: lower has 1 entries but x0 has 2 (give one per component, or none)"));
  BOOST_CHECK_EXCEPTION(slope::maximize(q, x0, Bounds{.upper = {0.0, 1.0, 2.0}}, slope::Adam{}), slope::ArgumentError,
                        says("Bounds: upper has 3 entries but x0 has 2 (give one per component, or none)"));
  BOOST_CHECK_EXCEPTION(slope::minimize(q, x0, Bounds{.lower = {0.0, std::nan("")}}, slope::GradientDescent{}),
                        slope::ArgumentError, says("Bounds: lower[1] is NaN"));
  BOOST_CHECK_EXCEPTION(slope::minimize(q, x0, Bounds{.upper = {std::nan(""), 0.0}}, slope::RmsProp{}),
                        slope::ArgumentError, says("Bounds: upper[0] is NaN"));
  BOOST_CHECK_EXCEPTION(slope::minimize(q, x0, Bounds{.lower = {kInf, 0.0}}, slope::Momentum{}), slope::ArgumentError,
                        says("Bounds: lower[0] is +inf, so no value is feasible"));
  BOOST_CHECK_EXCEPTION(slope::minimize(q, x0, Bounds{.upper = {0.0, -kInf}}, slope::AdaGrad{}), slope::ArgumentError,
                        says("Bounds: upper[1] is -inf, so no value is feasible"));
  BOOST_CHECK_NO_THROW(slope::validate(Bounds::between(2, 1.0, 1.0), 2));  // lower == upper fixes a component
}

BOOST_AUTO_TEST_CASE(broadcast_helpers_and_state_words) {
  BOOST_TEST(Bounds::at_least(3, 0.0).lower == (std::vector<double>{0.0, 0.0, 0.0}), boost::test_tools::per_element());
  BOOST_TEST(Bounds::at_least(3, 0.0).upper.empty());
  BOOST_TEST(Bounds::at_most(2, 1.0).upper == (std::vector<double>{1.0, 1.0}), boost::test_tools::per_element());
  BOOST_TEST(Bounds::at_most(2, 1.0).lower.empty());
  const Bounds both = Bounds::between(2, -1.0, 1.0);
  BOOST_TEST(both.lower == (std::vector<double>{-1.0, -1.0}), boost::test_tools::per_element());
  BOOST_TEST(both.upper == (std::vector<double>{1.0, 1.0}), boost::test_tools::per_element());
  BOOST_TEST(Bounds{}.unbounded());
  BOOST_TEST(Bounds::between(2, -kInf, kInf).unbounded());
  BOOST_TEST(!both.unbounded());
  BOOST_TEST(slope::to_string(BoundState::Free) == "free");
  BOOST_TEST(slope::to_string(BoundState::AtLower) == "at_lower");
  BOOST_TEST(slope::to_string(BoundState::AtUpper) == "at_upper");
}

BOOST_AUTO_TEST_CASE(a_taped_objective_takes_bounds_too) {
  const auto f = [](std::span<const Var> x) { return square(x[0] - 2.0) + square(x[1] + 3.0); };
  const Result r = slope::minimize(f, {0.0, 0.0}, Bounds::between(2, -1.0, 1.0));
  BOOST_TEST(r.converged());
  BOOST_TEST(r.x == (std::vector<double>{1.0, -1.0}), boost::test_tools::per_element());
  BOOST_TEST(r.iterations <= 2U);
}

BOOST_AUTO_TEST_SUITE_END()
