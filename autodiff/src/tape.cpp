#include "slope/autodiff/tape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/recording.hpp"
#include "replayable_tape.hpp"
#include "vector_node.hpp"

namespace slope {

namespace {

std::uint16_t next_serial() noexcept {
  static std::atomic<std::uint16_t> counter{0};
  std::uint16_t serial = ++counter;
  while (serial == 0) serial = ++counter;  // 0 is never a live tape's serial
  return serial;
}

template <class T>
void regrow(std::unique_ptr<T[]>& data, std::uint32_t used, std::uint32_t capacity) {
  auto bigger = std::make_unique_for_overwrite<T[]>(capacity);
  if (used > 0) std::memcpy(bigger.get(), data.get(), sizeof(T) * used);
  data = std::move(bigger);
}

std::uint32_t grown_capacity(std::uint32_t used, std::uint32_t needed, std::uint32_t current) {
  constexpr std::uint64_t kLimit = std::numeric_limits<std::uint32_t>::max() - 1;
  const std::uint64_t want = std::uint64_t{used} + needed;
  if (want > kLimit) {
    throw TapeError(fmt::format("tape is full: it holds at most {} nodes and {} edges", kLimit, kLimit));
  }
  std::uint64_t capacity = std::max<std::uint64_t>(current, 1024);
  while (capacity < want) capacity *= 2;
  return static_cast<std::uint32_t>(std::min(capacity, kLimit));
}

}  // namespace

namespace detail {
void throw_no_active_tape() {
  throw TapeError(
      "an operation on an active Var ran with no tape recording on this thread "
      "(keep the Recording returned by Tape::record alive while computing)");
}
}  // namespace detail

Tape::Tape() : serial_(next_serial()) {}

Tape::~Tape() {
  if (detail::active_tape == this) detail::active_tape = nullptr;
  if (detail::fast_tape == this) detail::fast_tape = nullptr;
}

Recording Tape::record(RecordOptions options) { return Recording(*this, options, false); }

Recording Tape::record_replayable() { return Recording(*this, RecordOptions{.fuse = false}, true); }

Recording::Recording(Tape& tape, RecordOptions options, bool replayable)
    : tape_(&tape),
      previous_(detail::active_tape),
      previous_options_(tape.options_),
      previous_replayable_(tape.replayable_) {
  // Made now, so that logging a comparison (noexcept) never allocates them.
  if (replayable) (void)detail::ReplayableTape::tables(tape);
  tape.set_options(options, replayable);
  detail::active_tape = &tape;
  detail::fast_tape = detail::fast_tape_for(&tape);
  detail::log_decisions = replayable;
}

Recording::~Recording() {
  tape_->set_options(previous_options_, previous_replayable_);
  detail::active_tape = previous_;
  detail::fast_tape = detail::fast_tape_for(previous_);
  detail::log_decisions = previous_ != nullptr && previous_->replayable_;
}

void Tape::set_options(const RecordOptions& options, bool replayable) noexcept {
  options_ = options;
  replayable_ = replayable;
  slow_ = options.checked || replayable || !options.fuse;  // one node per operation
  update_fusion_floor();
}

void Tape::update_fusion_floor() noexcept {
  // A replayable recording keeps one node per operation: the replay re-runs each rule.
  fusion_floor_ = options_.fuse && !options_.checked && !replayable_ ? position_floor_ : kNoFusion;
}

Var Tape::input(double value) {
  ensure(1, 0);
  const std::uint32_t id = nodes_++;
  op_[id] = OpCode::Input;
  first_arg_[id] = edges_;
  refresh_statement_limit();
  // Inputs are never folded into: their node must keep meaning "this input".
  return Var(value, id, serial_, false);
}

std::vector<Var> Tape::inputs(std::span<const double> values) {
  std::vector<Var> out(values.size());
  inputs(values, out);
  return out;
}

void Tape::inputs(std::span<const double> values, std::span<Var> out) {
  if (values.size() != out.size()) {
    throw TapeError(fmt::format("Tape::inputs: {} values but room for {} Vars", values.size(), out.size()));
  }
  const auto count = static_cast<std::uint32_t>(values.size());
  ensure(count, 0);
  std::fill_n(op_.get() + nodes_, count, OpCode::Input);
  std::fill_n(first_arg_.get() + nodes_, count, edges_);
  // Inputs are never folded into: their nodes must keep meaning "these inputs".
  store_vars(values.data(), nodes_, out);
  nodes_ += count;
  refresh_statement_limit();
}

void Tape::adjoints(std::span<const Var> xs, std::span<double> out) const {
  if (xs.size() != out.size()) {
    throw TapeError(fmt::format("Tape::adjoints: {} Vars but room for {} adjoints", xs.size(), out.size()));
  }
  if (xs.empty()) return;
  // Branch-free check that the ids are first, first + 1, ... (an OR of differences).
  const std::uint32_t first = xs[0].id_;
  std::uint32_t mismatch = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) mismatch |= xs[i].id_ ^ (first + static_cast<std::uint32_t>(i));
  if (mismatch == 0 && first != Var::kConstant && std::size_t{first} + xs.size() <= swept_nodes_) {
    if constexpr (SLOPE_DEBUG_CHECKS) {
      for (const Var& x : xs) debug_check(x);
    }
    std::copy_n(adjoint_.data() + first, xs.size(), out.data());
    return;
  }
  for (std::size_t i = 0; i < xs.size(); ++i) out[i] = adjoint(xs[i]);
}

