#pragma once
/// \file
/// Piecewise operations: abs fabs fmin fmax min max fma, and the rounding functions
/// floor ceil round trunc.
///
/// Convention at kinks (where no derivative exists), chosen so that the reported value is a
/// subgradient and symmetric cases stay symmetric:
/// - abs'(0) = 0, as in Stan and PyTorch: 0 is in the subdifferential [-1, 1], and an
///   optimizer sitting exactly at the kink is not pushed off it.
/// - fmax/fmin at a tie give each argument 1/2, so max(x, x) = x still has derivative 1.
///   A NaN argument is ignored, as std::fmax does: the other argument gets the whole partial.

#include <array>
#include <cmath>
#include <string_view>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Absolute value: y = |x|.  Partial: dy/dx = sign(x), taken as 0 at x = 0.
struct Abs {
  static constexpr std::string_view name = "abs";
  static double value(double x) noexcept { return std::fabs(x); }
  template <class T>
  static constexpr T partial(T x, T) noexcept {
    return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x == 0.0 ? 0.0 : x;  // NaN stays NaN
  }
};

/// Larger argument: z = fmax(a, b), ignoring a NaN argument.
/// Partials: dz/da = 1 where a > b, 0 where a < b, 1/2 at a tie (dz/db symmetric).
struct Fmax {
  static constexpr std::string_view name = "fmax";
  static double value(double a, double b) noexcept { return std::fmax(a, b); }
  template <class T>
  static constexpr T d_first(T a, T b, T) noexcept {
    if (b != b) return 1.0;
    if (a != a) return 0.0;
    return a > b ? 1.0 : a < b ? 0.0 : 0.5;
  }
  template <class T>
  static constexpr T d_second(T a, T b, T z) noexcept { return d_first(b, a, z); }
};

/// Smaller argument: z = fmin(a, b), ignoring a NaN argument.
/// Partials: dz/da = 1 where a < b, 0 where a > b, 1/2 at a tie (dz/db symmetric).
struct Fmin {
  static constexpr std::string_view name = "fmin";
  static double value(double a, double b) noexcept { return std::fmin(a, b); }
  template <class T>
  static constexpr T d_first(T a, T b, T) noexcept {
    if (b != b) return 1.0;
    if (a != a) return 0.0;
    return a < b ? 1.0 : a > b ? 0.0 : 0.5;
  }
  template <class T>
  static constexpr T d_second(T a, T b, T z) noexcept { return d_first(b, a, z); }
};

/// |x|; see Abs.
SLOPE_ALWAYS_INLINE Var abs(Var x) { return record_unary<Abs>(detail::forward(x)); }
/// \overload: abs of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto abs(E x) { return unary_expression<Abs>(detail::take(x)); }
/// |x|; the same as abs.
SLOPE_ALWAYS_INLINE Var fabs(Var x) { return record_unary<Abs>(detail::forward(x)); }
/// \overload: fabs of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto fabs(E x) { return unary_expression<Abs>(detail::take(x)); }

/// fmax(a, b); see Fmax.
SLOPE_ALWAYS_INLINE Var fmax(Var a, Var b) { return record_binary<Fmax>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var fmax(Var a, double b) { return record_binary<Fmax>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var fmax(double a, Var b) { return record_binary<Fmax>(a, detail::forward(b)); }
/// fmin(a, b); see Fmin.
SLOPE_ALWAYS_INLINE Var fmin(Var a, Var b) { return record_binary<Fmin>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var fmin(Var a, double b) { return record_binary<Fmin>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var fmin(double a, Var b) { return record_binary<Fmin>(a, detail::forward(b)); }

/// The larger of a and b: fmax (a tie splits the derivative; a NaN argument is ignored).
SLOPE_ALWAYS_INLINE Var max(Var a, Var b) { return record_binary<Fmax>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var max(Var a, double b) { return record_binary<Fmax>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var max(double a, Var b) { return record_binary<Fmax>(a, detail::forward(b)); }
/// The smaller of a and b: fmin (a tie splits the derivative; a NaN argument is ignored).
SLOPE_ALWAYS_INLINE Var min(Var a, Var b) { return record_binary<Fmin>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var min(Var a, double b) { return record_binary<Fmin>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var min(double a, Var b) { return record_binary<Fmin>(a, detail::forward(b)); }

/// Fused multiply-add: w = a*b + c, rounded once.  Partials: dw/da = b, dw/db = a, dw/dc = 1.
struct Fma {
  static constexpr std::string_view name = "fma";
  static double value(double a, double b, double c) noexcept { return std::fma(a, b, c); }
  template <class T>
  static constexpr std::array<T, 3> partials(T a, T b, T) noexcept { return {b, a, 1.0}; }
};

/// fma(a, b, c); see Fma. One node with up to three edges (constant operands get none).
SLOPE_ALWAYS_INLINE Var fma(const Var& a, const Var& b, const Var& c) { return record_ternary<Fma>(a, b, c); }

// Rounding is piecewise constant: the derivative is 0 wherever it exists (and taken as 0 at
// the jumps), so the result is a constant and costs no tape space.

// A replayable recording logs the result as a decision: a replay where it differs reports
// BranchChanged rather than reusing a stale constant.
namespace detail {
SLOPE_ALWAYS_INLINE Var rounded(const Var& x, double result, DecisionKind kind) {
  if (!x.is_constant() && log_decisions) [[unlikely]] log_decision(kind, x, Var(result), 0);
  return result;
}
}  // namespace detail

/// floor(x) as a constant (derivative 0).
SLOPE_ALWAYS_INLINE Var floor(const Var& x) { return detail::rounded(x, std::floor(x.value()), detail::DecisionKind::Floor); }
/// ceil(x) as a constant (derivative 0).
SLOPE_ALWAYS_INLINE Var ceil(const Var& x) { return detail::rounded(x, std::ceil(x.value()), detail::DecisionKind::Ceil); }
/// round(x) as a constant (derivative 0).
SLOPE_ALWAYS_INLINE Var round(const Var& x) { return detail::rounded(x, std::round(x.value()), detail::DecisionKind::Round); }
/// trunc(x) as a constant (derivative 0).
SLOPE_ALWAYS_INLINE Var trunc(const Var& x) { return detail::rounded(x, std::trunc(x.value()), detail::DecisionKind::Trunc); }

}  // namespace slope
