#pragma once
/// \file
/// A replayable recording (RecordOptions::replayable, which slope::Function::record sets) and
/// how compile() reads it. Internal.
///
/// A replayable recording is the tape itself: each operation is a node whose op code is its
/// rule and whose edges are all of its operands, constants included (an edge then names the
/// constant's value, kept in ReplayTables, instead of a node; a linear combination's edges keep
/// its coefficients as their partials). The tape computes no partials in that mode: compile()
/// reads the operations, and the replay recomputes everything at each input. ReplayTables keeps
/// what has no place in nodes and edges: constant values, the outcome of every comparison,
/// the maps and shapes of vector steps and the passive numbers they copied, and how the
/// outputs of an elementwise step (one operation over a whole vector, recorded as one step
/// whose edges are the vector's) take their operands.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "linear_map.hpp"
#include "matrix_product.hpp"
#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/var.hpp"

namespace slope::detail {

/// Set in an operand reference (an edge of a replayable recording) when it names a constant,
/// an index into ReplayTables' constants, rather than a tape node.
inline constexpr std::uint32_t kConstantRef = 0x8000'0000U;

/// What a replayable recording keeps besides its nodes and edges.
class ReplayTables {
 public:
  /// One comparison of operands a and b (references as in edges) that gave `outcome`.
  struct Decision {
    std::uint32_t a;
    std::uint32_t b;
    std::uint32_t nodes;  // tape size when it was taken, to drop it on rewind
    DecisionKind kind;
    int outcome;
  };
  /// A vector step y = M u, or a product C = A B of operands (`bilinear`): outputs are the
  /// nodes [first_output, first_output + outputs()), operands the first output's edges (for a
  /// product, A's entries then B's).
  struct VectorStep {
    std::uint32_t first_output = 0;
    LinearMap map;          // unless bilinear
    MatrixProduct product;  // when bilinear
    bool bilinear = false;

    [[nodiscard]] std::size_t outputs() const noexcept { return bilinear ? product.outputs() : map.outputs(); }
  };

  /// Where an output of an elementwise step takes an operand from.
  enum class Operand : std::uint8_t {
    None,     ///< no second operand: a unary rule
    Vector,   ///< element k of the step's vector operand: the first output's edge k
    Scalar,   ///< the step's one scalar operand: the first output's edge after the vector's
    Passive,  ///< constant `passive + k` of the tables: a passive number, copied when recorded
  };
  /// An elementwise step (a rule applied to each element, a broadcast of a scalar): its
  /// outputs are the nodes [first_output, first_output + outputs), each of op code `op` (the
  /// tape's), output k of the rule's operands (first, second) at element k. ReplayableTape
  /// presents each output as a node of its own, with those operands: compile() sees what
  /// recording one operation per element would have recorded.
  struct ElementwiseStep {
    std::uint32_t first_output = 0;
    std::uint32_t outputs = 0;
    Operand first = Operand::Vector;
    Operand second = Operand::None;
    std::uint32_t passive = 0;
  };

  /// The operand reference of x: its node, or a new constant.
  std::uint32_t reference(const Var& x);
  /// Appends a decision taken while the tape held `nodes` nodes.
  void add_decision(DecisionKind kind, const Var& a, const Var& b, int outcome, std::uint32_t nodes);
  /// Appends the map of the vector step whose first output is `first_output`. M is referenced
  /// as given, or, when `copy` is not empty, is `copy` (kept here: a passive span may die before
  /// the Function is compiled); returns the map as stored.
  LinearMap add_vector(std::uint32_t first_output, LinearMap map, std::span<const double> copy);
  /// Appends the product whose first output is `first_output`.
  void add_product(std::uint32_t first_output, const MatrixProduct& product);
  /// Appends an elementwise step.
  void add_elementwise(const ElementwiseStep& step) { elementwise_steps_.push_back(step); }
  /// Appends `values` as constants; returns the index of the first.
  std::uint32_t add_constants(std::span<const double> values);
  /// Marks node `node` as recorded by Tape::nary (any number of operands), not by a rule of one
  /// or two: the replay evaluates the two forms differently.
  void add_nary(std::uint32_t node) { nary_nodes_.push_back(node); }
  /// Counts an operation on constants only (its result is a constant).
  void add_precomputed() noexcept { ++precomputed_; }
  /// Marks the recording unusable (a decision could not be stored).
  void fail() noexcept { failed_ = true; }
  /// Drops what belongs to nodes at or after `nodes` (Tape::rewind).
  void rewind(std::uint32_t nodes);
  /// Drops everything, constants and copies included; keeps the memory (a tape reused for
  /// another recording).
  void clear() noexcept;

