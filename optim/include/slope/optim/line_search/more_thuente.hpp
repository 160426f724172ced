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
///
/// Near an optimum the decrease a step can make falls below the rounding noise of f, and a
/// test on f alone then fails by chance. So a step also passes when it meets Hager & Zhang's
/// approximate Wolfe conditions (SIAM J. Optim. 16, 2005):
///   c2 g.d <= g(x + t d).d <= (2 c1' - 1) g.d  with c1' = 0.1,
///   f(x + t d) <= f(x) + noise * |f(x)|
/// that is, the slope shows the step made progress, and f did not rise beyond its noise.
struct MoreThuente {
  double c1 = 1e-4;             ///< sufficient-decrease constant, in (0, 1)
  double c2 = 0.9;              ///< curvature constant, in (c1, 1)
  double step_tolerance = 1e-16;  ///< relative width of the bracket at which the search stops
  double min_step = 1e-20;
  double max_step = 1e20;
  std::size_t max_trials = 40;  ///< trials before the search fails
  double noise = 1e-10;         ///< relative rounding noise of f allowed by the approximate Wolfe test (0: off)
};
/// Throws slope::ArgumentError naming the first parameter out of range.
void validate(const MoreThuente& search);

}  // namespace slope