void Tape::store_vars(const double* values, std::uint32_t first, std::span<Var> out) const noexcept {
  // Field by field, a Var takes four stores (value, id, tape, fresh), and for a vector of
  // inputs or a vector node's outputs those stores were the bound (about 4 cycles a Var). As
  // two 64-bit words, the value's bits and id_ | tape_ << 32 (fresh_ and the padding 0), the
  // loop is integer copies that GCC vectorizes: 2-3 times faster (1000 Vars, GCC 12, AVX2).
  // The asserts pin the layout this relies on; may_alias makes the word access legal.
  static_assert(std::is_standard_layout_v<Var> && sizeof(Var) == 16);
  static_assert(offsetof(Var, value_) == 0 && offsetof(Var, id_) == 8 && offsetof(Var, tape_) == 12 &&
                offsetof(Var, fresh_) == 14);
#if defined(__GNUC__) || defined(__clang__)
  if constexpr (std::endian::native == std::endian::little) {
    using Word = std::uint64_t __attribute__((may_alias));
    auto* const words = reinterpret_cast<Word*>(out.data());
    const auto* const bits = reinterpret_cast<const Word*>(values);
    const std::uint64_t tape = (std::uint64_t{serial_} << 32) + first;
    for (std::size_t i = 0; i < out.size(); ++i) {
      words[2 * i] = bits[i];
      words[2 * i + 1] = tape + i;  // ids fit in 32 bits, so this never carries into tape_
    }
    return;
  }
#endif
  for (std::size_t i = 0; i < out.size(); ++i) {
    detail::VarAccess::assign(out[i], Var(values[i], first + static_cast<std::uint32_t>(i), serial_, false));
  }
}

TapePosition Tape::position() {
  // Nodes before a position must stay as they are, so that rewinding restores them.
  position_floor_ = nodes_;
  update_fusion_floor();
  return TapePosition{nodes_, edges_, static_cast<std::uint32_t>(externals_.size())};
}

void Tape::rewind(TapePosition position) {
  if (position.nodes > nodes_ || position.edges > edges_ || position.externals > externals_.size()) {
    throw TapeError(fmt::format("cannot rewind to node {} of a tape holding {} nodes", position.nodes, nodes_));
  }
  nodes_ = position.nodes;
  edges_ = position.edges;
  if (position.externals < externals_.size()) {
    const auto kept = externals_.begin() + position.externals;
    external_inputs_.resize(kept->first_input);
    externals_.erase(kept, externals_.end());
  }
  if (vector_nodes_) vector_nodes_->rewind(nodes_);
  position_floor_ = nodes_;
  update_fusion_floor();
  swept_nodes_ = std::min(swept_nodes_, nodes_);
  refresh_statement_limit();
  if (replay_) replay_->rewind(nodes_);
}

void Tape::reserve(std::size_t nodes, std::size_t edges) {
  const auto clamp = [](std::size_t n) {
    return static_cast<std::uint32_t>(std::min<std::size_t>(n, std::numeric_limits<std::uint32_t>::max() / 2));
  };
  ensure(clamp(nodes), clamp(edges));
}

