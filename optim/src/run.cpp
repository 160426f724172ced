#include "run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "slope/autodiff/errors.hpp"

namespace slope {

std::string_view to_string(Status status) noexcept {
  switch (status) {
    case Status::Converged: return "converged";
    case Status::MaxIterations: return "max_iterations";
    case Status::MaxEvaluations: return "max_evaluations";
    case Status::TimeLimit: return "time_limit";
    case Status::Diverged: return "diverged";
    case Status::LineSearchFailed: return "line_search_failed";
    case Status::StoppedByCallback: return "stopped_by_callback";
  }
  return "unknown";
}

std::string_view to_string(Criterion criterion) noexcept {
  switch (criterion) {
    case Criterion::None: return "none";
    case Criterion::GradientNorm: return "gradient_norm";
    case Criterion::RelativeGradientNorm: return "relative_gradient_norm";
    case Criterion::ObjectiveChange: return "objective_change";
    case Criterion::StepSize: return "step_size";
  }
  return "unknown";
}

std::string_view to_string(Sense sense) noexcept { return sense == Sense::Minimize ? "minimize" : "maximize"; }

void validate(const StopOptions& o) {
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw slope::ArgumentError(fmt::format("StopOptions: {}", what));
  };
  require(o.max_iterations > 0, "max_iterations must be > 0");
  require(o.max_evaluations > 0, "max_evaluations must be > 0");
  require(o.gradient_tolerance >= 0.0, "gradient_tolerance must be >= 0");
  require(o.relative_gradient_tolerance >= 0.0, "relative_gradient_tolerance must be >= 0");
  require(o.objective_tolerance >= 0.0, "objective_tolerance must be >= 0");
  require(o.step_tolerance >= 0.0, "step_tolerance must be >= 0");
  require(o.time_limit.count() >= 0.0, "time_limit must be >= 0");
  require(o.divergence_limit > 0.0, "divergence_limit must be > 0");
}

namespace detail {

// Four independent accumulators: without -ffast-math the compiler may not reorder a single
// running sum or maximum, so one accumulator runs at one element per add latency; four let it
// use both halves of the SIMD units (L-BFGS spends most of its own time in these at n >= 100).
double max_norm(std::span<const double> v) noexcept {
  double m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= v.size(); i += 4) {
    m0 = std::max(m0, std::fabs(v[i]));
    m1 = std::max(m1, std::fabs(v[i + 1]));
    m2 = std::max(m2, std::fabs(v[i + 2]));
    m3 = std::max(m3, std::fabs(v[i + 3]));
  }
  for (; i < v.size(); ++i) m0 = std::max(m0, std::fabs(v[i]));
  return std::max(std::max(m0, m1), std::max(m2, m3));
}

void add_scaled(double a, std::span<const double> x, std::span<double> y) noexcept {
  for (std::size_t i = 0; i < x.size(); ++i) y[i] += a * x[i];
}

