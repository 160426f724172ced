#pragma once
/// \file
/// Moré–Thuente line search (ACM TOMS 20, 1994): a step satisfying the strong Wolfe conditions.

#include <cstddef>

namespace slope {

/// Moré–Thuente line search: finds t with
///   f(x + t d) <= f(x) + c1 t g.d            (sufficient decrease)
///   |g(x + t d).d| <= c2 |g.d|               (curvature, strong Wolfe)
/// by safeguarded cubic and quadratic interpolation inside a shrinking bracket. A trial whose
/// value or gradient is not finite counts as a step too long: later trials stay below it.
struct MoreThuente {
  double c1 = 1e-4;             ///< sufficient-decrease constant, in (0, 1)
  double c2 = 0.9;              ///< curvature constant, in (c1, 1)
  double step_tolerance = 1e-16;  ///< relative width of the bracket at which the search stops
  double min_step = 1e-20;
  double max_step = 1e20;
  std::size_t max_trials = 40;  ///< trials before the search fails
};

/// Throws std::invalid_argument naming the first parameter out of range.
void validate(const MoreThuente& search);

}  // namespace slope
