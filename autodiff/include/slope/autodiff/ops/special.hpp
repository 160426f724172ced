#pragma once
/// \file
/// Special functions: erf erfc lgamma tgamma, and digamma (the derivative of lgamma).

#include <cmath>
#include <numbers>
#include <string_view>

#include "slope/autodiff/math.hpp"
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

/// Error function: y = erf x.  Partial: dy/dx = (2/sqrt(pi)) e^(-x^2).
struct Erf {
  static constexpr std::string_view name = "erf";
  static constexpr OpCode code = OpCode::Erf;
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
  static constexpr OpCode code = OpCode::Erfc;
  static double value(double x) noexcept { return std::erfc(x); }
  template <class T>
  static T partial(T x, T) noexcept {
    return -std::numbers::inv_sqrtpi * 2.0 * math::exp(-x * x);
  }
};

/// Log-gamma: y = ln|Gamma(x)|, infinite at the poles 0, -1, -2, ...
/// Partial: dy/dx = psi(x), the digamma function.
struct Lgamma {
  static constexpr std::string_view name = "lgamma";
  static constexpr OpCode code = OpCode::Lgamma;
  static double value(double x) noexcept { return detail::log_gamma(x); }
  template <class T>
  static T partial(T x, T) noexcept { return math::digamma(x); }
};

/// Gamma function: y = Gamma(x); NaN at the negative integers, infinite at 0.
/// Partial: dy/dx = Gamma(x) psi(x) = y psi(x).
struct Tgamma {
  static constexpr std::string_view name = "tgamma";
  static constexpr OpCode code = OpCode::Tgamma;
  static constexpr std::string_view domain = "must not be a negative integer";
  static bool in_domain(double x) noexcept { return !(x < 0.0 && x == std::trunc(x)); }
  static double value(double x) noexcept { return std::tgamma(x); }
  template <class T>
  static T partial(T x, T y) noexcept { return y * math::digamma(x); }
};

/// erf x; see Erf.
SLOPE_ALWAYS_INLINE Var erf(Var x) { return record_unary<Erf>(detail::forward(x)); }
/// erfc x; see Erfc.
SLOPE_ALWAYS_INLINE Var erfc(Var x) { return record_unary<Erfc>(detail::forward(x)); }
/// ln|Gamma(x)|; see Lgamma.
SLOPE_ALWAYS_INLINE Var lgamma(Var x) { return record_unary<Lgamma>(detail::forward(x)); }
/// Gamma(x); see Tgamma.
SLOPE_ALWAYS_INLINE Var tgamma(Var x) { return record_unary<Tgamma>(detail::forward(x)); }

}  // namespace slope
