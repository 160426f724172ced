#pragma once
/// \file
/// What an optimization run reports: the sense, the status in plain words, the best point.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "slope/optim/bounds.hpp"
#include "slope/optim/sense.hpp"

namespace slope {

/// Why a run stopped.
enum class Status {
  Converged,          ///< a convergence criterion held (Result::criterion says which)
  MaxIterations,      ///< the iteration limit was reached
  MaxEvaluations,     ///< the evaluation limit was reached
  TimeLimit,          ///< the wall-clock limit was reached
  Diverged,           ///< a non-finite value or gradient, or the objective ran away to +-inf
  LineSearchFailed,   ///< no step along the search direction gave enough decrease
  StoppedByCallback,  ///< the user's callback asked to stop
};

/// Which convergence criterion held, for Status::Converged.
enum class Criterion {
  None,
  GradientNorm,          ///< max_i |g_i| <= gradient_tolerance (the projected gradient with bounds)
  RelativeGradientNorm,  ///< max_i |g_i| <= relative_gradient_tolerance * max_i |g0_i|
  ObjectiveChange,       ///< |f_k - f_{k-1}| <= objective_tolerance * max(1, |f_k|)
  StepSize,              ///< max_i |x_k - x_{k-1}| <= step_tolerance * max(1, max_i |x_k|)
};

/// "converged", "max_iterations", "max_evaluations", "time_limit", "diverged",
/// "line_search_failed", "stopped_by_callback".
std::string_view to_string(Status status) noexcept;
/// "none", "gradient_norm", "relative_gradient_norm", "objective_change", "step_size".
std::string_view to_string(Criterion criterion) noexcept;
/// "minimize" or "maximize".
std::string_view to_string(Sense sense) noexcept;

/// The outcome of an optimization run, in the user's sense (never negated).
struct Result {
  Status status = Status::MaxIterations;
  Criterion criterion = Criterion::None;
  Sense sense = Sense::Minimize;
  std::vector<double> x;       ///< the best point found (the last accepted one when converged)
  double value = 0.0;          ///< the objective at x, as the user's function returns it
  double gradient_norm = 0.0;  ///< max_i |g_i| at x; with bounds, of the projected gradient P(x - g) - x
  std::size_t iterations = 0;
  std::size_t evaluations = 0;
  std::string message;         ///< what stopped the run, in words
  /// Per component of x: at its lower bound, at its upper bound, or free (all free without bounds).
  std::vector<BoundState> active_bounds;

  /// True when the run converged.
  [[nodiscard]] bool converged() const noexcept { return status == Status::Converged; }
};

}  // namespace slope
