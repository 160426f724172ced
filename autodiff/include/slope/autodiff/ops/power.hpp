#pragma once
/// \file
/// Powers: pow (Var^Var, Var^double, double^Var, Var^int), square, hypot.

#include <cmath>
#include <string_view>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Power: z = a^b. Defined for a >= 0, and for a < 0 when b is an integer.
/// Partials: dz/da = b a^(b-1) (= b z / a for a != 0);
///           dz/db = z ln a, taken as 0 at a = 0 with b > 0 (there z is 0 for every b > 0);
///           for a < 0 it is NaN: a^b is not defined for b near an integer, so it has no
///           derivative in b (a checked tape reports it).
struct Pow {
  static constexpr std::string_view name = "pow";
  static constexpr std::string_view domain = "a negative base needs an integer exponent";
  static bool in_domain(double a, double b) noexcept { return !(a < 0.0) || b == std::trunc(b) || std::isnan(b); }
  static double value(double a, double b) noexcept { return std::pow(a, b); }
  template <class T>
  static T d_first(T a, T b, T z) noexcept {
    if (b == 0.0) return 0.0;
    if (a != 0.0 && math::isfinite(z) && z != 0.0) return b * z / a;
    return b * math::pow(a, b - 1.0);
  }
  template <class T>
  static T d_second(T a, T b, T z) noexcept {
    if (a == 0.0 && b > 0.0) return 0.0;
    return z * math::log(a);
  }
};

/// Square: y = x^2.  Partial: dy/dx = 2x.
struct Square {
  static constexpr std::string_view name = "square";
  static constexpr double value(double x) noexcept { return x * x; }
  template <class T>
  static constexpr T partial(T x, T) noexcept { return 2.0 * x; }
};

/// Hypotenuse: z = sqrt(a^2 + b^2) without overflow.
/// Partials: dz/da = a/z, dz/db = b/z; both taken as 0 at the origin (a subgradient; the
/// cone has no derivative there).
struct Hypot {
  static constexpr std::string_view name = "hypot";
  static double value(double a, double b) noexcept { return std::hypot(a, b); }
  template <class T>
  static T d_first(T a, T, T z) noexcept { return z == 0.0 ? 0.0 : a / z; }
  template <class T>
  static T d_second(T, T b, T z) noexcept { return z == 0.0 ? 0.0 : b / z; }
};

/// a^b; see Pow.
SLOPE_ALWAYS_INLINE Var pow(Var a, Var b) { return record_binary<Pow>(detail::forward(a), detail::forward(b)); }
/// a^b with a constant exponent: one edge, no logarithm computed.
SLOPE_ALWAYS_INLINE Var pow(Var a, double b) { return record_binary<Pow>(detail::forward(a), b); }
/// a^b with a constant base.
SLOPE_ALWAYS_INLINE Var pow(double a, Var b) { return record_binary<Pow>(a, detail::forward(b)); }
/// a^n for an integer n (negative bases allowed).
SLOPE_ALWAYS_INLINE Var pow(Var a, int n) { return record_binary<Pow>(detail::forward(a), static_cast<double>(n)); }
/// x^2; see Square.
SLOPE_ALWAYS_INLINE Var square(Var x) { return record_unary<Square>(detail::forward(x)); }
/// \overload: square of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto square(E x) { return unary_expression<Square>(detail::take(x)); }
/// sqrt(a^2 + b^2); see Hypot.
SLOPE_ALWAYS_INLINE Var hypot(Var a, Var b) { return record_binary<Hypot>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var hypot(Var a, double b) { return record_binary<Hypot>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var hypot(double a, Var b) { return record_binary<Hypot>(a, detail::forward(b)); }

}  // namespace slope
