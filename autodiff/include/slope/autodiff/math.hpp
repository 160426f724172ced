#pragma once
/// \file
/// slope::math: the elementary functions the derivative rules (ops/*.hpp) call, for double and
/// for slope::Dual, so that one rule's partial, written once as a template, gives its value with
/// double and its derivative along a tangent with Dual. Function::hessian_vector_product
/// evaluates the rules' partials with Dual: no second derivative is written by hand per rule.

#include <cmath>
#include <compare>

namespace slope {

/// Trigamma psi'(x) = d/dx digamma(x), for double; poles at 0, -1, -2, ... give NaN.
/// Accurate to about 1e-15 relative (recurrence up to x >= 10, then the asymptotic series;
/// reflection for x < 0).
double trigamma(double x) noexcept;
/// Digamma psi(x) (declared again here for slope::math; see ops/special.hpp).
double digamma(double x) noexcept;

/// A dual number v + d eps with eps^2 = 0: a value and its derivative along one direction.
struct Dual {
  double v = 0.0;  ///< value
  double d = 0.0;  ///< tangent (derivative along the direction)

  constexpr Dual() noexcept = default;
  /// A constant: tangent 0. Implicit, so that rules can mix numbers and Duals.
  constexpr Dual(double value) noexcept : v(value) {}  // NOLINT(google-explicit-constructor)
  /// A value with its tangent.
  constexpr Dual(double value, double tangent) noexcept : v(value), d(tangent) {}

  /// Comparisons look at values only, as the rules' branches do with double.
  friend constexpr bool operator==(const Dual& a, const Dual& b) noexcept { return a.v == b.v; }
  friend constexpr std::partial_ordering operator<=>(const Dual& a, const Dual& b) noexcept { return a.v <=> b.v; }
  friend constexpr bool operator==(const Dual& a, double b) noexcept { return a.v == b; }
  friend constexpr std::partial_ordering operator<=>(const Dual& a, double b) noexcept { return a.v <=> b; }

  friend constexpr Dual operator-(const Dual& a) noexcept { return {-a.v, -a.d}; }
  friend constexpr Dual operator+(const Dual& a, const Dual& b) noexcept { return {a.v + b.v, a.d + b.d}; }
  friend constexpr Dual operator-(const Dual& a, const Dual& b) noexcept { return {a.v - b.v, a.d - b.d}; }
  friend constexpr Dual operator*(const Dual& a, const Dual& b) noexcept { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
  friend constexpr Dual operator/(const Dual& a, const Dual& b) noexcept {
    const double q = a.v / b.v;
    return {q, (a.d - q * b.d) / b.v};
  }
  friend constexpr Dual operator+(const Dual& a, double b) noexcept { return {a.v + b, a.d}; }
  friend constexpr Dual operator+(double a, const Dual& b) noexcept { return {a + b.v, b.d}; }
  friend constexpr Dual operator-(const Dual& a, double b) noexcept { return {a.v - b, a.d}; }
  friend constexpr Dual operator-(double a, const Dual& b) noexcept { return {a - b.v, -b.d}; }
  friend constexpr Dual operator*(const Dual& a, double b) noexcept { return {a.v * b, a.d * b}; }
  friend constexpr Dual operator*(double a, const Dual& b) noexcept { return {a * b.v, a * b.d}; }
  friend constexpr Dual operator/(const Dual& a, double b) noexcept { return {a.v / b, a.d / b}; }
  friend constexpr Dual operator/(double a, const Dual& b) noexcept {
    const double q = a / b.v;
    return {q, -q * b.d / b.v};
  }
};

namespace math {

// double: the standard functions themselves (so a rule instantiated with double is unchanged).
inline double exp(double x) noexcept { return std::exp(x); }
inline double log(double x) noexcept { return std::log(x); }
inline double sqrt(double x) noexcept { return std::sqrt(x); }
inline double sin(double x) noexcept { return std::sin(x); }
inline double cos(double x) noexcept { return std::cos(x); }
inline double sinh(double x) noexcept { return std::sinh(x); }
inline double cosh(double x) noexcept { return std::cosh(x); }
inline double hypot(double a, double b) noexcept { return std::hypot(a, b); }
inline double pow(double a, double b) noexcept { return std::pow(a, b); }
inline bool isfinite(double x) noexcept { return std::isfinite(x); }
inline bool isnan(double x) noexcept { return std::isnan(x); }
inline bool isinf(double x) noexcept { return std::isinf(x); }
inline double digamma(double x) noexcept { return slope::digamma(x); }

// Dual: value and the derivative along the tangent (forward mode).
inline Dual exp(const Dual& x) noexcept {
  const double e = std::exp(x.v);
  return {e, e * x.d};
}
inline Dual log(const Dual& x) noexcept { return {std::log(x.v), x.d / x.v}; }
inline Dual sqrt(const Dual& x) noexcept {
  const double r = std::sqrt(x.v);
  return {r, x.d == 0.0 ? 0.0 : 0.5 * x.d / r};
}
inline Dual sin(const Dual& x) noexcept { return {std::sin(x.v), std::cos(x.v) * x.d}; }
inline Dual cos(const Dual& x) noexcept { return {std::cos(x.v), -std::sin(x.v) * x.d}; }
inline Dual sinh(const Dual& x) noexcept { return {std::sinh(x.v), std::cosh(x.v) * x.d}; }
inline Dual cosh(const Dual& x) noexcept { return {std::cosh(x.v), std::sinh(x.v) * x.d}; }
inline Dual hypot(const Dual& a, const Dual& b) noexcept {
  const double r = std::hypot(a.v, b.v);
  return {r, r == 0.0 ? 0.0 : (a.v / r) * a.d + (b.v / r) * b.d};
}
/// a^b; the exponent's tangent term (a^b ln a) only when the exponent moves, so that a negative
/// base with a fixed integer exponent stays finite.
inline Dual pow(const Dual& a, const Dual& b) noexcept {
  const double z = std::pow(a.v, b.v);
  const double da = a.d == 0.0 ? 0.0 : b.v * std::pow(a.v, b.v - 1.0) * a.d;
  const double db = b.d == 0.0 ? 0.0 : z * std::log(a.v) * b.d;
  return {z, da + db};
}
inline bool isfinite(const Dual& x) noexcept { return std::isfinite(x.v); }
inline bool isnan(const Dual& x) noexcept { return std::isnan(x.v); }
inline bool isinf(const Dual& x) noexcept { return std::isinf(x.v); }
inline Dual digamma(const Dual& x) noexcept { return {slope::digamma(x.v), trigamma(x.v) * x.d}; }

}  // namespace math
}  // namespace slope
