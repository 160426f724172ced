#pragma once
// The replay's dispatch: which rule struct (ops/*.hpp) each run of instructions runs, as a
// table generated from the one list of operations (BuiltinRules, ops/list.hpp), so that a rule
// added to the list is replayed with no code here. A Step policy says what to do with the rule:
// ValueStep (replay.cpp) computes values and partials, TangentStep (hessian.cpp) their
// derivatives along a direction. Private header.

#include <array>

#include "program.hpp"
#include "slope/autodiff/ops/all.hpp"

namespace slope::detail {

/// Runs `step` with rule R on every instruction of a run. The form (which operands are active,
/// or the variadic form) is decided once per run, not per instruction. A step with
/// `unary_run<R>(code, run)` takes a VectorizedRule's whole run at once.
template <class R, class Step>
void rule_run(Step& step, const Instruction* code, const InstructionRun& run) {
  if constexpr (VariadicRule<R>) {
    if (run.form == Form::Nary) {
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template variadic<R>(code[i], i);
      return;
    }
  }
  if constexpr (UnaryRule<R>) {
    if constexpr (VectorizedRule<R> && requires { step.template unary_run<R>(code, run); }) {
      if (run.edges_each == 1) return step.template unary_run<R>(code, run);
    }
    for (std::uint32_t i = run.begin; i < run.end; ++i) step.template unary<R>(code[i], i);
  } else if constexpr (BinaryRule<R>) {
    if (run.form == Form::Both) {
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template binary<R, Form::Both>(code[i], i);
    } else if (run.form == Form::First) {
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template binary<R, Form::First>(code[i], i);
    } else {
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.template binary<R, Form::Second>(code[i], i);
    }
  } else {
    static_assert(TernaryRule<R>, "a built-in rule must be a UnaryRule, a BinaryRule or a TernaryRule");
    for (std::uint32_t i = run.begin; i < run.end; ++i) step.template ternary<R>(code[i], i);
  }
}

template <class Step>
using RunFunction = void (*)(Step&, const Instruction*, const InstructionRun&);

/// One entry per rule of BuiltinRules, in op-code order.
template <class Step, class... Rules>
constexpr std::array<RunFunction<Step>, sizeof...(Rules)> run_table(RuleList<Rules...>) {
  return {&rule_run<Rules, Step>...};
}

/// Runs `step` on every instruction of `p`, in order. A Step has `unary<R>(ins, i)`,
/// `binary<R, Form>(ins, i)`, `ternary<R>(ins, i)`, `variadic<R>(ins, i)`, `fused(ins, i)`
/// (a linear combination, see compile.cpp) and `vector(v, i)` (a VectorInstruction whose first
/// output is instruction i). The table is consulted once per run of equal
/// operations (Program::runs), not per instruction: an indirect jump per instruction costs
/// more than most of the arithmetic it selects.
///
/// With a `team`, a run marked kSplit is cut into one contiguous part per thread; its
/// instructions are independent, and each writes only its own value and partials.
template <class Step>
void dispatch(const Program& p, Step& step, ForkJoin* team = nullptr) {
  static constexpr std::array<RunFunction<Step>, BuiltinRules::size> kRuns = run_table<Step>(BuiltinRules{});
  const Instruction* code = p.code.data();
  for (const InstructionRun& run : p.runs) {
    if (run.form == Form::Vector) {
      // A run is one vector instruction of several outputs (its first at run.begin), or
      // consecutive ones of a single output: no need to look at every output of a wide one.
      const VectorInstruction& first = p.vectors[code[run.begin].a];
      if (first.outputs() > 1) {
        step.vector(first, run.begin);
      } else {
        for (std::uint32_t i = run.begin; i < run.end; ++i) step.vector(p.vectors[code[i].a], i);
      }
    } else if (is_rule(run.op)) {
      const RunFunction<Step> f = kRuns[rule_index(run.op)];
      if (team != nullptr && (run.split & kSplit) != 0) {
        team->run([&](std::size_t t, std::size_t n) {
          const auto [begin, end] = part(run.end - run.begin, t, n);
          InstructionRun piece = run;
          piece.begin = run.begin + static_cast<std::uint32_t>(begin);
          piece.end = run.begin + static_cast<std::uint32_t>(end);
          f(step, code, piece);
        });
        continue;
      }
      f(step, code, run);
    } else {  // compile() emits no other code than a rule's or Fused
      for (std::uint32_t i = run.begin; i < run.end; ++i) step.fused(code[i], i);
    }
  }
}

}  // namespace slope::detail
