#include "slope/autodiff/op_code.hpp"

#include <array>

#include "slope/autodiff/ops/all.hpp"

namespace slope {

namespace {

// Both tables are generated from BuiltinRules: a rule added to the list has its name and arity.
template <class... Rules>
constexpr std::array<std::string_view, sizeof...(Rules)> rule_names(RuleList<Rules...>) {
  return {Rules::name...};
}
template <class... Rules>
constexpr std::array<int, sizeof...(Rules)> rule_arities(RuleList<Rules...>) {
  return {arity_of<Rules>()...};
}
constexpr auto kRuleNames = rule_names(BuiltinRules{});
constexpr auto kRuleArities = rule_arities(BuiltinRules{});

}  // namespace

std::string_view op_name(OpCode code) noexcept {
  if (is_rule(code)) return kRuleNames[rule_index(code)];
  switch (code) {
    case OpCode::Input: return "input";
    case OpCode::Fused: return "statement";
    case OpCode::Custom: return "custom";
    case OpCode::External: return "external";
    case OpCode::Sum: return "sum";
    case OpCode::Mean: return "mean";
    case OpCode::Dot: return "dot";
    case OpCode::SquaredNorm: return "squared_norm";
    case OpCode::MatVec: return "matvec";
    case OpCode::MatMul: return "matmul";
    case OpCode::FirstRule_: break;  // a rule's code: handled above
  }
  return "unknown";  // a byte that is no op code (never written by Slope)
}

int rule_arity(OpCode code) noexcept { return is_rule(code) ? kRuleArities[rule_index(code)] : 0; }

}  // namespace slope
