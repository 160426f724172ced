#pragma once
/// \file
/// Backtracking line search with the Armijo (sufficient decrease) condition.

#include <cstddef>

namespace slope {

/// Backtracking (Armijo) line search: tries a step t and shrinks it until
///   f(x + t d) <= f(x) + c1 t g.d.
/// A trial whose value or gradient is not finite counts as a step too long and is shrunk.
struct Backtracking {
  double c1 = 1e-4;              ///< sufficient-decrease constant, in (0, 1)
  double shrink = 0.5;           ///< factor applied to a rejected step, in (0, 1)
  std::size_t max_trials = 60;   ///< trials before the search fails
};

/// Throws std::invalid_argument naming the first parameter out of range.
void validate(const Backtracking& search);

}  // namespace slope
