// Every way a run can end, each with the right status in bounded time: divergence (unbounded
// objectives, NaN after some steps, steps far too large), each stopping rule, the callback,
// the trace, and invalid options. A run that stops early returns its best point.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

using slope::Result;
using slope::Status;
using slope::Var;

namespace {

Var rosenbrock(std::span<const Var> x) { return 100.0 * square(x[1] - x[0] * x[0]) + square(1.0 - x[0]); }

Var quadratic(std::span<const Var> x) {
  Var s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) s += (1.0 + static_cast<double>(i)) * square(x[i] - 1.0);
  return s;
}

bool finite(const Result& r) {
  for (const double xi : r.x)
    if (!std::isfinite(xi)) return false;
  return std::isfinite(r.value) && std::isfinite(r.gradient_norm);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(status)

BOOST_AUTO_TEST_CASE(maximizing_an_unbounded_function_diverges) {
  const auto linear = [](std::span<const Var> x) { return x[0] + 2.0 * x[1]; };
  for (const Result& r : {slope::maximize(linear, {0.0, 0.0}),
                          slope::maximize(linear, {0.0, 0.0}, slope::GradientDescent{})}) {
    BOOST_TEST((r.status == Status::Diverged));
    BOOST_TEST(r.message.find("ran away") != std::string::npos);
    BOOST_TEST(r.value > 1e19);  // reported in the user's sense: it went up
  }
}

BOOST_AUTO_TEST_CASE(minimizing_a_function_unbounded_below_diverges) {
  const auto cubic = [](std::span<const Var> x) { return x[0] * x[0] * x[0]; };
  const Result r = slope::minimize(cubic, {-1.0});
  BOOST_TEST((r.status == Status::Diverged));
}

BOOST_AUTO_TEST_CASE(a_nan_beyond_some_point_is_a_step_too_long) {
  // (x - 5)^2, but NaN for x > 2: the minimum is out of reach. The line search backs off
  // from every NaN; the run ends without converging and returns a finite best point.
  const auto f = [](std::span<const Var> x) {
    return x[0] > 2.0 ? Var(std::numeric_limits<double>::quiet_NaN()) : square(x[0] - 5.0);
  };
  const Result r = slope::minimize(f, {0.0});
  BOOST_TEST(!r.converged());
  BOOST_TEST(finite(r));
  BOOST_TEST(r.x[0] <= 2.0);
  BOOST_TEST(r.x[0] > 1.9);
  BOOST_TEST_MESSAGE("nan wall: " << slope::to_string(r.status) << " " << r.message);
}

BOOST_AUTO_TEST_CASE(nan_met_by_a_fixed_step_method_diverges_with_the_best_point) {
  const auto f = [](std::span<const Var> x) {
    return x[0] > 2.0 ? Var(std::numeric_limits<double>::quiet_NaN()) : square(x[0] - 5.0);
  };
  const Result r = slope::minimize(f, {0.0}, slope::GradientDescent{.step_size = 0.1, .step_rule = slope::StepRule::Fixed});
  BOOST_TEST((r.status == Status::Diverged));
  BOOST_TEST(finite(r));
  BOOST_TEST(r.x[0] <= 2.0);
}

BOOST_AUTO_TEST_CASE(a_step_far_too_large_diverges_and_keeps_the_start) {
  const Result r = slope::minimize(rosenbrock, {-1.2, 1.0},
                                   slope::GradientDescent{.step_size = 1.0, .step_rule = slope::StepRule::Fixed});
  BOOST_TEST((r.status == Status::Diverged));
  BOOST_TEST(r.iterations < 20U);
  BOOST_TEST(r.x == (std::vector<double>{-1.2, 1.0}));
  BOOST_TEST(r.value == 24.2, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(a_non_finite_start_is_reported) {
  const auto f = [](std::span<const Var> x) { return log(x[0]); };
  const Result r = slope::minimize(f, {-1.0});
  BOOST_TEST((r.status == Status::Diverged));
  BOOST_TEST(r.message.find("starting point") != std::string::npos);
  BOOST_TEST(r.iterations == 0U);
}

BOOST_AUTO_TEST_CASE(starting_at_the_optimum_converges_at_once) {
  const Result r = slope::minimize(quadratic, {1.0, 1.0, 1.0});
  BOOST_TEST(r.converged());
  BOOST_TEST(r.iterations == 0U);
  BOOST_TEST(r.evaluations == 1U);
}

BOOST_AUTO_TEST_CASE(iteration_and_evaluation_limits) {
  const Result by_iterations = slope::minimize(rosenbrock, {-1.2, 1.0}, slope::Lbfgs{}, {.max_iterations = 5});
  BOOST_TEST((by_iterations.status == Status::MaxIterations));
  BOOST_TEST(by_iterations.iterations == 5U);
  const Result by_evaluations = slope::minimize(rosenbrock, {-1.2, 1.0}, slope::Lbfgs{}, {.max_evaluations = 7});
  BOOST_TEST((by_evaluations.status == Status::MaxEvaluations));
  BOOST_TEST(by_evaluations.evaluations <= 7U);
  BOOST_TEST(finite(by_evaluations));
}

BOOST_AUTO_TEST_CASE(time_limit) {
  const auto slow = [](std::span<const Var> x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return rosenbrock(x);
  };
  // Recorded at every call, so that every evaluation sleeps (a replay would not run the lambda).
  const Result r = slope::minimize(slope::record_every_call(slow), {-1.2, 1.0}, slope::GradientDescent{.step_size = 1e-4, .step_rule = slope::StepRule::Fixed},
                                   {.max_iterations = 100000, .max_evaluations = 100000,
                                    .time_limit = std::chrono::milliseconds(30)});
  BOOST_TEST((r.status == Status::TimeLimit));
  BOOST_TEST(r.iterations < 100U);
}

BOOST_AUTO_TEST_CASE(each_convergence_criterion_is_named) {
  using slope::Criterion;
  const std::vector<double> start{3.0, -2.0, 0.5};
  BOOST_TEST((slope::minimize(quadratic, start).criterion == Criterion::GradientNorm));
  const Result relative =
      slope::minimize(quadratic, start, slope::Lbfgs{}, {.gradient_tolerance = 0.0, .relative_gradient_tolerance = 1e-3});
  BOOST_TEST((relative.criterion == Criterion::RelativeGradientNorm));
  const Result change = slope::minimize(quadratic, start, slope::GradientDescent{.step_size = 1e-3, .step_rule = slope::StepRule::Fixed},
                                        {.max_iterations = 100000, .gradient_tolerance = 0.0, .objective_tolerance = 1e-10});
  BOOST_TEST(change.converged());
  BOOST_TEST((change.criterion == Criterion::ObjectiveChange));
  const Result step = slope::minimize(quadratic, start, slope::GradientDescent{.step_size = 1e-3, .step_rule = slope::StepRule::Fixed},
                                      {.max_iterations = 100000, .gradient_tolerance = 0.0, .step_tolerance = 1e-9});
  BOOST_TEST(step.converged());
  BOOST_TEST((step.criterion == Criterion::StepSize));
  BOOST_TEST(slope::to_string(step.criterion) == "step_size");
}

BOOST_AUTO_TEST_CASE(the_callback_sees_the_users_sense_and_can_stop) {
  std::vector<double> seen;
  const auto neg_rosenbrock = [](std::span<const Var> x) { return -rosenbrock(x); };
  const Result r = slope::maximize(neg_rosenbrock, {-1.2, 1.0}, slope::GradientDescent{},
                                   {.callback = [&](const slope::IterationInfo& info) {
                                     seen.push_back(info.value);
                                     return info.iteration < 4;
                                   }});
  BOOST_TEST((r.status == Status::StoppedByCallback));
  BOOST_TEST(seen.size() == 4U);
  for (std::size_t i = 1; i < seen.size(); ++i) BOOST_TEST(seen[i] > seen[i - 1]);  // ascending
  BOOST_TEST(seen.back() <= 0.0);
}

BOOST_AUTO_TEST_CASE(the_trace_records_every_iteration_from_the_start) {
  std::vector<slope::TraceEntry> trace;
  const Result r = slope::minimize(rosenbrock, {-1.2, 1.0}, slope::Lbfgs{}, {.trace = &trace});
  BOOST_TEST(r.converged());
  BOOST_TEST(trace.size() == r.iterations + 1);
  BOOST_TEST(trace.front().iteration == 0U);
  BOOST_TEST(trace.front().x == (std::vector<double>{-1.2, 1.0}));
  BOOST_TEST(trace.back().value == r.value);
  BOOST_TEST(trace.back().x == r.x);
  for (std::size_t i = 1; i < trace.size(); ++i) BOOST_TEST(trace[i].value <= trace[i - 1].value);  // monotone
}

BOOST_AUTO_TEST_CASE(invalid_options_name_the_field) {
  const auto names = [](const char* field) {
    return [field](const slope::ArgumentError& e) { return std::string(e.what()).find(field) != std::string::npos; };
  };
  BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, {1.0}, slope::Lbfgs{.memory = 0}), slope::ArgumentError,
                        names("memory"));
  // errors.hpp's promise: one catch of slope::Error handles whatever Slope throws.
  BOOST_CHECK_THROW(slope::minimize(quadratic, {1.0}, slope::Lbfgs{.memory = 0}), slope::Error);
  BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, {1.0}, slope::Lbfgs{}, {.max_iterations = 0}), slope::ArgumentError,
                        names("max_iterations"));
  BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, {1.0}, slope::Adam{.beta1 = 1.0}), slope::ArgumentError,
                        names("beta1"));
  BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, {1.0}, slope::Momentum{.momentum = -0.1}), slope::ArgumentError,
                        names("momentum"));
  BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, {1.0}, slope::Lbfgs{.line_search = {.c1 = 0.95, .c2 = 0.9}}),
                        slope::ArgumentError, names("c2"));
  BOOST_CHECK_EXCEPTION(slope::minimize(quadratic, {1.0}, slope::GradientDescent{.step_size = -1.0}),
                        slope::ArgumentError, names("step_size"));
}

BOOST_AUTO_TEST_CASE(status_words_are_plain) {
  BOOST_TEST(slope::to_string(Status::Converged) == "converged");
  BOOST_TEST(slope::to_string(Status::MaxIterations) == "max_iterations");
  BOOST_TEST(slope::to_string(Status::MaxEvaluations) == "max_evaluations");
  BOOST_TEST(slope::to_string(Status::Diverged) == "diverged");
  BOOST_TEST(slope::to_string(Status::LineSearchFailed) == "line_search_failed");
  BOOST_TEST(slope::to_string(Status::StoppedByCallback) == "stopped_by_callback");
  BOOST_TEST(slope::to_string(Status::TimeLimit) == "time_limit");
  BOOST_TEST(slope::to_string(slope::Sense::Maximize) == "maximize");
}

BOOST_AUTO_TEST_SUITE_END()
