#pragma once
// The engine every method shares: it evaluates the objective in the minimized orientation,
// counts evaluations, remembers the best point, applies the stopping rules, calls the
// callback and fills the trace. Methods only choose steps.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "box.hpp"
#include "slope/optim/objective.hpp"
#include "slope/optim/options.hpp"
#include "slope/optim/result.hpp"

namespace slope::detail {

/// Why a method must stop, as decided by the engine.
struct Stop {
  Status status;
  Criterion criterion = Criterion::None;
  std::string message;
};

/// max_i |v_i|.
double max_norm(std::span<const double> v) noexcept;
/// sum_i a_i b_i.
double dot(std::span<const double> a, std::span<const double> b) noexcept;
/// y += a x. Out of line as dot is: inlined into a method's large loop, GCC spilled a register
/// to the stack at every element (L-BFGS's two-loop recursion, 10% of a run at n = 100).
void add_scaled(double a, std::span<const double> x, std::span<double> y) noexcept;
/// True when every entry is finite.
bool all_finite(std::span<const double> v) noexcept;

class Run {
 public:
  /// With a bounded `box`, convergence is measured by the projected gradient, and the result
  /// says which bounds are active. The box must outlive the Run; x0 must be inside it.
  Run(ObjectiveRef objective, Sense sense, const StopOptions& options, std::span<const double> x0,
      const Box* box = nullptr);

  /// The objective at x in the minimized orientation (negated when maximizing), its
  /// gradient (same orientation) into g. Counts the evaluation and remembers the best point.
  double evaluate(std::span<const double> x, std::span<double> g);
  /// True once max_evaluations evaluations were made.
  [[nodiscard]] bool out_of_evaluations() const noexcept;

  /// Checks the starting point (f, g evaluated at x): a stop if it is already optimal or bad.
  std::optional<Stop> start(std::span<const double> x, double f, std::span<const double> g);
  /// After an accepted iteration from (previous x, previous f) to (x, f, g): a stop if a rule
  /// fires, after calling the callback and tracing.
  std::optional<Stop> after_iteration(std::span<const double> previous_x, double previous_f,
                                      std::span<const double> x, double f, std::span<const double> g);
  /// The stop for running out of evaluations, or for a line search that failed.
  [[nodiscard]] Stop evaluations_exhausted() const;
  static Stop line_search_failed(const std::string& why);
  static Stop diverged(const std::string& why);

  /// The result: the given point when converged, the best point found otherwise.
  Result finish(const Stop& stop, std::span<const double> x, double f, std::span<const double> g) const;

  [[nodiscard]] std::size_t iterations() const noexcept { return iterations_; }
  [[nodiscard]] std::size_t evaluations() const noexcept { return evaluations_; }
  [[nodiscard]] const StopOptions& options() const noexcept { return options_; }

 private:
  [[nodiscard]] double user_sense(double oriented) const noexcept { return sign_ * oriented; }
  std::optional<Stop> check_value(double f, std::span<const double> g) const;
  /// max_i |g_i|, or the projected gradient's max norm in a bounded box.
  [[nodiscard]] double gradient_measure(std::span<const double> x, std::span<const double> g) const noexcept;
  [[nodiscard]] const char* gradient_name() const noexcept;

  ObjectiveRef objective_;
  Sense sense_;
  double sign_;  // +1 minimizing, -1 maximizing
  const StopOptions& options_;
  const Box* box_;  // null or unbounded: no bounds
  std::chrono::steady_clock::time_point started_;
  std::size_t iterations_ = 0;
  std::size_t evaluations_ = 0;
  double initial_gradient_norm_ = 0.0;
  double divergence_floor_ = 0.0;

  bool have_best_ = false;
  double best_f_ = 0.0;
  double best_gradient_norm_ = 0.0;
  std::vector<double> best_x_;
};

}  // namespace slope::detail
