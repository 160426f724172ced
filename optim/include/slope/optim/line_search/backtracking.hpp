#pragma once
/// \file
/// Backtracking line search with the Armijo (sufficient decrease) condition.

#include <cstddef>

namespace slope {

/// Backtracking (Armijo) line search: tries a step t and shrinks it until
///   f(x + t d) <= f(x) + c1 t g.d.
/// A trial whose value or gradient is not finite counts as a step too long and is shrunk.
/// Like MoreThuente, a trial also passes the approximate Wolfe test (the slope shows progress
/// and f rose by no more than its rounding noise), so that the search still works where f can
/// no longer resolve the decrease.
struct Backtracking {
  double c1 = 1e-4;              ///< sufficient-decrease constant, in (0, 1)
  double shrink = 0.5;           ///< factor applied to a rejected step, in (0, 1)
  std::size_t max_trials = 60;   ///< trials before the search fails
  double noise = 1e-10;          ///< relative rounding noise of f allowed by the approximate Wolfe test (0: off)
};

/// Throws slope::ArgumentError naming the first parameter out of range.
void validate(const Backtracking& search);

}  // namespace slope