void Tape::grow(std::uint32_t nodes, std::uint32_t edges) {
  if (nodes_ + std::uint64_t{nodes} > node_capacity_) {
    const std::uint32_t capacity = grown_capacity(nodes_, nodes, node_capacity_);
    regrow(op_, nodes_, capacity);
    regrow(first_arg_, nodes_, capacity);
    node_capacity_ = capacity;
  }
  if (edges_ + std::uint64_t{edges} > edge_capacity_) {
    const std::uint32_t capacity = grown_capacity(edges_, edges, edge_capacity_);
    regrow(arg_, edges_, capacity);
    regrow(partial_, edges_, capacity);
    edge_capacity_ = capacity;
  }
  refresh_statement_limit();
}

void Tape::grow_for_statement(std::uint32_t edges) {
  grow(edges, edges);  // room for `edges` nodes too, so that the limit clears this statement
}

void Tape::refresh_statement_limit() noexcept {
  statement_edge_limit_ = edges_ + std::min(edge_capacity_ - edges_, node_capacity_ - nodes_);
}

void Tape::check_statement_limit() const {
  if (statement_edge_limit_ > edge_capacity_ || statement_edge_limit_ - std::min(statement_edge_limit_, edges_) >
                                                    node_capacity_ - nodes_) {
    throw TapeError(fmt::format("internal error: statement edge limit {} with {} of {} nodes and {} of {} edges",
                                statement_edge_limit_, nodes_, node_capacity_, edges_, edge_capacity_));
  }
}

Var Tape::nary(std::span<const Var> args, double value, std::span<const double> partials, OpCode op) {
  std::uint32_t active = 0;
  for (const Var& x : args) {
    if (x.is_constant()) continue;
    debug_check(x);
    ++active;
  }
  if (active == 0) {
    count_precomputed();
    return Var(value);
  }
  if (replayable_) {  // a linear combination keeps its partials: they are its coefficients
    return step(op, op_name(op), value, args, op == OpCode::Fused ? partials : std::span<const double>(), true);
  }
  ensure(1, active);
  const std::uint32_t id = nodes_++;
  op_[id] = op;
  first_arg_[id] = edges_;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_constant()) continue;
    arg_[edges_] = args[i].id_;
    partial_[edges_] = partials[i];
    ++edges_;
  }
  return result(value, id);
}

void Tape::count_precomputed() noexcept {
  if (replayable_) replay_->add_precomputed();
}

Var Tape::step(OpCode op, std::string_view name, double value, std::span<const Var> operands,
               std::span<const double> coefficients, bool nary) {
  if (!replayable_) throw TapeError("Tape::step records only for slope::Function::record");
  if (op == OpCode::Custom) {
    throw TapeError(name == op_name(OpCode::Custom)
                        ? std::string("custom_op cannot be recorded for slope::Function: its value and partials are "
                                      "numbers, which a replay cannot recompute at other inputs")
                        : fmt::format("the user rule '{}' cannot be recorded for slope::Function: only the built-in "
                                      "operations can be replayed",
                                      name));
  }
  for (const Var& x : operands) debug_check(x);
  ensure(1, static_cast<std::uint32_t>(operands.size()));
  const std::uint32_t id = nodes_;
  op_[id] = op;
  first_arg_[id] = edges_;
  push_operands(operands, coefficients, 1);
  if (nary) {
    try {
      replay_->add_nary(id);
    } catch (...) {
      edges_ = first_arg_[id];
      throw;
    }
  }
  ++nodes_;
  refresh_statement_limit();  // a replayable step may have no edge (a constant's operands)
  return result(value, id);
}

void Tape::push_operands(std::span<const Var> operands, std::span<const double> coefficients, std::uint32_t nodes) {
  if (nodes_ + std::uint64_t{nodes} > detail::kConstantRef) {  // an edge's top bit tells a constant
    throw TapeError("slope::Function: a replayable recording holds at most 2^31 nodes");
  }
  std::uint32_t edge = edges_;
  for (std::size_t k = 0; k < operands.size(); ++k, ++edge) {
    arg_[edge] = replay_->reference(operands[k]);
    partial_[edge] = coefficients.empty() ? 0.0 : coefficients[k];
  }
  edges_ = edge;  // only now: a constant that could not be stored leaves the tape as it was
}

