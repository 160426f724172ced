#pragma once
/// \file
/// Box constraints lower_i <= x_i <= upper_i for minimize / maximize / optimize.
///
///     slope::Bounds box{.lower = {0.0, -1.0}, .upper = {inf, 1.0}};
///     auto r = slope::minimize(f, x0, box);                       // projected L-BFGS (L-BFGS-B)
///     auto r = slope::minimize(f, x0, slope::Bounds::at_least(n, 0.0), slope::Adam{});
///     // r.active_bounds[i]: BoundState::Free, AtLower or AtUpper
///
/// A bound may be infinite, and an empty vector means no bound on that side. A starting point
/// outside the box is projected onto it (each component clamped) before the first evaluation,
/// so the objective is only ever evaluated inside the box.

#include <cstddef>
#include <string_view>
#include <vector>

namespace slope {

/// Per-component box constraints lower[i] <= x[i] <= upper[i].
struct Bounds {
  /// One lower bound per component (-inf for none), or empty for no lower bounds at all.
  std::vector<double> lower{};
  /// One upper bound per component (+inf for none), or empty for no upper bounds at all.
  std::vector<double> upper{};

  /// x[i] >= lower for each of the n components.
  static Bounds at_least(std::size_t n, double lower);
  /// x[i] <= upper for each of the n components.
  static Bounds at_most(std::size_t n, double upper);
  /// lower <= x[i] <= upper for each of the n components.
  static Bounds between(std::size_t n, double lower, double upper);

  /// True when no component has a finite bound (the run is then exactly the unbounded one).
  [[nodiscard]] bool unbounded() const noexcept;
};

/// Where a component of a result lies relative to its bounds.
enum class BoundState {
  Free,     ///< strictly inside its bounds (always, for a run without bounds)
  AtLower,  ///< equal to its lower bound (also when lower == upper)
  AtUpper,  ///< equal to its upper bound
};

/// "free", "at_lower", "at_upper".
std::string_view to_string(BoundState state) noexcept;

/// Throws slope::ArgumentError unless `bounds` fit n components: each vector empty or of
/// size n, no NaN, lower[i] <= upper[i], lower[i] < +inf and upper[i] > -inf.
void validate(const Bounds& bounds, std::size_t n);

}  // namespace slope
