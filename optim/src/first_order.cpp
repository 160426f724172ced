// Gradient descent, momentum and the adaptive methods on the full objective.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "box.hpp"
#include "line_search.hpp"
#include "run.hpp"
#include "slope/autodiff/errors.hpp"
#include "slope/optim/optimize.hpp"
#include "steppers.hpp"

namespace slope {

namespace {
void require(bool ok, const char* what) {
  if (!ok) throw slope::ArgumentError(what);
}
}  // namespace

void validate(const GradientDescent& m) {
  require(m.step_size > 0.0 && std::isfinite(m.step_size), "GradientDescent: step_size must be > 0");
  validate(m.line_search);
}
void validate(const Momentum& m) {
  require(m.step_size > 0.0 && std::isfinite(m.step_size), "Momentum: step_size must be > 0");
  require(m.momentum >= 0.0 && m.momentum < 1.0, "Momentum: momentum must be in [0, 1)");
}
void validate(const Adam& m) {
  require(m.step_size > 0.0 && std::isfinite(m.step_size), "Adam: step_size must be > 0");
  require(m.beta1 >= 0.0 && m.beta1 < 1.0, "Adam: beta1 must be in [0, 1)");
  require(m.beta2 >= 0.0 && m.beta2 < 1.0, "Adam: beta2 must be in [0, 1)");
  require(m.epsilon > 0.0, "Adam: epsilon must be > 0");
}
void validate(const AdaGrad& m) {
  require(m.step_size > 0.0 && std::isfinite(m.step_size), "AdaGrad: step_size must be > 0");
  require(m.epsilon > 0.0, "AdaGrad: epsilon must be > 0");
}
void validate(const RmsProp& m) {
  require(m.step_size > 0.0 && std::isfinite(m.step_size), "RmsProp: step_size must be > 0");
  require(m.decay >= 0.0 && m.decay < 1.0, "RmsProp: decay must be in [0, 1)");
  require(m.epsilon > 0.0, "RmsProp: epsilon must be > 0");
}

namespace detail {

namespace {

/// x0, projected onto the box (a start outside it begins at its projection).
std::vector<double> start_in(const Box& box, std::span<const double> x0) {
  std::vector<double> x(x0.begin(), x0.end());
  if (box.bounded()) box.project(x);
  return x;
}

/// Steps x with `stepper` after every evaluation until the engine stops the run; with bounds,
/// each step is projected onto the box (the method's own state, such as a momentum, is kept
/// as it is).
template <class Stepper, class Method>
Result step_until_stopped(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const Method& method, const StopOptions& options) {
  validate(method);
  const std::size_t n = x0.size();
  const Box box(bounds, n);
  std::vector<double> x = start_in(box, x0), g(n), next_x(n), next_g(n);
  Run run(objective, sense, options, x, &box);
  double f = run.evaluate(x, g);
  if (auto stop = run.start(x, f, g)) return run.finish(*stop, x, f, g);
  Stepper stepper(method, n);
  while (true) {
    std::copy(x.begin(), x.end(), next_x.begin());
    stepper.apply(next_x, g);
    if (box.bounded()) box.project(next_x);
    const double next_f = run.evaluate(next_x, next_g);
    std::swap(x, next_x);
    std::swap(g, next_g);
    const double previous_f = f;
    f = next_f;
    if (auto stop = run.after_iteration(next_x, previous_f, x, f, g)) return run.finish(*stop, x, f, g);
  }
}

}  // namespace

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                const GradientDescent& method, const StopOptions& options) {
  if (method.step_rule == StepRule::Fixed) {
    return step_until_stopped<FixedStepper>(objective, x0, sense, bounds, method, options);
  }
  validate(method);
  const std::size_t n = x0.size();
  const Box box(bounds, n);
  std::vector<double> x = start_in(box, x0), g(n), d(n), trial_x(n), trial_g(n);
  Run run(objective, sense, options, x, &box);
  double f = run.evaluate(x, g);
  if (auto stop = run.start(x, f, g)) return run.finish(*stop, x, f, g);
  double step = method.step_size;
  while (true) {
    // With bounds the trials follow the projected path P(x - t g). A component pinned at a
    // bound that g pushes outward does not move along it, so it is left out of d and of the
    // decrease that the Armijo test expects.
    for (std::size_t i = 0; i < n; ++i) {
      const bool pinned =
          box.bounded() && ((g[i] > 0.0 && x[i] <= box.lower(i)) || (g[i] < 0.0 && x[i] >= box.upper(i)));
      d[i] = pinned ? 0.0 : -g[i];
    }
    LineFunction phi(run, x, d, trial_x, trial_g, &box);
    const LineSearchResult found = search(method.line_search, phi, f, dot(g, d), step);
    if (found.outcome == LineSearchResult::OutOfEvaluations) return run.finish(run.evaluations_exhausted(), x, f, g);
    if (found.outcome == LineSearchResult::Failed) return run.finish(Run::line_search_failed(found.why), x, f, g);
    // A step accepted at once may be too cautious: try a longer one next time.
    step = found.step == step ? 2.0 * step : found.step;
    const double previous_f = f;
    std::swap(x, trial_x);
    std::swap(g, trial_g);
    f = found.value;
    if (auto stop = run.after_iteration(trial_x, previous_f, x, f, g)) return run.finish(*stop, x, f, g);
  }
}

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                const Momentum& method, const StopOptions& options) {
  return step_until_stopped<MomentumStepper>(objective, x0, sense, bounds, method, options);
}

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                const Adam& method, const StopOptions& options) {
  return step_until_stopped<AdamStepper>(objective, x0, sense, bounds, method, options);
}

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                const AdaGrad& method, const StopOptions& options) {
  return step_until_stopped<AdaGradStepper>(objective, x0, sense, bounds, method, options);
}

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                const RmsProp& method, const StopOptions& options) {
  return step_until_stopped<RmsPropStepper>(objective, x0, sense, bounds, method, options);
}

}  // namespace detail
}  // namespace slope
