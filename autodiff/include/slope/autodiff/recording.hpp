#pragma once
/// \file
/// record_unary / record_binary: where derivative rules meet the tape.
///
/// A rule is a struct that knows mathematics, not tapes (see ops/*.hpp):
///
///     struct Gelu {                       // a user-defined rule
///       static constexpr std::string_view name = "gelu";
///       static double value(double x) { ... }
///       static double partial(double x, double y) { ... }  // dy/dx, may reuse y
///     };
///     slope::Var y = slope::record_unary<Gelu>(x);
///
/// Optional members: `in_domain(x)` with a `domain` text such as "must be >= 0" (checked
/// tapes throw DomainError outside it). A built-in rule's op code comes from its place in the
/// one list of operations (ops/list.hpp); a user rule records as OpCode::Custom.
/// A binary rule has value(a, b), d_first(a, b, z) = dz/da and d_second(a, b, z) = dz/db;
/// only the partials of active operands are computed.

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "slope/autodiff/config.hpp"
#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

/// A derivative rule of one argument.
template <class R>
concept UnaryRule = requires(double x) {
  { R::name } -> std::convertible_to<std::string_view>;
  { R::value(x) } -> std::convertible_to<double>;
  { R::partial(x, x) } -> std::convertible_to<double>;
};

/// A value and its partial derivative, computed together (JointUnaryRule).
struct ValueAndPartial {
  double value = 0.0;
  double partial = 0.0;
};

/// A unary rule whose value and partial share their costly part (an exponential), and which
/// offers both at once: value_and_partial(x) gives the same bits as value(x) and partial(x, y)
/// (tests/autodiff/rule_list_test.cpp checks this for every rule that has it). The replay uses
/// it where it needs both; the tape, which may not need the partial, calls them apart.
template <class R>
concept JointUnaryRule = UnaryRule<R> && requires(double x) {
  { R::value_and_partial(x) } -> std::same_as<ValueAndPartial>;
};

/// A built-in JointUnaryRule whose value_and_partial is arithmetic written out (no library
/// call, no branch that cannot become a select), marked `static constexpr bool vectorizes =
/// true`: the replay and the vector nodes run it over arrays (values_and_partials) in loops the
/// compiler vectorizes, with the same bits as one element at a time (rule_list_test checks).
template <class R>
concept VectorizedRule = JointUnaryRule<R> && op_code<R> != OpCode::Custom && requires {
  requires R::vectorizes;
};

namespace detail {
/// values_and_partials of the built-in rule whose op code is `op` (vectorized_rules.cpp).
void vectorized_values_and_partials(OpCode op, const double* x, double* y, double* d, std::size_t n) noexcept;
}  // namespace detail

/// y_i = R::value(x_i) and d_i = R::partial(x_i, y_i) for i < n, in one vectorized loop (on
/// CPUs with AVX2, four elements at a time).
template <VectorizedRule R>
void values_and_partials(const double* x, double* y, double* d, std::size_t n) noexcept {
  detail::vectorized_values_and_partials(op_code<R>, x, y, d, n);
}

/// A derivative rule of two arguments.
template <class R>
concept BinaryRule = requires(double x) {
  { R::name } -> std::convertible_to<std::string_view>;
  { R::value(x, x) } -> std::convertible_to<double>;
  { R::d_first(x, x, x) } -> std::convertible_to<double>;
  { R::d_second(x, x, x) } -> std::convertible_to<double>;
};

/// A derivative rule of three arguments (fma): value(a, b, c) and the array of its partials.
template <class R>
concept TernaryRule = requires(double x) {
  { R::name } -> std::convertible_to<std::string_view>;
  { R::value(x, x, x) } -> std::convertible_to<double>;
  { R::partials(x, x, x)[2] } -> std::convertible_to<double>;
};

/// A rule that also takes any number of arguments (log_sum_exp of a range): value(xs) and
/// partials(xs, out), which writes one partial per argument.
template <class R>
concept VariadicRule = requires(std::span<const double> xs, std::span<double> out) {
  { R::value(xs) } -> std::convertible_to<double>;
  R::partials(xs, out);
};

namespace detail {

template <class R, class... Args>
constexpr bool rule_in_domain(Args... args) noexcept {
  if constexpr (requires { R::in_domain(args...); }) {
    return R::in_domain(args...);
  } else {
    return true;
  }
}

template <class R>
constexpr std::string_view domain_text() noexcept {
  if constexpr (requires { R::domain; }) {
    return R::domain;
  } else {
    return "outside the operation's domain";
  }
}

/// Checked mode: throws DomainError naming `op` when an argument is outside its domain
/// (`in_domain` false), or when the value or a partial is not finite.
void check_operation(std::string_view op, std::span<const double> args, bool in_domain,
                     std::string_view domain, double value, std::span<const double> partials);

/// The thread's active tape when it records in checked mode, else null.
inline Tape* checked_tape() noexcept {
  Tape* tape = active_tape;
  return tape != nullptr && tape->checked() ? tape : nullptr;
}

/// Passes a by-value operand on without giving up its sole ownership of its node; use only
/// on a parameter or a variable that is overwritten or dies right after.
SLOPE_ALWAYS_INLINE constexpr Var forward(Var& x) noexcept { return VarAccess::release(x); }

}  // namespace detail

