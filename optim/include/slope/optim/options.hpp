#pragma once
/// \file
/// Stopping rules and observation hooks shared by every method.

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace slope {

/// What a callback sees after each iteration, in the user's sense.
struct IterationInfo {
  std::size_t iteration = 0;
  std::span<const double> x;
  double value = 0.0;
  double gradient_norm = 0.0;  ///< max_i |g_i|; with bounds, max_i |P(x - g)_i - x_i| (see StopOptions)
  double step_size = 0.0;      ///< max_i |x_k - x_{k-1}|
  std::size_t evaluations = 0;
};

/// Called after each iteration; return false to stop the run (Status::StoppedByCallback).
using IterationCallback = std::function<bool(const IterationInfo&)>;

/// One row of an optional trace (StopOptions::trace), in the user's sense.
struct TraceEntry {
  std::size_t iteration = 0;
  double value = 0.0;
  double gradient_norm = 0.0;
  double step_size = 0.0;
  std::size_t evaluations = 0;
  std::vector<double> x;
};

/// When to stop and what to observe. Every field has a documented default; a criterion set to
/// 0 is off. Validated once per run (slope::ArgumentError for negative tolerances, ...).
struct StopOptions {
  std::size_t max_iterations = 1000;
  std::size_t max_evaluations = 20000;
  /// Converged when max_i |g_i| <= gradient_tolerance. With bounds, g is replaced by the
  /// projected gradient x - P(x - g) (P clamps into the box): a component pinned at a bound
  /// that the gradient pushes outward counts as zero, as in L-BFGS-B's pgtol.
  double gradient_tolerance = 1e-6;
  /// Converged when max_i |g_i| <= relative_gradient_tolerance * max_i |g_i| at the start.
  double relative_gradient_tolerance = 0.0;
  /// Converged when |f_k - f_{k-1}| <= objective_tolerance * max(1, |f_k|) (0: off).
  double objective_tolerance = 0.0;
  /// Converged when max_i |x_k - x_{k-1}| <= step_tolerance * max(1, max_i |x_k|) (0: off).
  double step_tolerance = 0.0;
  /// Wall-clock limit (zero: none).
  std::chrono::duration<double> time_limit{0.0};
  /// Diverged when the objective, in the minimized orientation, falls below
  /// -divergence_limit * max(1, |f_0|): the objective is running away to -inf (or +inf when
  /// maximizing).
  double divergence_limit = 1e20;
  /// Called after every iteration; may stop the run.
  IterationCallback callback{};
  /// When set, one entry per iteration (iteration 0 is the start) is appended here.
  std::vector<TraceEntry>* trace = nullptr;
};

/// Throws slope::ArgumentError naming the first field out of range.
void validate(const StopOptions& options);

}  // namespace slope
