#pragma once
// The feasible box of a run as the methods use it: projection, steps that stay inside, the
// projected gradient that measures convergence, and the state of each component at the end.
// A box without any finite bound is "unbounded", and the methods then skip it entirely, so
// that infinite bounds give exactly the iterates of a run without bounds.

#include <cstddef>
#include <span>
#include <vector>

#include "slope/optim/bounds.hpp"

namespace slope::detail {

class Box {
 public:
  /// Validates `bounds` for n components (slope::ArgumentError, see slope::validate).
  Box(const Bounds& bounds, std::size_t n);

  /// True when some component has a finite bound.
  [[nodiscard]] bool bounded() const noexcept { return bounded_; }
  /// The bounds of component i; only a bounded box has them (the others are never asked).
  [[nodiscard]] double lower(std::size_t i) const noexcept { return lower_[i]; }
  [[nodiscard]] double upper(std::size_t i) const noexcept { return upper_[i]; }

  /// Clamps each x_i into [lower_i, upper_i].
  void project(std::span<double> x) const noexcept;

  /// out = x + t d, clamped into the box. A component whose step reaches its bound, up to the
  /// rounding of (bound - x_i), lands exactly on the bound: the step to a bound computed as
  /// d_i = bound - x_i then gives exactly the bound at t = 1, so pinned components are exact.
  void step(std::span<const double> x, double t, std::span<const double> d, std::span<double> out) const noexcept;

  /// max_i |P(x - g)_i - x_i|: |g_i| where g_i points into the box (or along a side without a
  /// bound), otherwise at most the distance to the bound it points to; zero for a component
  /// pinned at a bound that g pushes outward. Computed without forming x - g, which would
  /// round away small gradients of large components.
  [[nodiscard]] double projected_gradient_norm(std::span<const double> x, std::span<const double> g) const noexcept;

  /// d = P(x - g) - x, the projected steepest-descent step, in the same cancellation-free form.
  void projected_steepest(std::span<const double> x, std::span<const double> g, std::span<double> d) const noexcept;

  /// The largest t with x + t d inside the box (+inf when no bound stops d).
  [[nodiscard]] double max_step(std::span<const double> x, std::span<const double> d) const noexcept;

  /// Where each component of x lies: at its lower bound, at its upper bound, or free.
  [[nodiscard]] std::vector<BoundState> states(std::span<const double> x) const;

 private:
  std::vector<double> lower_, upper_;
  bool bounded_ = false;
};

}  // namespace slope::detail
