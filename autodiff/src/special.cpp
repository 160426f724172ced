#include "slope/autodiff/ops/special.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace slope {

double digamma(double x) noexcept {
  if (std::isnan(x) || x == -std::numeric_limits<double>::infinity()) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::quiet_NaN();  // poles
  double result = 0.0;
  if (x < 0.0) {
    // Reflection: psi(1 - x) - psi(x) = pi cot(pi x). Reduce pi x modulo pi first so that
    // tan keeps its precision for large |x|.
    const double reduced = x - std::round(x);
    result -= std::numbers::pi / std::tan(std::numbers::pi * reduced);
    x = 1.0 - x;
  }
  // Recurrence psi(x) = psi(x + 1) - 1/x until the asymptotic series is accurate.
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  // psi(x) ~ ln x - 1/(2x) - sum B_2k / (2k x^2k).
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  const double series =
      inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
  return result + std::log(x) - 0.5 * inv - series;
}

namespace detail {
double log_gamma(double x) noexcept {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}
}  // namespace detail

}  // namespace slope
