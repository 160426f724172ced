#pragma once
/// \file
/// Operation codes: the name of what produced each node on a tape. The codes of the built-in
/// rules are generated from the one list of operations (ops/list.hpp).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "slope/autodiff/ops/list.hpp"

namespace slope {

/// What produced a node. The live tape needs it only to name operations in error reports;
/// a replayed function dispatches on it.
///
/// The enumerators are the operations that are not derivative rules; a built-in rule R has the
/// code `op_code<R>`, FirstRule_ plus its position in BuiltinRules.
enum class OpCode : std::uint8_t {
  Input,     ///< an independent variable (no operands)
  Fused,     ///< several operations of one statement folded into one node ("statement"), or a
             ///< linear combination in a compiled Function
  Custom,    ///< a user-supplied value and partials (slope::custom_op), or a user rule
  External,  ///< an output of a user-supplied vector-Jacobian product (slope::external_op)
  // Vector nodes (vector.hpp): one node for a reduction, or the outputs of a vector operation.
  Sum, Mean, Dot, SquaredNorm, MatVec, MatMul,
  FirstRule_  ///< the code of BuiltinRules' first rule; the others follow in list order
};

/// Number of op codes in use: the structural ones and one per built-in rule.
inline constexpr std::size_t kOpCodes = static_cast<std::size_t>(OpCode::FirstRule_) + BuiltinRules::size;
static_assert(kOpCodes <= 256, "op codes are one byte");

/// The op code of rule R: generated from its position in BuiltinRules; OpCode::Custom for a
/// user-defined rule, which is not in the list.
template <class R>
inline constexpr OpCode op_code = detail::position_in<R>(BuiltinRules{}) == detail::kNotInList
                                      ? OpCode::Custom
                                      : static_cast<OpCode>(static_cast<std::size_t>(OpCode::FirstRule_) +
                                                            detail::position_in<R>(BuiltinRules{}));

/// True when `code` is a built-in rule's.
[[nodiscard]] constexpr bool is_rule(OpCode code) noexcept {
  return static_cast<std::size_t>(code) >= static_cast<std::size_t>(OpCode::FirstRule_) &&
         static_cast<std::size_t>(code) < kOpCodes;
}

/// The position in BuiltinRules of a rule's code (is_rule(code) must hold).
[[nodiscard]] constexpr std::size_t rule_index(OpCode code) noexcept {
  return static_cast<std::size_t>(code) - static_cast<std::size_t>(OpCode::FirstRule_);
}

/// The operation's name as it appears in error messages ("log", "pow", ...): a rule's `name`.
std::string_view op_name(OpCode code) noexcept;

/// How many operands the rule with this code takes (1, 2 or 3), 0 for a code that is not a
/// built-in rule. A VariadicRule (log_sum_exp) also has a form with any number of operands.
int rule_arity(OpCode code) noexcept;

}  // namespace slope
