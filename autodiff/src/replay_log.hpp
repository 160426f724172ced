#pragma once
/// \file
/// detail::ReplayLog: what a replayable recording keeps beside the tape so that
/// slope::Function can compile it (see function.hpp). Internal.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "linear_map.hpp"
#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/var.hpp"

namespace slope::detail {

/// Set in an operand reference when it names a constant (an index into ReplayLog::constants)
/// rather than a tape node.
inline constexpr std::uint32_t kConstantRef = 0x8000'0000U;

/// The operations and decisions of one replayable recording, in recording order.
///
/// The tape keeps only active operands and partials; replaying needs each operation's code,
/// all of its operands (constants too, whose values the tape folded into the partials) and
/// the outcome of every decision taken on values. The log is cold-path only: the tape appends
/// to it from the slow recording paths, which a replayable recording always takes.
class ReplayLog {
 public:
  /// Step::map of an operation that is not a vector operation.
  static constexpr std::uint32_t kNoMap = 0xffff'ffffU;

  /// One recorded operation: the node it produced (a vector operation: the first of its
  /// outputs, map(s).outputs() nodes) and its operands [first_operand, next step's
  /// first_operand) in `operands`.
  struct Step {
    std::uint32_t node;
    std::uint32_t first_operand;
    std::uint32_t map;  // a vector operation's LinearMap (index into maps()), else kNoMap
    OpCode op;
    bool nary;  // recorded by Tape::nary (fma, log_sum_exp of a range), not by a rule of 1 or 2
  };
  /// One decision: `kind` of operands a and b (references as in `operands`) gave `outcome`.
  struct Decision {
    std::uint32_t a;
    std::uint32_t b;
    std::uint32_t nodes;  // tape size when it was taken, to drop it on rewind
    DecisionKind kind;
    int outcome;
  };

  /// Appends the operation that produced node `node` from `operands`.
  void add_operation(OpCode op, std::uint32_t node, std::span<const Var> operands, bool nary);
  /// Appends a linear vector operation y = M u (see LinearMap) whose outputs are the nodes
  /// from `first_output` on and whose operands are `u`. M is referenced as given, or, when
  /// `copy` is not empty, is `copy` (kept by the log: a passive span may die before the
  /// Function is compiled); returns the map as stored.
  LinearMap add_vector(OpCode op, std::uint32_t first_output, std::span<const Var> u, LinearMap map,
                       std::span<const double> copy);
  /// Stores the coefficients of the last operation, a linear combination (OpCode::Fused
  /// recorded by Tape::nary: sum_k coefficients[k] * operand k), one per operand.
  void add_coefficients(std::span<const double> coefficients);
  /// Appends a decision on `a` and `b` taken while the tape held `nodes` nodes.
  void add_decision(DecisionKind kind, const Var& a, const Var& b, int outcome, std::uint32_t nodes);
  /// Counts an operation on constants only (its result is a constant).
  void add_precomputed() noexcept { ++precomputed_; }
  /// Marks the log unusable (a decision could not be stored).
  void fail() noexcept { failed_ = true; }
  /// Drops what was logged for nodes at or after `nodes` (Tape::rewind).
  void rewind(std::uint32_t nodes);
  /// Forgets everything.
  void clear() noexcept;

  /// The logged operations, by increasing node.
  [[nodiscard]] std::span<const Step> steps() const noexcept { return steps_; }
  /// Operands of step `s`.
  [[nodiscard]] std::span<const std::uint32_t> operands(std::size_t s) const noexcept;
  /// Coefficients of step `s`, a linear combination (see add_coefficients).
  [[nodiscard]] std::span<const double> coefficients(std::size_t s) const noexcept;
  /// The value of a constant reference.
  [[nodiscard]] double constant(std::uint32_t ref) const noexcept { return constants_[ref & ~kConstantRef]; }
  /// The map of a vector step.
  [[nodiscard]] const LinearMap& map(const Step& step) const noexcept { return maps_[step.map]; }
  /// The passive numbers the log copied (see add_vector), to move into the compiled Function.
  [[nodiscard]] std::vector<std::vector<double>>& copies() noexcept { return copies_; }
  /// The logged decisions.
  [[nodiscard]] std::span<const Decision> decisions() const noexcept { return decisions_; }
  /// Operations on constants only, evaluated once while recording.
  [[nodiscard]] std::size_t precomputed() const noexcept { return precomputed_; }
  /// True when a decision was lost (out of memory while logging it).
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  std::uint32_t reference(const Var& x);

  std::vector<Step> steps_;
  std::vector<std::uint32_t> operands_;
  std::vector<double> constants_;
  std::vector<double> coefficients_;  // beside operands_, filled up to the last linear combination
  std::vector<Decision> decisions_;
  std::vector<LinearMap> maps_;
  std::vector<std::vector<double>> copies_;  // each keeps its buffer when moved: maps_ point into them
  std::size_t precomputed_ = 0;
  bool failed_ = false;
};

}  // namespace slope::detail
