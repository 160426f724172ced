#include "replayable_tape.hpp"

#include <algorithm>

#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope::detail {

std::uint32_t ReplayTables::reference(const Var& x) {
  if (!x.is_constant()) return VarAccess::id(x);  // Tape::step keeps nodes below kConstantRef
  constants_.push_back(x.value());
  return static_cast<std::uint32_t>(constants_.size() - 1) | kConstantRef;
}

void ReplayTables::add_decision(DecisionKind kind, const Var& a, const Var& b, int outcome, std::uint32_t nodes) {
  decisions_.push_back(Decision{reference(a), reference(b), nodes, kind, outcome});
}

LinearMap ReplayTables::add_vector(std::uint32_t first_output, LinearMap map, std::span<const double> copy) {
  if (!copy.empty()) {
    copies_.emplace_back(copy.begin(), copy.end());
    map.data = copies_.back().data();
  }
  VectorStep step;
  step.first_output = first_output;
  step.map = map;
  vector_steps_.push_back(step);
  return map;
}

void ReplayTables::add_product(std::uint32_t first_output, const MatrixProduct& product) {
  VectorStep step;
  step.first_output = first_output;
  step.product = product;
  step.bilinear = true;
  vector_steps_.push_back(step);
}

std::uint32_t ReplayTables::add_constants(std::span<const double> values) {
  if (constants_.size() + values.size() >= kConstantRef) throw TapeError("slope::Function: too many constants");
  const auto first = static_cast<std::uint32_t>(constants_.size());
  constants_.insert(constants_.end(), values.begin(), values.end());
  return first;
}

void ReplayTables::rewind(std::uint32_t nodes) {
  // Constants and copies of dropped entries stay behind unused: harmless, and rewinding stays simple.
  std::erase_if(decisions_, [nodes](const Decision& d) { return d.nodes > nodes; });
  std::erase_if(vector_steps_, [nodes](const VectorStep& v) { return v.first_output >= nodes; });
  std::erase_if(elementwise_steps_, [nodes](const ElementwiseStep& e) { return e.first_output >= nodes; });
  std::erase_if(nary_nodes_, [nodes](std::uint32_t node) { return node >= nodes; });
}

void ReplayTables::clear() noexcept {
  constants_.clear();
  decisions_.clear();
  vector_steps_.clear();
  elementwise_steps_.clear();
  nary_nodes_.clear();
  copies_.clear();
  precomputed_ = 0;
  failed_ = false;
}

ReplayTables& ReplayableTape::tables(Tape& tape) {
  if (!tape.replay_) tape.replay_ = std::make_unique<ReplayTables>();
  return *tape.replay_;
}

ReplayableTape::ReplayableTape(Tape& tape) : tape_(tape), tables_(tables(tape)), flags_(tape.nodes_, 0) {
  for (const std::uint32_t node : tables_.nary_nodes()) flags_[node] |= kNary;
  spread_elementwise_steps();
  const std::span<const ReplayTables::VectorStep> steps = tables_.vector_steps();
  if (steps.empty()) return;
  vector_of_.assign(tape.nodes_, kNone);
  for (std::size_t s = 0; s < steps.size(); ++s) {
    std::fill_n(vector_of_.begin() + steps[s].first_output, steps[s].outputs(), static_cast<std::uint32_t>(s));
  }
}

void ReplayableTape::spread_elementwise_steps() {
  using Operand = ReplayTables::Operand;
  const std::span<const ReplayTables::ElementwiseStep> steps = tables_.elementwise_steps();
  if (steps.empty()) return;
  element_at_.assign(tape_.nodes_, kNone);
  std::size_t refs = 0;
  for (const ReplayTables::ElementwiseStep& step : steps) refs += std::size_t{step.outputs} * 2;
  element_operands_.reserve(refs);
  for (const ReplayTables::ElementwiseStep& step : steps) {
    const std::uint32_t* edges = tape_.arg_.get() + tape_.first_arg_[step.first_output];
    const std::uint32_t scalar_edge = step.first == Operand::Vector ? step.outputs : 0;  // after the vector's
    const auto reference = [&](Operand operand, std::uint32_t k) -> std::uint32_t {
      switch (operand) {
        case Operand::Vector: return edges[k];
        case Operand::Scalar: return edges[scalar_edge];
        case Operand::Passive: return (step.passive + k) | kConstantRef;
        case Operand::None: break;
      }
      return 0;  // not reached: a step has a first operand, and a second one is read only when it has one
    };
    for (std::uint32_t k = 0; k < step.outputs; ++k) {
      const std::uint32_t node = step.first_output + k;
      element_at_[node] = static_cast<std::uint32_t>(element_operands_.size());
      element_operands_.push_back(reference(step.first, k));
      if (step.second != Operand::None) {
        element_operands_.push_back(reference(step.second, k));
        flags_[node] |= kBinaryElement;
      }
    }
  }
}

void log_decision(DecisionKind kind, const Var& a, const Var& b, int outcome) noexcept {
  Tape* tape = active_tape;
  if (tape == nullptr || !tape->replayable()) return;
  ReplayTables& tables = ReplayableTape::tables(*tape);  // made when the recording began: no allocation
  try {
    tables.add_decision(kind, a, b, outcome, static_cast<std::uint32_t>(tape->size()));
  } catch (...) {
    tables.fail();  // comparisons are noexcept; Function::record reports the lost decision
  }
}

}  // namespace slope::detail