double dot(std::span<const double> a, std::span<const double> b) noexcept {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= a.size(); i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < a.size(); ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

bool all_finite(std::span<const double> v) noexcept {
  // x - x is 0 for a finite x and NaN for inf or NaN; the sum of those is 0 exactly when all
  // are finite, and unlike std::isfinite per element it vectorizes.
  double s0 = 0.0, s1 = 0.0;
  std::size_t i = 0;
  for (; i + 2 <= v.size(); i += 2) {
    s0 += v[i] - v[i];
    s1 += v[i + 1] - v[i + 1];
  }
  for (; i < v.size(); ++i) s0 += v[i] - v[i];
  return s0 + s1 == 0.0;
}

namespace {

// max_i |a_i - b_i|, in two lanes like max_norm.
double max_abs_difference(std::span<const double> a, std::span<const double> b) noexcept {
  double m0 = 0.0, m1 = 0.0;
  std::size_t i = 0;
  for (; i + 2 <= a.size(); i += 2) {
    m0 = std::max(m0, std::fabs(a[i] - b[i]));
    m1 = std::max(m1, std::fabs(a[i + 1] - b[i + 1]));
  }
  for (; i < a.size(); ++i) m0 = std::max(m0, std::fabs(a[i] - b[i]));
  return std::max(m0, m1);
}

}  // namespace

Run::Run(ObjectiveRef objective, Sense sense, const StopOptions& options, std::span<const double> x0,
         const Box* box)
    : objective_(objective),
      sense_(sense),
      sign_(sense == Sense::Minimize ? 1.0 : -1.0),
      options_(options),
      box_(box != nullptr && box->bounded() ? box : nullptr),
      started_(std::chrono::steady_clock::now()),
      best_x_(x0.begin(), x0.end()) {
  validate(options);
}

double Run::gradient_measure(std::span<const double> x, std::span<const double> g) const noexcept {
  return box_ != nullptr ? box_->projected_gradient_norm(x, g) : max_norm(g);
}

const char* Run::gradient_name() const noexcept {
  return box_ != nullptr ? "projected gradient norm" : "gradient norm";
}

double Run::evaluate(std::span<const double> x, std::span<double> g) {
  ++evaluations_;
  const double f = sign_ * objective_(x, g);
  if (sign_ < 0.0) {
    for (double& gi : g) gi = -gi;
  }
  // Remember the best finite point, so that a run that stops early or meets NaN later still
  // returns where it did best.
  if (std::isfinite(f) && (!have_best_ || f < best_f_) && all_finite(g)) {
    have_best_ = true;
    best_f_ = f;
    best_gradient_norm_ = gradient_measure(x, g);
    std::copy(x.begin(), x.end(), best_x_.begin());
  }
  return f;
}

bool Run::out_of_evaluations() const noexcept { return evaluations_ >= options_.max_evaluations; }

std::optional<Stop> Run::check_value(double f, std::span<const double> g) const {
  if (!std::isfinite(f)) {
    return diverged(fmt::format("the objective is {}", sign_ * f));
  }
  if (!all_finite(g)) return diverged("the gradient has a non-finite entry");
  if (f < -divergence_floor_) {
    return diverged(fmt::format("the objective ran away to {} (beyond the divergence limit {:g})", sign_ * f,
                                sign_ * -divergence_floor_));
  }
  return std::nullopt;
}

std::optional<Stop> Run::start(std::span<const double> x, double f, std::span<const double> g) {
  initial_gradient_norm_ = gradient_measure(x, g);
  divergence_floor_ = options_.divergence_limit * std::max(1.0, std::fabs(f));
  if (options_.trace != nullptr) {
    options_.trace->push_back({0, user_sense(f), initial_gradient_norm_, 0.0, evaluations_, {x.begin(), x.end()}});
  }
  if (auto bad = check_value(f, g)) {
    bad->message = "at the starting point: " + bad->message;
    return bad;
  }
  if (initial_gradient_norm_ <= options_.gradient_tolerance) {
    return Stop{Status::Converged, Criterion::GradientNorm,
                fmt::format("{} {:.3g} <= {:g} at the starting point", gradient_name(), initial_gradient_norm_,
                            options_.gradient_tolerance)};
  }
  return std::nullopt;
}

std::optional<Stop> Run::after_iteration(std::span<const double> previous_x, double previous_f,
                                         std::span<const double> x, double f, std::span<const double> g) {
  ++iterations_;
  const double gnorm = gradient_measure(x, g);
  const double step = max_abs_difference(x, previous_x);
  const double xnorm = max_norm(x);
  if (options_.trace != nullptr) {
    options_.trace->push_back({iterations_, user_sense(f), gnorm, step, evaluations_, {x.begin(), x.end()}});
  }
  if (auto bad = check_value(f, g)) return bad;
  if (options_.callback &&
      !options_.callback(IterationInfo{iterations_, x, user_sense(f), gnorm, step, evaluations_})) {
    return Stop{Status::StoppedByCallback, Criterion::None,
                fmt::format("the callback stopped the run at iteration {}", iterations_)};
  }
  if (gnorm <= options_.gradient_tolerance) {
    return Stop{Status::Converged, Criterion::GradientNorm,
                fmt::format("{} {:.3g} <= {:g}", gradient_name(), gnorm, options_.gradient_tolerance)};
  }
  if (options_.relative_gradient_tolerance > 0.0 &&
      gnorm <= options_.relative_gradient_tolerance * initial_gradient_norm_) {
    return Stop{Status::Converged, Criterion::RelativeGradientNorm,
                fmt::format("{} {:.3g} <= {:g} x its starting value {:.3g}", gradient_name(), gnorm,
                            options_.relative_gradient_tolerance, initial_gradient_norm_)};
  }
  if (options_.objective_tolerance > 0.0 &&
      std::fabs(f - previous_f) <= options_.objective_tolerance * std::max(1.0, std::fabs(f))) {
    return Stop{Status::Converged, Criterion::ObjectiveChange,
                fmt::format("relative objective change {:.3g} <= {:g}",
                            std::fabs(f - previous_f) / std::max(1.0, std::fabs(f)), options_.objective_tolerance)};
  }
  if (options_.step_tolerance > 0.0 && step <= options_.step_tolerance * std::max(1.0, xnorm)) {
    return Stop{Status::Converged, Criterion::StepSize,
                fmt::format("step {:.3g} <= {:g} (relative)", step, options_.step_tolerance)};
  }
  if (iterations_ >= options_.max_iterations) {
    return Stop{Status::MaxIterations, Criterion::None,
                fmt::format("reached the iteration limit ({})", options_.max_iterations)};
  }
  if (out_of_evaluations()) return evaluations_exhausted();
  if (options_.time_limit.count() > 0.0 && std::chrono::steady_clock::now() - started_ >= options_.time_limit) {
    return Stop{Status::TimeLimit, Criterion::None,
                fmt::format("reached the time limit ({:g} s)", options_.time_limit.count())};
  }
  return std::nullopt;
}

Stop Run::evaluations_exhausted() const {
  return Stop{Status::MaxEvaluations, Criterion::None,
              fmt::format("reached the evaluation limit ({})", options_.max_evaluations)};
}

Stop Run::line_search_failed(const std::string& why) {
  return Stop{Status::LineSearchFailed, Criterion::None, "line search failed: " + why};
}

Stop Run::diverged(const std::string& why) { return Stop{Status::Diverged, Criterion::None, "diverged: " + why}; }

Result Run::finish(const Stop& stop, std::span<const double> x, double f, std::span<const double> g) const {
  Result r;
  r.status = stop.status;
  r.criterion = stop.criterion;
  r.sense = sense_;
  r.iterations = iterations_;
  r.evaluations = evaluations_;
  r.message = stop.message;
  const bool use_given = stop.status == Status::Converged && std::isfinite(f) && all_finite(g);
  if (use_given || !have_best_) {
    r.x.assign(x.begin(), x.end());
    r.value = user_sense(f);
    r.gradient_norm = gradient_measure(x, g);
  } else {
    r.x = best_x_;
    r.value = user_sense(best_f_);
    r.gradient_norm = best_gradient_norm_;
  }
  r.active_bounds = box_ != nullptr ? box_->states(r.x) : std::vector<BoundState>(r.x.size(), BoundState::Free);
  return r;
}

}  // namespace detail
}  // namespace slope
