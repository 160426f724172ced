#pragma once
/// \file
/// Gradient descent (ascent when maximizing), with a fixed step or a backtracking line search.

#include "slope/optim/line_search/backtracking.hpp"

namespace slope {

/// How gradient descent chooses its step.
enum class StepRule {
  Fixed,         ///< x <- x - step_size g, always
  Backtracking,  ///< Armijo backtracking from a trial step that grows after easy steps
};

/// Gradient descent: x <- x - t g (x <- x + t g when maximizing).
struct GradientDescent {
  double step_size = 1.0;               ///< the fixed step, or the first trial step
  StepRule step_rule = StepRule::Backtracking;
  Backtracking line_search{};
};

/// Throws slope::ArgumentError naming the first parameter out of range.
void validate(const GradientDescent& method);

}  // namespace slope
