// Moré, Garbow & Hillstrom problems: taped gradients, every method from the standard starts, maximize(-f) == minimize(f).
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mgh_problems.hpp"
#include "support/check_derivative.hpp"

namespace bdata = boost::unit_test::data;
using slope::Result;
using slope::Status;
using slope::Var;
using slope::test::mgh::Minimum;
using slope::test::mgh::Problem;

namespace {

double distance(std::span<const double> a, std::span<const double> b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

bool value_within(const Minimum& m, double value) { return std::fabs(value - m.value) <= m.value_tolerance; }

bool point_within(const Minimum& m, std::span<const double> x) {
  return m.x.empty() || distance(x, m.x) <= m.x_tolerance;
}

/// The first known minimum that r is within tolerance of, or else the one nearest in value
/// (so that the failed checks name the minimum the run was closest to).
const Minimum& nearest_minimum(const Problem& p, const Result& r) {
  for (const Minimum& m : p.minima) {
    if (value_within(m, r.value) && point_within(m, r.x)) return m;
  }
  return *std::min_element(p.minima.begin(), p.minima.end(), [&](const Minimum& a, const Minimum& b) {
    return std::fabs(r.value - a.value) < std::fabs(r.value - b.value);
  });
}

std::string describe(const Result& r) {
  return fmt::format("{} ({}) after {} iterations, {} evaluations: f = {:.17g}, |g| = {:.3g}, x = ({:.17g})",
                     slope::to_string(r.status), r.message, r.iterations, r.evaluations, r.value, r.gradient_norm,
                     fmt::join(r.x, ", "));
}

/// Checks that r converged to a known minimum of p, within the tolerances of mgh::Minimum.
void check_reaches_a_minimum(const Problem& p, const Result& r) {
  const Minimum& m = nearest_minimum(p, r);
  BOOST_TEST_CONTEXT(p << ": " << describe(r)) {
    BOOST_TEST((r.status == Status::Converged));
    BOOST_TEST(value_within(m, r.value),
               "f = " << r.value << ", the " << m.kind << " minimum is " << m.value << " +- " << m.value_tolerance);
    if (!m.x.empty()) {
      BOOST_TEST(point_within(m, r.x), "|x - x*| = " << distance(r.x, m.x) << " > " << m.x_tolerance);
    }
  }
}

/// A second point for the gradient check: the start moved by a quarter of its scale, in
/// alternating directions.
std::vector<double> moved(std::vector<double> x) {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += (i % 2 == 0 ? 0.25 : -0.25) * (1.0 + std::fabs(x[i]));
  return x;
}

/// The default tolerance, with the absolute part raised to the rounding error of a central
/// difference, about eps |f| / h with h >= cbrt(eps) (times 10: f sums up to 20 rounded
/// terms). It matters only where f is huge: Brown badly scaled (#4) has f = 1e12 at its start,
/// where a difference resolves a derivative to +-400 at best.
slope::test::Tolerance finite_difference_tolerance(const Problem& p, std::span<const double> x) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  return {.rtol = 1e-6, .atol = 1e-8 + 10.0 * eps / std::cbrt(eps) * std::fabs(p.value(x))};
}

const Problem& problem_number(int number) {
  const auto& all = slope::test::mgh::problems();
  return *std::find_if(all.begin(), all.end(), [number](const Problem& p) { return p.number == number; });
}

/// Rosenbrock (#1) with its gradient by hand, 2 J^T r over the residuals r1, r2.
double rosenbrock_by_hand(std::span<const double> x, std::span<double> g) {
  const double r1 = 10.0 * (x[1] - x[0] * x[0]);
  const double r2 = 1.0 - x[0];
  g[0] = -40.0 * x[0] * r1 - 2.0 * r2;
  g[1] = 20.0 * r1;
  return r1 * r1 + r2 * r2;
}

/// Limits for the first-order methods, which run to the default gradient tolerance too:
/// plain gradient descent needs ~15000 iterations and ~23000 evaluations on Rosenbrock.
const slope::StopOptions kPatient{.max_iterations = 100000, .max_evaluations = 200000};

/// Rosenbrock, Beale, helical valley and Wood, with a fixed step for (Nesterov) momentum 0.9.
/// On a quadratic, heavy ball is stable for step < 2 (1 + mu) / lambda_max and Nesterov for
/// step < 2 (1 + mu) / ((1 + 2 mu) lambda_max). 1e-3 is below both at the minima of the first
/// three (lambda_max <= 1002, Nesterov's limit 1.36e-3); 2e-3 makes Nesterov cycle near
/// Rosenbrock's minimum. Wood starts where lambda_max = 1.1e4 (heavy-ball limit 3.4e-4, and
/// 3e-4 diverges), so it gets 1e-4.
struct EasyProblem {
  int number;
  double momentum_step;
};
const std::vector<EasyProblem> kEasy{{1, 1e-3}, {5, 1e-3}, {7, 1e-3}, {14, 1e-4}};

std::ostream& operator<<(std::ostream& out, const EasyProblem& e) { return out << problem_number(e.number); }

/// Runs `method` on the problem from its start with the raised limits and checks the result.
template <class M>
void check_first_order(const EasyProblem& easy, const M& method) {
  const Problem& p = problem_number(easy.number);
  const Result r = slope::minimize(p, p.x0, method, kPatient);
  check_reaches_a_minimum(p, r);
  BOOST_TEST_MESSAGE(p << ": " << r.iterations << " iterations, " << r.evaluations << " evaluations");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mgh)

BOOST_DATA_TEST_CASE(taped_gradient_matches_finite_differences, bdata::make(slope::test::mgh::problems()), problem) {
  for (const std::vector<double>& x : {problem.x0, moved(problem.x0)}) {
    slope::test::check_gradient(problem, x, std::nullopt, finite_difference_tolerance(problem, x));
  }
}

BOOST_AUTO_TEST_CASE(helical_valley_theta_is_the_papers_piecewise_arctangent) {
  // MGH's theta: atan(x2 / x1) / 2pi for x1 > 0, plus 1/2 for x1 < 0.
  const auto paper = [](std::span<const double> x) {
    const double theta = std::atan(x[1] / x[0]) / (2.0 * std::numbers::pi) + (x[0] < 0.0 ? 0.5 : 0.0);
    const double r = std::sqrt(x[0] * x[0] + x[1] * x[1]);
    return 100.0 * (x[2] - 10.0 * theta) * (x[2] - 10.0 * theta) + 100.0 * (r - 1.0) * (r - 1.0) + x[2] * x[2];
  };
  for (const std::vector<double>& x : {std::vector<double>{-1.0, 0.0, 0.0}, std::vector<double>{1.0, 0.0, 0.0},
                                       std::vector<double>{0.5, 2.0, 1.0}, std::vector<double>{-0.3, -2.0, 3.0},
                                       std::vector<double>{2.0, -0.1, -1.0}, std::vector<double>{-1.0, 1e-3, 0.5}}) {
    BOOST_TEST(slope::test::close(slope::test::mgh::helical_valley<double>(x), paper(x), {.rtol = 1e-12, .atol = 1e-12}),
               "at (" << fmt::format("{}", fmt::join(x, ", ")) << ")");
  }
}

BOOST_AUTO_TEST_CASE(hand_written_rosenbrock_gradient_matches_the_tape) {
  for (const std::vector<double>& x : {std::vector<double>{-1.2, 1.0}, std::vector<double>{0.3, -0.7}}) {
    std::vector<double> g(2);
    const double value = rosenbrock_by_hand(x, g);
    BOOST_TEST(value == slope::test::mgh::rosenbrock<double>(x));
    slope::test::check_gradient(problem_number(1), x, g);
  }
}

BOOST_DATA_TEST_CASE(lbfgs_with_defaults_reaches_a_known_minimum_from_the_standard_start,
                     bdata::make(slope::test::mgh::problems()), problem) {
  const Result r = slope::minimize(problem, problem.x0);
  check_reaches_a_minimum(problem, r);
  BOOST_TEST_MESSAGE(problem << ": minimum reached: " << nearest_minimum(problem, r).kind << ", f = " << r.value);
}

BOOST_DATA_TEST_CASE(maximizing_the_negated_problem_retraces_the_minimization,
                     bdata::make(slope::test::mgh::problems()), problem) {
  const auto negated = [&problem](std::span<const Var> x) { return -problem.taped(x); };
  const Result down = slope::minimize(problem, problem.x0);
  const Result up = slope::maximize(negated, problem.x0);
  BOOST_TEST_CONTEXT(problem << ": minimize " << describe(down) << "; maximize " << describe(up)) {
    BOOST_TEST((up.status == down.status));
    BOOST_TEST((up.criterion == down.criterion));
    BOOST_TEST((up.sense == slope::Sense::Maximize));
    BOOST_TEST(up.iterations == down.iterations);
    BOOST_TEST(up.evaluations == down.evaluations);
    BOOST_TEST(up.value == -down.value);
    const Minimum& m = nearest_minimum(problem, down);
    BOOST_TEST(std::fabs(up.value + m.value) <= m.value_tolerance, "f = " << up.value << ", expected " << -m.value);
    BOOST_TEST(up.gradient_norm == down.gradient_norm);
    BOOST_REQUIRE(up.x.size() == down.x.size());
    for (std::size_t i = 0; i < up.x.size(); ++i) {
      BOOST_TEST(slope::test::close(up.x[i], down.x[i], {.rtol = 1e-10, .atol = 1e-14}), "x" << i);
    }
  }
}

// The hand-written gradient rounds differently from the tape's chain rule, in the last bit or
// two. Rosenbrock's valley amplifies that mid-run (the iterates part by up to ~1e-8), but both
// runs take the same number of steps and end at the same point.
BOOST_AUTO_TEST_CASE(a_hand_written_gradient_gives_the_taped_lbfgs_run) {
  const Problem& p = problem_number(1);
  const Result taped = slope::minimize(p, p.x0);
  const Result by_hand = slope::minimize(rosenbrock_by_hand, p.x0);
  BOOST_TEST_CONTEXT("taped " << describe(taped) << "; by hand " << describe(by_hand)) {
    BOOST_TEST(by_hand.converged());
    BOOST_TEST(by_hand.iterations == taped.iterations);
    BOOST_TEST(by_hand.evaluations == taped.evaluations);
    for (std::size_t i = 0; i < p.x0.size(); ++i) BOOST_TEST(std::fabs(by_hand.x[i] - taped.x[i]) <= 1e-12, "x" << i);
  }
}

BOOST_AUTO_TEST_CASE(lbfgs_counts_per_problem_stay_within_sanity_bounds) {
  std::string table = fmt::format("L-BFGS, default settings, from the standard starts:\n{:>4}  {:<24} {:>10} {:>11}  {}\n",
                                  "MGH", "problem", "iterations", "evaluations", "minimum reached");
  for (const Problem& p : slope::test::mgh::problems()) {
    const Result r = slope::minimize(p, p.x0);
    BOOST_TEST_CONTEXT(p << ": " << describe(r)) {
      BOOST_TEST(r.iterations >= 1u);
      BOOST_TEST(r.evaluations >= r.iterations);  // at least one evaluation per line search
      BOOST_TEST(r.evaluations <= 1000u);
    }
    const Minimum& m = nearest_minimum(p, r);
    table += fmt::format("{:>4}  {:<24} {:>10} {:>11}  {} (f = {:.6g})\n", p.number, p.name, r.iterations, r.evaluations,
                         m.kind, r.value);
  }
  BOOST_TEST_MESSAGE(table);
}

BOOST_DATA_TEST_CASE(gradient_descent_with_backtracking_converges_on_the_easier_problems, bdata::make(kEasy), easy) {
  check_first_order(easy, slope::GradientDescent{});
}

BOOST_DATA_TEST_CASE(heavy_ball_momentum_converges_on_the_easier_problems, bdata::make(kEasy), easy) {
  check_first_order(easy, slope::Momentum{.step_size = easy.momentum_step});
}

BOOST_DATA_TEST_CASE(nesterov_momentum_converges_on_the_easier_problems, bdata::make(kEasy), easy) {
  check_first_order(easy, slope::Momentum{.step_size = easy.momentum_step, .nesterov = true});
}

// Adam's moves are about step_size per coordinate whatever the curvature, so one step suits all.
BOOST_DATA_TEST_CASE(adam_converges_on_the_easier_problems, bdata::make(kEasy), easy) {
  check_first_order(easy, slope::Adam{.step_size = 1e-2});
}

BOOST_AUTO_TEST_SUITE_END()
