#pragma once
/// \file
/// The one list of built-in operations: every per-operation table of Slope is generated from
/// `BuiltinRules` — op codes and names (op_code.hpp), the arity and the value / tangent /
/// adjoint dispatch of slope::Function's replay (autodiff/src/dispatch.hpp), the `.slope`
/// language's function table (lang/src/functions.cpp) and the derivative tests that run every
/// rule live, replayed and through Hessian-vector products (tests/autodiff/rule_list_test.cpp).
/// A table cannot miss a rule: each is a fold over this list, not a hand-kept `switch`.
///
/// ## Adding an operation
/// 1. Write its rule struct in the family file under ops/ (`ops/special.hpp` for a special
///    function...): `name`, `value`, the partial(s) as templates over the number type (so that
///    Hessian-vector products differentiate them with slope::Dual), optional `in_domain` and
///    `domain`, and a `///` comment with the domain and every partial. Add the Var function
///    that records it (`record_unary<Rule>` / `record_binary<Rule>`).
/// 2. Add the rule's forward declaration and its entry below (in OperatorRules when it is an
///    operator of the language, `+ - * /`, otherwise in FunctionRules: the language then offers
///    it as an elementwise function under its `name`).
/// 3. Add a test of its hand-derived partials in the family's test file; the list-driven test
///    checks it against finite differences, replayed and in Hessian-vector products.
/// Nothing else: the op code, the name table, the replay and the language follow from the list.
///
/// The forms a rule may take are the concepts of recording.hpp: UnaryRule (value(x),
/// partial(x, y)), BinaryRule (value(a, b), d_first, d_second), TernaryRule (value(a, b, c),
/// partials(a, b, c)); a rule may also be a VariadicRule (value(span), partials(span, span)),
/// which Function replays as one instruction over any number of operands.

#include <cstddef>
#include <type_traits>

namespace slope {

/// A list of rule types (a type list: nothing is instantiated).
template <class... Rules>
struct RuleList {
  static constexpr std::size_t size = sizeof...(Rules);
};

// The built-in rules, defined in ops/*.hpp.
struct Neg;
struct Add;
struct Sub;
struct Mul;
struct Div;
struct Pow;
struct Square;
struct Exp;
struct Exp2;
struct Expm1;
struct Log;
struct Log2;
struct Log10;
struct Log1p;
struct Sqrt;
struct Cbrt;
struct Hypot;
struct Sin;
struct Cos;
struct Tan;
struct Asin;
struct Acos;
struct Atan;
struct Atan2;
struct Sinh;
struct Cosh;
struct Tanh;
struct Asinh;
struct Acosh;
struct Atanh;
struct Abs;
struct Fmin;
struct Fmax;
struct Fma;
struct Erf;
struct Erfc;
struct Erfinv;
struct Lgamma;
struct Tgamma;
struct Sigmoid;
struct LogSigmoid;
struct Softplus;
struct LogSumExp;

/// The arithmetic operators, which the language writes as `-x`, `a + b`, `a - b`, `a * b`,
/// `a / b` rather than by name.
using OperatorRules = RuleList<Neg, Add, Sub, Mul, Div>;

/// Every other built-in rule: the language offers each as an elementwise function (by its name).
using FunctionRules = RuleList<Pow, Square, Exp, Exp2, Expm1, Log, Log2, Log10, Log1p, Sqrt, Cbrt, Hypot,  //
                               Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh, Asinh, Acosh, Atanh,
                               Abs, Fmin, Fmax, Fma,  //
                               Erf, Erfc, Erfinv, Lgamma, Tgamma,  //
                               Sigmoid, LogSigmoid, Softplus, LogSumExp>;

namespace detail {
template <class... A, class... B>
RuleList<A..., B...> concat(RuleList<A...>, RuleList<B...>);
}  // namespace detail

/// Every built-in rule; a rule's op code is its position here (see op_code.hpp).
using BuiltinRules = decltype(detail::concat(OperatorRules{}, FunctionRules{}));

namespace detail {
inline constexpr std::size_t kNotInList = static_cast<std::size_t>(-1);

/// The position of R in the list, or kNotInList.
template <class R, class... Rules>
constexpr std::size_t position_in(RuleList<Rules...>) noexcept {
  std::size_t index = 0;
  bool found = false;
  ((found = found || std::is_same_v<R, Rules>, index += found ? 0 : 1), ...);
  return found ? index : kNotInList;
}

/// True when no type appears twice in the list (each rule's first position is its own).
template <class... Rules>
constexpr bool all_distinct(RuleList<Rules...> list) noexcept {
  std::size_t k = 0;
  return ((position_in<Rules>(list) == k++) && ...);
}
static_assert(all_distinct(BuiltinRules{}), "a rule appears twice in BuiltinRules");
}  // namespace detail

/// Calls `f.template operator()<R>()` for every rule R of the list, in order.
template <class... Rules, class F>
constexpr void for_each_rule(RuleList<Rules...>, F&& f) {
  (f.template operator()<Rules>(), ...);
}

}  // namespace slope
