#include "replay_log.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope::detail {

std::uint32_t ReplayLog::reference(const Var& x) {
  if (!x.is_constant()) {
    const std::uint32_t id = VarAccess::id(x);
    if (id >= kConstantRef) throw TapeError("slope::Function: a replayable recording holds at most 2^31 nodes");
    return id;
  }
  constants_.push_back(x.value());
  return static_cast<std::uint32_t>(constants_.size() - 1) | kConstantRef;
}

void ReplayLog::add_operation(OpCode op, std::uint32_t node, std::span<const Var> operands, bool nary) {
  steps_.push_back(Step{node, static_cast<std::uint32_t>(operands_.size()), kNoMap, op, nary});
  for (const Var& x : operands) operands_.push_back(reference(x));
}

LinearMap ReplayLog::add_vector(OpCode op, std::uint32_t first_output, std::span<const Var> u, LinearMap map,
                                std::span<const double> copy) {
  if (!copy.empty()) {
    copies_.emplace_back(copy.begin(), copy.end());
    map.data = copies_.back().data();
  }
  maps_.push_back(map);
  steps_.push_back(Step{first_output, static_cast<std::uint32_t>(operands_.size()),
                        static_cast<std::uint32_t>(maps_.size() - 1), op, false});
  for (const Var& x : u) operands_.push_back(reference(x));
  return map;
}

void ReplayLog::add_coefficients(std::span<const double> coefficients) {
  // Aligned with the step's operands, so that both are found by the same offsets.
  coefficients_.resize(operands_.size() - coefficients.size(), 0.0);
  coefficients_.insert(coefficients_.end(), coefficients.begin(), coefficients.end());
}

void ReplayLog::add_decision(DecisionKind kind, const Var& a, const Var& b, int outcome, std::uint32_t nodes) {
  decisions_.push_back(Decision{reference(a), reference(b), nodes, kind, outcome});
}

std::span<const std::uint32_t> ReplayLog::operands(std::size_t s) const noexcept {
  const std::size_t end = s + 1 < steps_.size() ? steps_[s + 1].first_operand : operands_.size();
  return std::span<const std::uint32_t>(operands_).subspan(steps_[s].first_operand, end - steps_[s].first_operand);
}

std::span<const double> ReplayLog::coefficients(std::size_t s) const noexcept {
  const std::span<const std::uint32_t> refs = operands(s);
  const std::size_t first = steps_[s].first_operand;
  if (first + refs.size() > coefficients_.size()) return {};
  return std::span<const double>(coefficients_).subspan(first, refs.size());
}

void ReplayLog::rewind(std::uint32_t nodes) {
  // Constants of dropped entries stay behind unused: harmless, and rewinding stays simple.
  const auto step = std::find_if(steps_.begin(), steps_.end(), [nodes](const Step& s) { return s.node >= nodes; });
  if (step != steps_.end()) operands_.resize(step->first_operand);
  if (coefficients_.size() > operands_.size()) coefficients_.resize(operands_.size());
  steps_.erase(step, steps_.end());
  // Maps were appended in step order: keep those of the remaining steps (copies stay, unused).
  std::size_t maps = 0;
  for (const Step& s : steps_) maps += s.map != kNoMap ? 1 : 0;
  maps_.resize(maps);
  std::erase_if(decisions_, [nodes](const Decision& d) { return d.nodes > nodes; });
}

void ReplayLog::clear() noexcept {
  steps_.clear();
  operands_.clear();
  constants_.clear();
  coefficients_.clear();
  decisions_.clear();
  maps_.clear();
  copies_.clear();
  precomputed_ = 0;
  failed_ = false;
}

void log_operation(ReplayLog& log, OpCode op, std::string_view name, const Var& result,
                   std::span<const Var> operands, bool nary) {
  if (op == OpCode::Custom) {
    throw TapeError(name == op_name(OpCode::Custom)
                        ? std::string("custom_op cannot be recorded for slope::Function: its value and partials are "
                                      "numbers, which a replay cannot recompute at other inputs")
                        : fmt::format("the user rule '{}' cannot be recorded for slope::Function: only the built-in "
                                      "operations can be replayed",
                                      name));
  }
  log.add_operation(op, VarAccess::id(result), operands, nary);
}

void log_precomputed(ReplayLog& log) noexcept { log.add_precomputed(); }

void log_decision(DecisionKind kind, const Var& a, const Var& b, int outcome) noexcept {
  Tape* tape = active_tape;
  ReplayLog* log = tape != nullptr ? tape->replay_log() : nullptr;
  if (log == nullptr) return;
  try {
    log->add_decision(kind, a, b, outcome, static_cast<std::uint32_t>(tape->size()));
  } catch (...) {
    log->fail();  // comparisons are noexcept; Function::record reports the lost decision
  }
}

}  // namespace slope::detail