std::vector<Var> Tape::external(std::span<const Var> inputs, std::span<const double> output_values,
                                VectorJacobianProduct vjp) {
  if (replayable_) {
    throw TapeError("external_op cannot be recorded for slope::Function: its vector-Jacobian product is "
                    "opaque code that a replay cannot re-run at other inputs");
  }
  for (const Var& x : inputs) debug_check(x);
  ensure(static_cast<std::uint32_t>(output_values.size()), 0);
  External record{nodes_, static_cast<std::uint32_t>(output_values.size()),
                  static_cast<std::uint32_t>(external_inputs_.size()), static_cast<std::uint32_t>(inputs.size()),
                  std::move(vjp)};
  for (const Var& x : inputs) external_inputs_.push_back(x.id_);
  externals_.push_back(std::move(record));
  std::vector<Var> outputs;
  outputs.reserve(output_values.size());
  for (const double value : output_values) {
    const std::uint32_t id = nodes_++;
    op_[id] = OpCode::External;
    first_arg_[id] = edges_;
    // Not fresh: the vector-Jacobian product reads this node's adjoint, so nothing may fold into it.
    outputs.push_back(Var(value, id, serial_, false));
  }
  refresh_statement_limit();
  return outputs;
}

void Tape::check_owner(const Var& x) const {
  if (x.is_constant()) return;
  if (x.tape_ != serial_) {
    throw TapeError(fmt::format(
        "a Var from another tape (#{}) was used while tape #{} is recording (a Var belongs to the "
        "tape that recorded it and dies with it)",
        x.tape_, serial_));
  }
  if (x.id_ >= nodes_) {
    throw TapeError(fmt::format(
        "a Var refers to node {} but the tape holds {} nodes: it was recorded after the position the "
        "tape was rewound to",
        x.id_, nodes_));
  }
}

void Tape::prepare_adjoints() {
  // Its edges name constants, not nodes; Function::record's tape is compiled, never swept.
  if (replay_) throw TapeError("a replayable recording (slope::Function::record) cannot be swept");
  if (adjoint_.size() < nodes_) adjoint_.resize(nodes_);
  std::fill_n(adjoint_.begin(), nodes_, 0.0);
  swept_nodes_ = nodes_;
}

void Tape::backward(const Var& output, double seed) {
  check_owner(output);
  prepare_adjoints();
  if (output.is_constant()) return;
  adjoint_[output.id_] = seed;
  sweep(output.id_ + 1);
}

void Tape::backward(std::span<const Var> outputs, std::span<const double> seeds) {
  if (outputs.size() != seeds.size()) {
    throw TapeError(fmt::format("Tape::backward: {} outputs but {} seeds", outputs.size(), seeds.size()));
  }
  prepare_adjoints();
  std::uint32_t end = 0;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    check_owner(outputs[i]);
    if (outputs[i].is_constant()) continue;
    adjoint_[outputs[i].id_] += seeds[i];
    end = std::max(end, outputs[i].id_ + 1);
  }
  sweep(end);
}

void Tape::sweep(std::uint32_t end_node) {
  std::uint32_t high = end_node;
  // External operations and vector nodes each split the node range; both lists are in node
  // order, so the next one down is whichever list's last entry starts higher.
  std::size_t v = vector_nodes_ ? vector_nodes_->size() : 0;
  for (std::size_t e = externals_.size(); e > 0 || v > 0;) {
    if (v > 0 && (e == 0 || (*vector_nodes_)[v - 1].output > externals_[e - 1].first_output)) {
      const detail::VectorNode& node = (*vector_nodes_)[--v];
      if (node.output >= high) continue;
      sweep_nodes(node.output + node.outputs, high);
      vector_nodes_->sweep(v, adjoint_.data());
      high = node.output;
      continue;
    }
    const External& ext = externals_[--e];
    if (ext.first_output >= high) continue;
    sweep_nodes(ext.first_output + ext.outputs, high);
    external_scratch_.assign(ext.inputs, 0.0);
    ext.vjp(std::span<const double>(adjoint_.data() + ext.first_output, ext.outputs), external_scratch_);
    for (std::uint32_t j = 0; j < ext.inputs; ++j) {
      const std::uint32_t id = external_inputs_[ext.first_input + j];
      if (id != Var::kConstant) adjoint_[id] += external_scratch_[j];
    }
    high = ext.first_output;
  }
  sweep_nodes(0, high);
}

