#pragma once
/// \file
/// Exponentials, logarithms and roots: exp exp2 expm1 log log2 log10 log1p sqrt cbrt.

#include <cmath>
#include <numbers>
#include <string_view>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Exponential: y = e^x.  Partial: dy/dx = e^x = y.
struct Exp {
  static constexpr std::string_view name = "exp";
  static double value(double x) noexcept { return std::exp(x); }
  template <class T>
  static T partial(T, T y) noexcept { return y; }
};

/// Base-2 exponential: y = 2^x.  Partial: dy/dx = y ln 2.
struct Exp2 {
  static constexpr std::string_view name = "exp2";
  static double value(double x) noexcept { return std::exp2(x); }
  template <class T>
  static T partial(T, T y) noexcept { return y * std::numbers::ln2; }
};

/// y = e^x - 1, accurate near 0.  Partial: dy/dx = e^x = y + 1.
struct Expm1 {
  static constexpr std::string_view name = "expm1";
  static double value(double x) noexcept { return std::expm1(x); }
  template <class T>
  static T partial(T, T y) noexcept { return y + 1.0; }
};

/// Natural logarithm: y = ln x, defined for x >= 0 (ln 0 = -inf).  Partial: dy/dx = 1/x.
struct Log {
  static constexpr std::string_view name = "log";
  static constexpr std::string_view domain = "must be >= 0";
  static constexpr bool in_domain(double x) noexcept { return x >= 0.0; }
  static double value(double x) noexcept { return std::log(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / x; }
};

/// Base-2 logarithm: y = log2 x, defined for x >= 0.  Partial: dy/dx = 1/(x ln 2).
struct Log2 {
  static constexpr std::string_view name = "log2";
  static constexpr std::string_view domain = "must be >= 0";
  static constexpr bool in_domain(double x) noexcept { return x >= 0.0; }
  static double value(double x) noexcept { return std::log2(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / (x * std::numbers::ln2); }
};

/// Base-10 logarithm: y = log10 x, defined for x >= 0.  Partial: dy/dx = 1/(x ln 10).
struct Log10 {
  static constexpr std::string_view name = "log10";
  static constexpr std::string_view domain = "must be >= 0";
  static constexpr bool in_domain(double x) noexcept { return x >= 0.0; }
  static double value(double x) noexcept { return std::log10(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / (x * std::numbers::ln10); }
};

/// y = ln(1 + x), accurate near 0, defined for x >= -1.  Partial: dy/dx = 1/(1 + x).
struct Log1p {
  static constexpr std::string_view name = "log1p";
  static constexpr std::string_view domain = "must be >= -1";
  static constexpr bool in_domain(double x) noexcept { return x >= -1.0; }
  static double value(double x) noexcept { return std::log1p(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / (1.0 + x); }
};

/// Square root: y = sqrt(x), defined for x >= 0.  Partial: dy/dx = 1/(2 sqrt(x)) = 0.5/y
/// (infinite at 0).
struct Sqrt {
  static constexpr std::string_view name = "sqrt";
  static constexpr std::string_view domain = "must be >= 0";
  static constexpr bool in_domain(double x) noexcept { return x >= 0.0; }
  static double value(double x) noexcept { return std::sqrt(x); }
  template <class T>
  static T partial(T, T y) noexcept { return 0.5 / y; }
};

/// Cube root: y = cbrt(x), defined everywhere.  Partial: dy/dx = 1/(3 cbrt(x)^2) = 1/(3y^2)
/// (infinite at 0).
struct Cbrt {
  static constexpr std::string_view name = "cbrt";
  static double value(double x) noexcept { return std::cbrt(x); }
  template <class T>
  static T partial(T, T y) noexcept { return 1.0 / (3.0 * y * y); }
};

/// e^x; see Exp.
SLOPE_ALWAYS_INLINE Var exp(Var x) { return record_unary<Exp>(detail::forward(x)); }
/// \overload: exp of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto exp(E x) { return unary_expression<Exp>(detail::take(x)); }
/// 2^x; see Exp2.
SLOPE_ALWAYS_INLINE Var exp2(Var x) { return record_unary<Exp2>(detail::forward(x)); }
/// \overload: exp2 of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto exp2(E x) { return unary_expression<Exp2>(detail::take(x)); }
/// e^x - 1; see Expm1.
SLOPE_ALWAYS_INLINE Var expm1(Var x) { return record_unary<Expm1>(detail::forward(x)); }
/// \overload: expm1 of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto expm1(E x) { return unary_expression<Expm1>(detail::take(x)); }
/// ln x; see Log. A checked tape throws DomainError("log") for x < 0.
SLOPE_ALWAYS_INLINE Var log(Var x) { return record_unary<Log>(detail::forward(x)); }
/// \overload: log of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto log(E x) { return unary_expression<Log>(detail::take(x)); }
/// log2 x; see Log2.
SLOPE_ALWAYS_INLINE Var log2(Var x) { return record_unary<Log2>(detail::forward(x)); }
/// \overload: log2 of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto log2(E x) { return unary_expression<Log2>(detail::take(x)); }
/// log10 x; see Log10.
SLOPE_ALWAYS_INLINE Var log10(Var x) { return record_unary<Log10>(detail::forward(x)); }
/// \overload: log10 of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto log10(E x) { return unary_expression<Log10>(detail::take(x)); }
/// ln(1 + x); see Log1p.
SLOPE_ALWAYS_INLINE Var log1p(Var x) { return record_unary<Log1p>(detail::forward(x)); }
/// \overload: log1p of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto log1p(E x) { return unary_expression<Log1p>(detail::take(x)); }
/// sqrt(x); see Sqrt.
SLOPE_ALWAYS_INLINE Var sqrt(Var x) { return record_unary<Sqrt>(detail::forward(x)); }
/// \overload: sqrt of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto sqrt(E x) { return unary_expression<Sqrt>(detail::take(x)); }
/// cbrt(x); see Cbrt.
SLOPE_ALWAYS_INLINE Var cbrt(Var x) { return record_unary<Cbrt>(detail::forward(x)); }
/// \overload: cbrt of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto cbrt(E x) { return unary_expression<Cbrt>(detail::take(x)); }

}  // namespace slope
