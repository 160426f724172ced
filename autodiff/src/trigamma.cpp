// Trigamma psi'(x), the derivative of digamma: the second derivative of lgamma, which
// Function::hessian_vector_product needs through Dual (see math.hpp).
#include <cmath>
#include <limits>
#include <numbers>

#include "slope/autodiff/math.hpp"

namespace slope {

namespace {

// psi'(x) for x >= 10 by the asymptotic series
// psi'(x) ~ 1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)
//         = 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7) - 1/(30x^9) + 5/(66x^11) - 691/(2730x^13) + 7/(6x^15);
// the first omitted term, 3617/(510 x^17), is below 1e-16 relative at x = 10.
double trigamma_asymptotic(double x) noexcept {
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  const double series =
      1.0 / 6 -
      inv2 * (1.0 / 30 -
              inv2 * (1.0 / 42 - inv2 * (1.0 / 30 - inv2 * (5.0 / 66 - inv2 * (691.0 / 2730 - inv2 * (7.0 / 6))))));
  return inv + 0.5 * inv2 + inv * inv2 * series;
}

}  // namespace

double trigamma(double x) noexcept {
  if (std::isnan(x) || x == -std::numeric_limits<double>::infinity()) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::quiet_NaN();  // poles
  double result = 0.0;
  if (x < 0.0) {
    // Reflection: psi'(x) + psi'(1 - x) = pi^2 / sin^2(pi x). Reduce pi x modulo pi first so
    // that the sine keeps its precision for large |x|.
    const double s = std::sin(std::numbers::pi * (x - std::round(x)));
    result += std::numbers::pi * std::numbers::pi / (s * s);
    return result - trigamma(1.0 - x);
  }
  // Recurrence psi'(x) = psi'(x + 1) + 1/x^2 (all terms positive: no cancellation).
  while (x < 10.0) {
    result += 1.0 / (x * x);
    x += 1.0;
  }
  return result + trigamma_asymptotic(x);
}

}  // namespace slope