  [[nodiscard]] double constant(std::uint32_t ref) const noexcept { return constants_[ref & ~kConstantRef]; }
  [[nodiscard]] std::size_t constant_count() const noexcept { return constants_.size(); }
  [[nodiscard]] std::span<const Decision> decisions() const noexcept { return decisions_; }
  [[nodiscard]] std::span<const VectorStep> vector_steps() const noexcept { return vector_steps_; }
  [[nodiscard]] std::span<const ElementwiseStep> elementwise_steps() const noexcept { return elementwise_steps_; }
  /// Nodes recorded by Tape::nary, increasing.
  [[nodiscard]] std::span<const std::uint32_t> nary_nodes() const noexcept { return nary_nodes_; }
  /// The passive numbers copied by add_vector, to move into the compiled Function.
  [[nodiscard]] std::vector<std::vector<double>>& copies() noexcept { return copies_; }
  [[nodiscard]] std::size_t precomputed() const noexcept { return precomputed_; }
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  std::vector<double> constants_;
  std::vector<Decision> decisions_;
  std::vector<VectorStep> vector_steps_;
  std::vector<ElementwiseStep> elementwise_steps_;
  std::vector<std::uint32_t> nary_nodes_;
  std::vector<std::vector<double>> copies_;  // each keeps its buffer when moved: maps point into them
  std::size_t precomputed_ = 0;
  bool failed_ = false;
};

/// A tape's replayable recording as compile() reads it: per node, its operation, its operands
/// (edges: node ids, or kConstantRef references) and, for a linear combination, its
/// coefficients; plus the tables.
class ReplayableTape {
 public:
  /// The tables of `tape`, created when missing (called while it records replayably).
  static ReplayTables& tables(Tape& tape);

  explicit ReplayableTape(Tape& tape);

  [[nodiscard]] std::uint32_t nodes() const noexcept { return tape_.nodes_; }
  [[nodiscard]] OpCode op(std::uint32_t node) const noexcept { return tape_.op_[node]; }
  [[nodiscard]] std::span<const std::uint32_t> operands(std::uint32_t node) const noexcept {
    if (!element_at_.empty() && element_at_[node] != kNone) {  // an output of an elementwise step
      return {element_operands_.data() + element_at_[node], (flags_[node] & kBinaryElement) != 0 ? 2U : 1U};
    }
    return {tape_.arg_.get() + tape_.first_arg_[node], tape_.arg_.get() + edges_end(node)};
  }
  /// A linear combination's coefficients (OpCode::Fused recorded by Tape::nary), one per operand.
  [[nodiscard]] std::span<const double> coefficients(std::uint32_t node) const noexcept {
    return {tape_.partial_.get() + tape_.first_arg_[node], tape_.partial_.get() + edges_end(node)};
  }
  /// True for a node recorded by Tape::nary.
  [[nodiscard]] bool nary(std::uint32_t node) const noexcept { return (flags_[node] & kNary) != 0; }
  /// The vector step node belongs to, or null.
  [[nodiscard]] const ReplayTables::VectorStep* vector_step(std::uint32_t node) const noexcept {
    return vector_of_.empty() || vector_of_[node] == kNone ? nullptr : &tables_.vector_steps()[vector_of_[node]];
  }
  /// The node itself, or for a vector step's output the step's first output (which holds the
  /// operands).
  [[nodiscard]] std::uint32_t first_output(std::uint32_t node) const noexcept {
    const ReplayTables::VectorStep* step = vector_step(node);
    return step != nullptr ? step->first_output : node;
  }
  [[nodiscard]] double constant(std::uint32_t ref) const noexcept { return tables_.constant(ref); }
  /// Number of constants recorded (references are below it).
  [[nodiscard]] std::size_t constant_count() const noexcept { return tables_.constant_count(); }
  [[nodiscard]] std::span<const ReplayTables::Decision> decisions() const noexcept { return tables_.decisions(); }
  [[nodiscard]] std::vector<std::vector<double>>& copies() noexcept { return tables_.copies(); }
  [[nodiscard]] std::size_t precomputed() const noexcept { return tables_.precomputed(); }
  [[nodiscard]] bool failed() const noexcept { return tables_.failed(); }

 private:
  static constexpr std::uint32_t kNone = 0xffff'ffffU;
  static constexpr unsigned char kNary = 1;
  static constexpr unsigned char kBinaryElement = 2;

  /// Gives each output of the elementwise steps its operands (element_at_, element_operands_).
  void spread_elementwise_steps();

  [[nodiscard]] std::uint32_t edges_end(std::uint32_t node) const noexcept {
    return node + 1 < tape_.nodes_ ? tape_.first_arg_[node + 1] : tape_.edges_;
  }

  const Tape& tape_;
  ReplayTables& tables_;
  std::vector<unsigned char> flags_;
  std::vector<std::uint32_t> vector_of_;  // per node: index into vector_steps, or kNone
  std::vector<std::uint32_t> element_at_;  // per node: its operands in element_operands_, or kNone
  std::vector<std::uint32_t> element_operands_;
};

}  // namespace slope::detail
