#include "slope/autodiff/ops/special.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace slope {

namespace {

// psi has one positive root, x0 = 1.46163214496836234126..., stored as hi + lo so that x - x0
// keeps full precision next to it (x - hi is exact there, by Sterbenz's lemma).
constexpr double kRootHi = 1.4616321449683622;
constexpr double kRootLo = 9.549995429965697e-17;

// Taylor coefficients of psi at x0: psi^(k)(x0) / k! = (-1)^(k+1) zeta(k + 1, x0), k = 1..18
// (Hurwitz zeta, computed with mpmath at 50 digits). They shrink like 1/x0^k.
constexpr double kRootTaylor[] = {
    0.9676722454476212,    -0.4427631689835921,    0.258499760955651,     -0.16394270544240652,
    0.10782405069126237,   -0.07219956125645471,   0.04880428816414311,   -0.03316112647484736,
    0.022597648232218104,  -0.01542476590494896,   0.010538791616612175,  -0.007204534386356869,
    0.004926781395729853,  -0.003369801655439328,  0.002305126326734928,  -0.0015769367714301972,
    0.0010788252019162967, -0.0007380709389960052,
};

// psi(x0 + t) for |t| <= 0.2: the series converges like (0.2 / 1.46)^k, so 18 terms leave
// less than 1e-16 relative, and the result keeps its relative precision as psi -> 0.
double digamma_near_root(double x) noexcept {
  const double t = (x - kRootHi) - kRootLo;
  double sum = 0.0;
  for (int k = std::size(kRootTaylor) - 1; k >= 0; --k) sum = sum * t + kRootTaylor[k];
  return sum * t;
}

// psi(x) for x >= 10 by the asymptotic series
// psi(x) ~ ln x - 1/(2x) - sum_k B_2k / (2k x^2k); through x^-14 the first omitted term is
// below 5e-17 at x = 10.
double digamma_asymptotic(double x) noexcept {
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  const double series =
      inv2 *
      (1.0 / 12 -
       inv2 * (1.0 / 120 -
               inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 * (1.0 / 12)))))));
  return std::log(x) - 0.5 * inv - series;
}

}  // namespace

double digamma(double x) noexcept {
  if (std::isnan(x) || x == -std::numeric_limits<double>::infinity()) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::quiet_NaN();  // poles
  double result = 0.0;
  if (x < 0.0) {
    // Reflection: psi(x) = psi(1 - x) - pi cot(pi x). Reduce pi x modulo pi first so that the
    // cotangent keeps its precision for large |x|; at half-integers it is exactly 0.
    const double reduced = x - std::round(x);
    if (std::fabs(reduced) != 0.5) result -= std::numbers::pi / std::tan(std::numbers::pi * reduced);
    x = 1.0 - x;
  }
  if (std::fabs(x - kRootHi) <= 0.2) return result + digamma_near_root(x);
  // Recurrence psi(x) = psi(x + 1) - 1/x until the asymptotic series is accurate.
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  return result + digamma_asymptotic(x);
}

double erfinv(double y) noexcept {
  const double a = std::fabs(y);
  if (!(a <= 1.0)) return std::numeric_limits<double>::quiet_NaN();  // also NaN
  if (a == 1.0) return std::copysign(std::numeric_limits<double>::infinity(), y);
  // First guess: Giles' polynomial in w = -ln(1 - y^2) ("Approximating the erfinv function",
  // GPU Computing Gems, 2011), about 1e-7 relative.
  double w = -std::log((1.0 - a) * (1.0 + a));
  double p = 0.0;
  if (w < 5.0) {
    w -= 2.5;
    p = 2.81022636e-08;
    for (const double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                           -0.00417768164, 0.246640727, 1.50140941}) {
      p = c + p * w;
    }
  } else {
    w = std::sqrt(w) - 3.0;
    p = -0.000200214257;
    for (const double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                           0.00943887047, 1.00167406, 2.83297682}) {
      p = c + p * w;
    }
  }
  double x = p * a;
  if (a <= 0.5) {
    // Two Newton steps on erf(x) = a take the guess's 1e-7 to full precision.
    for (int step = 0; step < 2; ++step) x -= (std::erf(x) - a) / (2.0 * std::numbers::inv_sqrtpi * std::exp(-x * x));
    return std::copysign(x, y);
  }
  // Above 1/2, Newton on ln erfc(x) = ln(1 - a): 1 - a is exact there (Sterbenz), erfc keeps its
  // relative precision where erf(x) - a would cancel to the ulp of 1, and ln erfc is close to
  // -x^2, on which Newton converges from the guess's 1e-7 in a few steps (erfc itself is too
  // steep: Newton on it crawls from any guess in the tail).
  const double target = std::log(1.0 - a);
  for (int step = 0; step < 8; ++step) {
    const double e = std::erfc(x);
    const double slope = -2.0 * std::numbers::inv_sqrtpi * std::exp(-x * x) / e;  // d/dx ln erfc(x)
    const double delta = (std::log(e) - target) / slope;
    x -= delta;
    if (!(std::fabs(delta) > 1e-16 * x)) break;
  }
  return std::copysign(x, y);
}

namespace detail {
double log_gamma(double x) noexcept {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}
}  // namespace detail

}  // namespace slope
