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

void ReplayTables::rewind(std::uint32_t nodes) {
  // Constants and copies of dropped entries stay behind unused: harmless, and rewinding stays simple.
  std::erase_if(decisions_, [nodes](const Decision& d) { return d.nodes > nodes; });
  std::erase_if(vector_steps_, [nodes](const VectorStep& v) { return v.first_output >= nodes; });
  std::erase_if(nary_nodes_, [nodes](std::uint32_t node) { return node >= nodes; });
}

ReplayTables& ReplayableTape::tables(Tape& tape) {
  if (!tape.replay_) tape.replay_ = std::make_unique<ReplayTables>();
  return *tape.replay_;
}

ReplayableTape::ReplayableTape(Tape& tape) : tape_(tape), tables_(tables(tape)), flags_(tape.nodes_, 0) {
  for (const std::uint32_t node : tables_.nary_nodes()) flags_[node] |= kNary;
  const std::span<const ReplayTables::VectorStep> steps = tables_.vector_steps();
  if (steps.empty()) return;
  vector_of_.assign(tape.nodes_, kNone);
  for (std::size_t s = 0; s < steps.size(); ++s) {
    std::fill_n(vector_of_.begin() + steps[s].first_output, steps[s].outputs(), static_cast<std::uint32_t>(s));
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
