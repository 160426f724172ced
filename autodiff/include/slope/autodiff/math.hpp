#pragma once
/// \file
/// slope::math: the elementary functions the derivative rules (ops/*.hpp) call, for double and
/// for slope::Dual, so that one rule's partial, written once as a template, gives its value with
/// double and its derivative along a tangent with Dual. Function::hessian_vector_product
/// evaluates the rules' partials with Dual: no second derivative is written by hand per rule.

#include <bit>
#include <cmath>
#include <cstdint>
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

/// e^x for x <= 0 (or NaN), within one ulp: what sigmoid, log_sigmoid and softplus take of
/// -|x|. Unlike std::exp it is written out (no call, and selects instead of branches), so that
/// a loop over it vectorizes (vectorized_rules.cpp) and gives the same bits as one call.
/// x = k ln 2 + r with |r| <= ln(2) / 2; e^r by its Taylor series to r^13 (the next term is
/// below 5e-18); 2^k as two powers of two, each a normal number, so that the only rounding of a
/// subnormal result is the last product. Below -746 the result rounds to 0 anyway.
inline double exp_nonpositive(double x) noexcept {
  constexpr double kRound = 0x1.8p52;  // adding it rounds |t| < 2^51 to an integer
  const double clamped = x < -746.0 ? -746.0 : x;
  const double t = clamped * 1.4426950408889634 + kRound;  // 1 / ln 2
  const double k = t - kRound;
  // ln 2 split so that k times its first part is exact for |k| < 2^20.
  const double r = (clamped - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  double q = 1.0 / 6227020800.0;  // 1/13!, then down to 1/2!
  q = q * r + 1.0 / 479001600.0;
  q = q * r + 1.0 / 39916800.0;
  q = q * r + 1.0 / 3628800.0;
  q = q * r + 1.0 / 362880.0;
  q = q * r + 1.0 / 40320.0;
  q = q * r + 1.0 / 5040.0;
  q = q * r + 1.0 / 720.0;
  q = q * r + 1.0 / 120.0;
  q = q * r + 1.0 / 24.0;
  q = q * r + 1.0 / 6.0;
  q = q * r + 0.5;
  const double er = 1.0 + (r + (r * r) * q);  // 1 added last: one rounding near 1
  // -k from t's bits (t = kRound + k, in one binade), halved into two exponents >= -539.
  const std::uint64_t j = std::bit_cast<std::uint64_t>(kRound) - std::bit_cast<std::uint64_t>(t);
  const std::uint64_t j1 = j >> 1;
  const std::uint64_t j2 = j - j1;
  return er * std::bit_cast<double>((1023 - j1) << 52) * std::bit_cast<double>((1023 - j2) << 52);
}

/// ln(1 + u) for u in [0, 1] (or NaN), within one ulp: what softplus and log_sigmoid take of
/// e^-|x|. Written out for the same reason as exp_nonpositive. With v = 1 + u rounded and
/// c = u - (v - 1) its rounding error, ln(1 + u) = ln v + c / v; ln v = k ln 2 + ln(1 + f)
/// with 1 + f = v / 2^k in [sqrt(2)/2, sqrt(2)] (k = 0 or 1, f exact), and
/// ln(1 + f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), s = f / (2 + f), R = sum_j 2 s^(2j) / (2j + 1)
/// to j = 10 (the next term is below 1e-18 of the result).
inline double log1p_unit(double u) noexcept {
  const double v = 1.0 + u;
  const double c = (u - (v - 1.0)) / v;
  const bool high = v > 1.4142135623730951;
  const double f_low = v - 1.0;
  const double f_high = (v - 2.0) * 0.5;
  const double f = high ? f_high : f_low;
  const double k = high ? 1.0 : 0.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  double q = 2.0 / 21.0;
  q = q * z + 2.0 / 19.0;
  q = q * z + 2.0 / 17.0;
  q = q * z + 2.0 / 15.0;
  q = q * z + 2.0 / 13.0;
  q = q * z + 2.0 / 11.0;
  q = q * z + 2.0 / 9.0;
  q = q * z + 2.0 / 7.0;
  q = q * z + 2.0 / 5.0;
  q = q * z + 2.0 / 3.0;
  const double R = z * q;
  const double half_f2 = 0.5 * f * f;
  // ln 2 = 0.6931471805599453 + 2.3190468138462996e-17
  return k * 0.6931471805599453 + (f - (half_f2 - (s * (half_f2 + R) + (k * 2.3190468138462996e-17 + c))));
}

// Dual: value and the derivative along the tangent (forward mode).
inline Dual exp(const Dual& x) noexcept {
  const double e = std::exp(x.v);
  return {e, e * x.d};
}
inline Dual exp_nonpositive(const Dual& x) noexcept {
  const double e = exp_nonpositive(x.v);
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