void Tape::sweep_nodes(std::uint32_t low, std::uint32_t high) noexcept {
  if (low >= high) return;
  double* const adjoint = adjoint_.data();
  const std::uint32_t* const arg = arg_.get();
  const double* const partial = partial_.get();
  const std::uint32_t* const first = first_arg_.get();
  std::uint32_t end = high < nodes_ ? first[high] : edges_;
  // Once the edges left are those of node `low` and below (none), the nodes still to visit
  // have no edges: inputs, outputs of vector nodes. Stopping there makes the inputs, often
  // most of a vector-node tape, cost nothing.
  const std::uint32_t floor = first[low];
  for (std::uint32_t i = high; end > floor && i-- > low;) {
    const std::uint32_t begin = first[i];
    const double a = adjoint[i];
    if (a != 0.0) {  // also stops 0 * inf from turning unrelated adjoints into NaN
      for (std::uint32_t k = begin; k < end; ++k) adjoint[arg[k]] += partial[k] * a;
    }
    end = begin;
  }
}

void Tape::throw_not_swept(std::uint32_t node) const {
  throw TapeError(fmt::format("adjoint of node {} asked before a sweep covered it (call backward first)", node));
}

Var Tape::join_top_two(double lower_factor, double upper_factor, double value) {
  // Too many edges to rescale cheaply: a new node with the two operands as its edges.
  return push_binary(nodes_ - 2, nodes_ - 1, value, lower_factor, upper_factor, OpCode::Fused);
}

std::optional<NonFiniteAdjoint> Tape::first_non_finite_adjoint() const {
  // The sweep visits nodes from the top down, and a node's adjoint is final when it is
  // visited, so the first node (from the top) that turns a finite adjoint into a non-finite
  // contribution is where the sweep first produced one.
  for (std::uint32_t i = swept_nodes_; i-- > 0;) {
    const double a = adjoint_[i];
    const std::string_view name = op_name(op_[i]);
    if (!std::isfinite(a)) {
      return NonFiniteAdjoint{i, op_[i],
                              fmt::format("{} (node {}): its adjoint is {}, from a non-finite seed, an "
                                          "external operation or an overflowing sum",
                                          name, i, a)};
    }
    if (a == 0.0) continue;
    const std::uint32_t end = i + 1 < nodes_ ? first_arg_[i + 1] : edges_;
    for (std::uint32_t k = first_arg_[i]; k < end; ++k) {
      if (std::isfinite(partial_[k] * a)) continue;
      const std::string what = std::isfinite(partial_[k])
                                   ? fmt::format("partial derivative {} times adjoint {} overflows", partial_[k], a)
                                   : fmt::format("partial derivative is {}", partial_[k]);
      return NonFiniteAdjoint{i, op_[i], fmt::format("{} (node {}): {}", name, i, what)};
    }
  }
  return std::nullopt;
}

TapeStats Tape::stats() const noexcept {
  constexpr std::size_t kNodeBytes = sizeof(OpCode) + sizeof(std::uint32_t);
  constexpr std::size_t kEdgeBytes = sizeof(std::uint32_t) + sizeof(double);
  const std::size_t vector_bytes = vector_nodes_ ? vector_nodes_->bytes() : 0;
  const std::size_t vector_capacity = vector_nodes_ ? vector_nodes_->capacity_bytes() : 0;
  return TapeStats{nodes_, edges_, nodes_ * kNodeBytes + edges_ * kEdgeBytes + vector_bytes,
                   node_capacity_ * kNodeBytes + edge_capacity_ * kEdgeBytes + vector_capacity};
}

OpCode Tape::operation(std::uint32_t node) const {
  if (node >= nodes_) throw TapeError(fmt::format("node {} is past the tape's {} nodes", node, nodes_));
  return op_[node];
}

}  // namespace slope
