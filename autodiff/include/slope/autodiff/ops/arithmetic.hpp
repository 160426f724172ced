#pragma once
/// \file
/// + - * / and unary minus, with Var, double or int on either side, and compound assignment.

#include <string_view>

#include "slope/autodiff/math.hpp"
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

/// -x; see Neg.
SLOPE_ALWAYS_INLINE Var operator-(Var x) { return record_unary<Neg>(detail::forward(x)); }
/// +x: x itself (a copy).
SLOPE_ALWAYS_INLINE Var operator+(const Var& x) { return x; }

/// a + b; see Add.
SLOPE_ALWAYS_INLINE Var operator+(Var a, Var b) { return record_binary<Add>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator+(Var a, double b) { return record_binary<Add>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator+(double a, Var b) { return record_binary<Add>(a, detail::forward(b)); }

/// a - b; see Sub.
SLOPE_ALWAYS_INLINE Var operator-(Var a, Var b) { return record_binary<Sub>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator-(Var a, double b) { return record_binary<Sub>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator-(double a, Var b) { return record_binary<Sub>(a, detail::forward(b)); }

/// a * b; see Mul.
SLOPE_ALWAYS_INLINE Var operator*(Var a, Var b) { return record_binary<Mul>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator*(Var a, double b) { return record_binary<Mul>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator*(double a, Var b) { return record_binary<Mul>(a, detail::forward(b)); }

/// a / b; see Div.
SLOPE_ALWAYS_INLINE Var operator/(Var a, Var b) { return record_binary<Div>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator/(Var a, double b) { return record_binary<Div>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var operator/(double a, Var b) { return record_binary<Div>(a, detail::forward(b)); }

// Compound assignment overwrites `a`, so a's old value dies here and the new node may absorb
// it (`s += x[i]` in a loop grows one node instead of recording one per iteration).

/// a = a + b.
SLOPE_ALWAYS_INLINE Var& operator+=(Var& a, Var b) {
  detail::VarAccess::assign(a, record_binary<Add>(detail::forward(a), detail::forward(b)));
  return a;
}
/// a = a - b.
SLOPE_ALWAYS_INLINE Var& operator-=(Var& a, Var b) {
  detail::VarAccess::assign(a, record_binary<Sub>(detail::forward(a), detail::forward(b)));
  return a;
}
/// a = a * b.
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
