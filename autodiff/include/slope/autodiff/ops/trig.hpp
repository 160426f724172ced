#pragma once
/// \file
/// Circular and hyperbolic functions and their inverses:
/// sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh.

#include <cmath>
#include <string_view>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Sine: y = sin x.  Partial: dy/dx = cos x.
struct Sin {
  static constexpr std::string_view name = "sin";
  static double value(double x) noexcept { return std::sin(x); }
  template <class T>
  static T partial(T x, T) noexcept { return math::cos(x); }
};

/// Cosine: y = cos x.  Partial: dy/dx = -sin x.
struct Cos {
  static constexpr std::string_view name = "cos";
  static double value(double x) noexcept { return std::cos(x); }
  template <class T>
  static T partial(T x, T) noexcept { return -math::sin(x); }
};

/// Tangent: y = tan x.  Partial: dy/dx = 1 + tan^2 x = 1 + y^2.
struct Tan {
  static constexpr std::string_view name = "tan";
  static double value(double x) noexcept { return std::tan(x); }
  template <class T>
  static T partial(T, T y) noexcept { return 1.0 + y * y; }
};

/// Arcsine: y = asin x, defined for -1 <= x <= 1.  Partial: dy/dx = 1/sqrt(1 - x^2)
/// (written (1-x)(1+x) to keep precision near +-1; infinite at +-1).
struct Asin {
  static constexpr std::string_view name = "asin";
  static constexpr std::string_view domain = "must be in [-1, 1]";
  static constexpr bool in_domain(double x) noexcept { return x >= -1.0 && x <= 1.0; }
  static double value(double x) noexcept { return std::asin(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / math::sqrt((1.0 - x) * (1.0 + x)); }
};

/// Arccosine: y = acos x, defined for -1 <= x <= 1.  Partial: dy/dx = -1/sqrt(1 - x^2).
struct Acos {
  static constexpr std::string_view name = "acos";
  static constexpr std::string_view domain = "must be in [-1, 1]";
  static constexpr bool in_domain(double x) noexcept { return x >= -1.0 && x <= 1.0; }
  static double value(double x) noexcept { return std::acos(x); }
  template <class T>
  static T partial(T x, T) noexcept { return -1.0 / math::sqrt((1.0 - x) * (1.0 + x)); }
};

/// Arctangent: y = atan x.  Partial: dy/dx = 1/(1 + x^2) (tends to 0 as |x| grows; no overflow).
struct Atan {
  static constexpr std::string_view name = "atan";
  static double value(double x) noexcept { return std::atan(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / (1.0 + x * x); }
};

/// Two-argument arctangent: z = atan2(a, b), the angle of the point (b, a).
/// Partials: dz/da = b/(a^2 + b^2), dz/db = -a/(a^2 + b^2); both taken as 0 at the origin,
/// where the angle has no derivative.
struct Atan2 {
  static constexpr std::string_view name = "atan2";
  static double value(double a, double b) noexcept { return std::atan2(a, b); }
  template <class T>
  static T d_first(T a, T b, T) noexcept {
    const T r = math::hypot(a, b);
    return r == 0.0 ? 0.0 : (b / r) / r;
  }
  template <class T>
  static T d_second(T a, T b, T) noexcept {
    const T r = math::hypot(a, b);
    return r == 0.0 ? 0.0 : (-a / r) / r;
  }
};

/// Hyperbolic sine: y = sinh x.  Partial: dy/dx = cosh x.
struct Sinh {
  static constexpr std::string_view name = "sinh";
  static double value(double x) noexcept { return std::sinh(x); }
  template <class T>
  static T partial(T x, T) noexcept { return math::cosh(x); }
};

/// Hyperbolic cosine: y = cosh x.  Partial: dy/dx = sinh x.
struct Cosh {
  static constexpr std::string_view name = "cosh";
  static double value(double x) noexcept { return std::cosh(x); }
  template <class T>
  static T partial(T x, T) noexcept { return math::sinh(x); }
};

/// Hyperbolic tangent: y = tanh x.  Partial: dy/dx = 1 - tanh^2 x = (1 - y)(1 + y).
struct Tanh {
  static constexpr std::string_view name = "tanh";
  static double value(double x) noexcept { return std::tanh(x); }
  template <class T>
  static T partial(T, T y) noexcept { return (1.0 - y) * (1.0 + y); }
};

/// Inverse hyperbolic sine: y = asinh x.  Partial: dy/dx = 1/sqrt(x^2 + 1) (as 1/hypot(x, 1),
/// which does not overflow for large x).
struct Asinh {
  static constexpr std::string_view name = "asinh";
  static double value(double x) noexcept { return std::asinh(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / math::hypot(x, 1.0); }
};

/// Inverse hyperbolic cosine: y = acosh x, defined for x >= 1.
/// Partial: dy/dx = 1/sqrt(x^2 - 1) = 1/(sqrt(x-1) sqrt(x+1)) (infinite at 1).
struct Acosh {
  static constexpr std::string_view name = "acosh";
  static constexpr std::string_view domain = "must be >= 1";
  static constexpr bool in_domain(double x) noexcept { return x >= 1.0; }
  static double value(double x) noexcept { return std::acosh(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / (math::sqrt(x - 1.0) * math::sqrt(x + 1.0)); }
};

/// Inverse hyperbolic tangent: y = atanh x, defined for -1 <= x <= 1 (infinite at +-1).
/// Partial: dy/dx = 1/(1 - x^2) = 1/((1-x)(1+x)).
struct Atanh {
  static constexpr std::string_view name = "atanh";
  static constexpr std::string_view domain = "must be in [-1, 1]";
  static constexpr bool in_domain(double x) noexcept { return x >= -1.0 && x <= 1.0; }
  static double value(double x) noexcept { return std::atanh(x); }
  template <class T>
  static T partial(T x, T) noexcept { return 1.0 / ((1.0 - x) * (1.0 + x)); }
};

/// sin x; see Sin.
SLOPE_ALWAYS_INLINE Var sin(Var x) { return record_unary<Sin>(detail::forward(x)); }
/// \overload: sin of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto sin(E x) { return unary_expression<Sin>(detail::take(x)); }
/// cos x; see Cos.
SLOPE_ALWAYS_INLINE Var cos(Var x) { return record_unary<Cos>(detail::forward(x)); }
/// \overload: cos of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto cos(E x) { return unary_expression<Cos>(detail::take(x)); }
/// tan x; see Tan.
SLOPE_ALWAYS_INLINE Var tan(Var x) { return record_unary<Tan>(detail::forward(x)); }
/// \overload: tan of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto tan(E x) { return unary_expression<Tan>(detail::take(x)); }
/// asin x; see Asin.
SLOPE_ALWAYS_INLINE Var asin(Var x) { return record_unary<Asin>(detail::forward(x)); }
/// \overload: asin of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto asin(E x) { return unary_expression<Asin>(detail::take(x)); }
/// acos x; see Acos.
SLOPE_ALWAYS_INLINE Var acos(Var x) { return record_unary<Acos>(detail::forward(x)); }
/// \overload: acos of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto acos(E x) { return unary_expression<Acos>(detail::take(x)); }
/// atan x; see Atan.
SLOPE_ALWAYS_INLINE Var atan(Var x) { return record_unary<Atan>(detail::forward(x)); }
/// \overload: atan of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto atan(E x) { return unary_expression<Atan>(detail::take(x)); }
/// atan2(a, b); see Atan2.
SLOPE_ALWAYS_INLINE Var atan2(Var a, Var b) { return record_binary<Atan2>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var atan2(Var a, double b) { return record_binary<Atan2>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var atan2(double a, Var b) { return record_binary<Atan2>(a, detail::forward(b)); }
/// sinh x; see Sinh.
SLOPE_ALWAYS_INLINE Var sinh(Var x) { return record_unary<Sinh>(detail::forward(x)); }
/// \overload: sinh of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto sinh(E x) { return unary_expression<Sinh>(detail::take(x)); }
/// cosh x; see Cosh.
SLOPE_ALWAYS_INLINE Var cosh(Var x) { return record_unary<Cosh>(detail::forward(x)); }
/// \overload: cosh of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto cosh(E x) { return unary_expression<Cosh>(detail::take(x)); }
/// tanh x; see Tanh.
SLOPE_ALWAYS_INLINE Var tanh(Var x) { return record_unary<Tanh>(detail::forward(x)); }
/// \overload: tanh of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto tanh(E x) { return unary_expression<Tanh>(detail::take(x)); }
/// asinh x; see Asinh.
SLOPE_ALWAYS_INLINE Var asinh(Var x) { return record_unary<Asinh>(detail::forward(x)); }
/// \overload: asinh of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto asinh(E x) { return unary_expression<Asinh>(detail::take(x)); }
/// acosh x; see Acosh.
SLOPE_ALWAYS_INLINE Var acosh(Var x) { return record_unary<Acosh>(detail::forward(x)); }
/// \overload: acosh of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto acosh(E x) { return unary_expression<Acosh>(detail::take(x)); }
/// atanh x; see Atanh.
SLOPE_ALWAYS_INLINE Var atanh(Var x) { return record_unary<Atanh>(detail::forward(x)); }
/// \overload: atanh of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto atanh(E x) { return unary_expression<Atanh>(detail::take(x)); }

}  // namespace slope