namespace detail {

/// The rare cases of record_unary, kept out of the hot path: checked mode, a constant
/// operand, no active tape.
template <UnaryRule Rule>
SLOPE_COLD Var record_unary_slow(Var x, double y) {
  const double xv = x.value();
  Tape* tape = active_tape;
  const bool checked = tape != nullptr && tape->checked();
  if (x.is_constant()) {
    if (checked) check_operation(Rule::name, {&xv, 1}, rule_in_domain<Rule>(xv), domain_text<Rule>(), y, {});
    if (tape != nullptr) tape->count_precomputed();
    return Var(y);
  }
  if (tape == nullptr) throw_no_active_tape();
  if (tape->replayable()) return tape->step(op_code<Rule>, Rule::name, y, {&x, 1});
  const double d = Rule::partial(xv, y);
  if (checked) check_operation(Rule::name, {&xv, 1}, rule_in_domain<Rule>(xv), domain_text<Rule>(), y, {&d, 1});
  return tape->unary(x, y, d, op_code<Rule>);
}

/// The rare cases of record_binary, kept out of the hot path.
template <BinaryRule Rule>
SLOPE_COLD Var record_binary_slow(Var a, Var b, double z) {
  const double args[2] = {a.value(), b.value()};
  const bool a_active = !a.is_constant();
  const bool b_active = !b.is_constant();
  Tape* tape = active_tape;
  const bool checked = tape != nullptr && tape->checked();
  if (!a_active && !b_active) {
    if (checked) check_operation(Rule::name, args, rule_in_domain<Rule>(args[0], args[1]), domain_text<Rule>(), z, {});
    if (tape != nullptr) tape->count_precomputed();
    return Var(z);
  }
  if (tape == nullptr) throw_no_active_tape();
  constexpr OpCode code = op_code<Rule>;
  if (tape->replayable()) {
    const Var operands[2] = {a, b};
    return tape->step(code, Rule::name, z, operands);
  }
  const double partials[2] = {a_active ? Rule::d_first(args[0], args[1], z) : 0.0,
                              b_active ? Rule::d_second(args[0], args[1], z) : 0.0};
  if (checked) {
    const std::span<const double> active = a_active && b_active ? std::span<const double>(partials)
                                           : a_active           ? std::span<const double>(partials, 1)
                                                                : std::span<const double>(partials + 1, 1);
    check_operation(Rule::name, args, rule_in_domain<Rule>(args[0], args[1]), domain_text<Rule>(), z, active);
  }
  return !b_active   ? tape->unary(a, z, partials[0], code)
         : !a_active ? tape->unary(b, z, partials[1], code)
                     : tape->binary(a, b, z, partials[0], partials[1], code);
}

}  // namespace detail

/// Records y = Rule(x). Takes x by value: a temporary keeps its sole ownership of its node,
/// so the tape may fold this operation into it.
template <UnaryRule Rule>
SLOPE_ALWAYS_INLINE Var record_unary(Var x) {
  const double y = Rule::value(x.value());
  Tape* tape = detail::fast_tape;
  if (x.is_constant() || tape == nullptr) [[unlikely]] {
    return detail::record_unary_slow<Rule>(detail::forward(x), y);
  }
  return tape->unary(x, y, Rule::partial(x.value(), y), op_code<Rule>);
}

/// Records z = Rule(a, b); a constant operand gets no edge and its partial is not computed.
template <BinaryRule Rule>
SLOPE_ALWAYS_INLINE Var record_binary(Var a, Var b) {
  const double av = a.value();
  const double bv = b.value();
  const double z = Rule::value(av, bv);
  Tape* tape = detail::fast_tape;
  if (tape == nullptr) [[unlikely]] {
    return detail::record_binary_slow<Rule>(detail::forward(a), detail::forward(b), z);
  }
  constexpr OpCode code = op_code<Rule>;
  if (b.is_constant()) {
    if (a.is_constant()) return Var(z);
    return tape->unary(a, z, Rule::d_first(av, bv, z), code);
  }
  if (a.is_constant()) return tape->unary(b, z, Rule::d_second(av, bv, z), code);
  return tape->binary(a, b, z, Rule::d_first(av, bv, z), Rule::d_second(av, bv, z), code);
}

/// Records w = Rule(a, b, c) as one node with an edge per active operand.
template <TernaryRule Rule>
Var record_ternary(const Var& a, const Var& b, const Var& c) {
  const std::array<double, 3> args{a.value(), b.value(), c.value()};
  const double w = Rule::value(args[0], args[1], args[2]);
  Tape* const checked = detail::checked_tape();
  if (a.is_constant() && b.is_constant() && c.is_constant()) {
    if (checked != nullptr) {
      detail::check_operation(Rule::name, args, detail::rule_in_domain<Rule>(args[0], args[1], args[2]),
                              detail::domain_text<Rule>(), w, {});
    }
    return Var(w);
  }
  const std::array<double, 3> partials = Rule::partials(args[0], args[1], args[2]);
  if (checked != nullptr) {
    detail::check_operation(Rule::name, args, detail::rule_in_domain<Rule>(args[0], args[1], args[2]),
                            detail::domain_text<Rule>(), w, partials);
  }
  const std::array<Var, 3> operands{a, b, c};
  return detail::require_active_tape().nary(operands, w, partials, op_code<Rule>);
}

/// Records z = Rule(xs) of a VariadicRule over any number of operands, as one node with an
/// edge per active operand. Its partials go through a per-thread buffer, so that repeated calls
/// allocate nothing.
template <VariadicRule Rule>
Var record_variadic(std::span<const Var> xs) {
  thread_local std::vector<double> values;
  thread_local std::vector<double> partials;
  values.resize(xs.size());
  partials.resize(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) values[i] = xs[i].value();
  const double z = Rule::value(std::span<const double>(values));
  Rule::partials(std::span<const double>(values), std::span<double>(partials));
  if (detail::checked_tape() != nullptr) {
    detail::check_operation(Rule::name, values, true, "", z, partials);
  }
  if (std::all_of(xs.begin(), xs.end(), [](const Var& x) { return x.is_constant(); })) return Var(z);
  return detail::require_active_tape().nary(xs, z, partials, op_code<Rule>);
}

}  // namespace slope
