#pragma once
/// \file
/// + - * / and unary minus, with Var, an expression, double or int on either side, and compound
/// assignment.

#include <string_view>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Negation: y = -x.  Partial: dy/dx = -1.
struct Neg {
  static constexpr std::string_view name = "neg";
  static constexpr double value(double x) noexcept { return -x; }
  template <class T>
  static constexpr T partial(T, T) noexcept { return -1.0; }
};

/// Sum: z = a + b.  Partials: dz/da = 1, dz/db = 1.
struct Add {
  static constexpr std::string_view name = "add";
  static constexpr double value(double a, double b) noexcept { return a + b; }
  template <class T>
  static constexpr T d_first(T, T, T) noexcept { return 1.0; }
  template <class T>
  static constexpr T d_second(T, T, T) noexcept { return 1.0; }
};

/// Difference: z = a - b.  Partials: dz/da = 1, dz/db = -1.
struct Sub {
  static constexpr std::string_view name = "sub";
  static constexpr double value(double a, double b) noexcept { return a - b; }
  template <class T>
  static constexpr T d_first(T, T, T) noexcept { return 1.0; }
  template <class T>
  static constexpr T d_second(T, T, T) noexcept { return -1.0; }
};

/// Product: z = a * b.  Partials: dz/da = b, dz/db = a.
struct Mul {
  static constexpr std::string_view name = "mul";
  static constexpr double value(double a, double b) noexcept { return a * b; }
  template <class T>
  static constexpr T d_first(T, T b, T) noexcept { return b; }
  template <class T>
  static constexpr T d_second(T a, T, T) noexcept { return a; }
};

/// Quotient: z = a / b; b = 0 gives IEEE infinities (checked tapes report it).
/// Partials: dz/da = 1/b, dz/db = -a/b^2 = -z/b (reuses z).
struct Div {
  static constexpr std::string_view name = "div";
  static constexpr double value(double a, double b) noexcept { return a / b; }
  template <class T>
  static constexpr T d_first(T, T b, T) noexcept { return 1.0 / b; }
  template <class T>
  static constexpr T d_second(T, T b, T z) noexcept { return -z / b; }
};

// The operators return expressions (expression.hpp): a statement such as `a * b + c / d`
// becomes one node when it is stored in a Var. A number on either side is held as a double,
// whose partial is never computed.

/// -x; see Neg.
template <Operand A>
SLOPE_ALWAYS_INLINE auto operator-(A x) { return UnaryExpression<Neg, A>(detail::take(x)); }
/// +x: x itself (a copy).
template <Operand A>
SLOPE_ALWAYS_INLINE A operator+(const A& x) { return x; }

/// a + b; see Add.
template <Operand A, Operand B>
SLOPE_ALWAYS_INLINE auto operator+(A a, B b) { return BinaryExpression<Add, A, B>(detail::take(a), detail::take(b)); }
/// \overload
template <Operand A>
SLOPE_ALWAYS_INLINE auto operator+(A a, double b) { return BinaryExpression<Add, A, double>(detail::take(a), b); }
/// \overload
template <Operand B>
SLOPE_ALWAYS_INLINE auto operator+(double a, B b) { return BinaryExpression<Add, double, B>(a, detail::take(b)); }

/// a - b; see Sub.
template <Operand A, Operand B>
SLOPE_ALWAYS_INLINE auto operator-(A a, B b) { return BinaryExpression<Sub, A, B>(detail::take(a), detail::take(b)); }
/// \overload
template <Operand A>
SLOPE_ALWAYS_INLINE auto operator-(A a, double b) { return BinaryExpression<Sub, A, double>(detail::take(a), b); }
/// \overload
template <Operand B>
SLOPE_ALWAYS_INLINE auto operator-(double a, B b) { return BinaryExpression<Sub, double, B>(a, detail::take(b)); }

/// a * b; see Mul.
template <Operand A, Operand B>
SLOPE_ALWAYS_INLINE auto operator*(A a, B b) { return BinaryExpression<Mul, A, B>(detail::take(a), detail::take(b)); }
/// \overload
template <Operand A>
SLOPE_ALWAYS_INLINE auto operator*(A a, double b) { return BinaryExpression<Mul, A, double>(detail::take(a), b); }
/// \overload
template <Operand B>
SLOPE_ALWAYS_INLINE auto operator*(double a, B b) { return BinaryExpression<Mul, double, B>(a, detail::take(b)); }

/// a / b; see Div.
template <Operand A, Operand B>
SLOPE_ALWAYS_INLINE auto operator/(A a, B b) { return BinaryExpression<Div, A, B>(detail::take(a), detail::take(b)); }
/// \overload
template <Operand A>
SLOPE_ALWAYS_INLINE auto operator/(A a, double b) { return BinaryExpression<Div, A, double>(detail::take(a), b); }
/// \overload
template <Operand B>
SLOPE_ALWAYS_INLINE auto operator/(double a, B b) { return BinaryExpression<Div, double, B>(a, detail::take(b)); }

// Compound assignment overwrites `a`, so a's old value dies here and the new node may absorb
// it: `s += x[i] * w[i]` in a loop grows one node instead of recording one per iteration.

/// a = a + b.
template <Operand B>
SLOPE_ALWAYS_INLINE Var& operator+=(Var& a, B b) {
  detail::record_accumulation<Add>(a, b);
  return a;
}
/// \overload
SLOPE_ALWAYS_INLINE Var& operator+=(Var& a, double b) {
  detail::record_accumulation<Add>(a, b);
  return a;
}
/// a = a - b.
template <Operand B>
SLOPE_ALWAYS_INLINE Var& operator-=(Var& a, B b) {
  detail::record_accumulation<Sub>(a, b);
  return a;
}
/// \overload
SLOPE_ALWAYS_INLINE Var& operator-=(Var& a, double b) {
  detail::record_accumulation<Sub>(a, b);
  return a;
}
/// a = a * b. (An expression b is recorded first; a product folds into a's node by rescaling
/// its partials, which an expression's sum of leaves cannot do.)
SLOPE_ALWAYS_INLINE Var& operator*=(Var& a, Var b) {
  detail::VarAccess::assign(a, record_binary<Mul>(detail::forward(a), detail::forward(b)));
  return a;
}
/// a = a / b.
SLOPE_ALWAYS_INLINE Var& operator/=(Var& a, Var b) {
  detail::VarAccess::assign(a, record_binary<Div>(detail::forward(a), detail::forward(b)));
  return a;
}

}  // namespace slope
