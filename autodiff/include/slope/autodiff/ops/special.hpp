#pragma once
/// \file
/// Special functions: erf erfc erfinv lgamma tgamma, and digamma (the derivative of lgamma).

#include <cmath>
#include <numbers>
#include <string_view>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Digamma function psi(x) = d/dx ln|Gamma(x)|, for double. Poles at 0, -1, -2, ... give NaN.
/// Accurate to about 1e-15 relative (recurrence up to x >= 10, then the asymptotic series;
/// a Taylor series around the positive root 1.4616..., so that psi keeps its relative
/// precision where it crosses 0; reflection for x < 0).
double digamma(double x) noexcept;

namespace detail {
/// ln|Gamma(x)| without touching the global `signgam` (std::lgamma does; this is thread-safe).
double log_gamma(double x) noexcept;
}  // namespace detail

/// Inverse error function for double: erfinv(erf(x)) = x; +-inf at +-1, NaN outside [-1, 1].
/// Accurate to a few ulp (a rational first guess refined by Newton steps on erf).
double erfinv(double y) noexcept;

/// Error function: y = erf x.  Partial: dy/dx = (2/sqrt(pi)) e^(-x^2).
struct Erf {
  static constexpr std::string_view name = "erf";
  static double value(double x) noexcept { return std::erf(x); }
  template <class T>
  static T partial(T x, T) noexcept {
    return std::numbers::inv_sqrtpi * 2.0 * math::exp(-x * x);
  }
};

/// Complementary error function: y = erfc x = 1 - erf x, accurate for large x.
/// Partial: dy/dx = -(2/sqrt(pi)) e^(-x^2).
struct Erfc {
  static constexpr std::string_view name = "erfc";
  static double value(double x) noexcept { return std::erfc(x); }
  template <class T>
  static T partial(T x, T) noexcept {
    return -std::numbers::inv_sqrtpi * 2.0 * math::exp(-x * x);
  }
};

/// Inverse error function: x = erfinv(y), defined for -1 <= y <= 1 (+-inf at +-1), as used for
/// normal quantiles (Phi^-1(p) = sqrt(2) erfinv(2p - 1)).
/// Partial: dx/dy = (sqrt(pi)/2) e^(x^2) (reuses x).
struct Erfinv {
  static constexpr std::string_view name = "erfinv";
  static constexpr std::string_view domain = "must be in [-1, 1]";
  static constexpr bool in_domain(double y) noexcept { return y >= -1.0 && y <= 1.0; }
  static double value(double y) noexcept { return slope::erfinv(y); }
  template <class T>
  static T partial(T, T x) noexcept {
    return 0.88622692545275801365 * math::exp(x * x);  // sqrt(pi) / 2
  }
};

/// Log-gamma: y = ln|Gamma(x)|, infinite at the poles 0, -1, -2, ...
/// Partial: dy/dx = psi(x), the digamma function.
struct Lgamma {
  static constexpr std::string_view name = "lgamma";
  static double value(double x) noexcept { return detail::log_gamma(x); }
  template <class T>
  static T partial(T x, T) noexcept { return math::digamma(x); }
};

/// Gamma function: y = Gamma(x); NaN at the negative integers, infinite at 0.
/// Partial: dy/dx = Gamma(x) psi(x) = y psi(x).
struct Tgamma {
  static constexpr std::string_view name = "tgamma";
  static constexpr std::string_view domain = "must not be a negative integer";
  static bool in_domain(double x) noexcept { return !(x < 0.0 && x == std::trunc(x)); }
  static double value(double x) noexcept { return std::tgamma(x); }
  template <class T>
  static T partial(T x, T y) noexcept { return y * math::digamma(x); }
};

/// erf x; see Erf.
SLOPE_ALWAYS_INLINE Var erf(Var x) { return record_unary<Erf>(detail::forward(x)); }
/// \overload: erf of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto erf(E x) { return unary_expression<Erf>(detail::take(x)); }
/// erfc x; see Erfc.
SLOPE_ALWAYS_INLINE Var erfc(Var x) { return record_unary<Erfc>(detail::forward(x)); }
/// \overload: erfc of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto erfc(E x) { return unary_expression<Erfc>(detail::take(x)); }
/// erfinv y; see Erfinv.
SLOPE_ALWAYS_INLINE Var erfinv(Var y) { return record_unary<Erfinv>(detail::forward(y)); }
/// \overload: erfinv of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto erfinv(E y) { return unary_expression<Erfinv>(detail::take(y)); }
/// ln|Gamma(x)|; see Lgamma.
SLOPE_ALWAYS_INLINE Var lgamma(Var x) { return record_unary<Lgamma>(detail::forward(x)); }
/// \overload: lgamma of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto lgamma(E x) { return unary_expression<Lgamma>(detail::take(x)); }
/// Gamma(x); see Tgamma.
SLOPE_ALWAYS_INLINE Var tgamma(Var x) { return record_unary<Tgamma>(detail::forward(x)); }
/// \overload: tgamma of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto tgamma(E x) { return unary_expression<Tgamma>(detail::take(x)); }

}  // namespace slope
