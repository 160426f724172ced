#pragma once
/// \file
/// slope::Tape: flat storage of a recorded computation and its reverse sweep.
///
/// Layout (structure of arrays, indexed by 32-bit node ids, never pointers):
///   per node  op_[i] (1 byte) and first_arg_[i] (4 bytes);
///   per edge  arg_[k] (4 bytes) and partial_[k] (8 bytes),
/// where node i's edges are [first_arg_[i], first_arg_[i+1]) and an edge k says
/// "node i depends on node arg_[k] with partial derivative partial_[k]".
/// The reverse sweep is then one loop: adjoint[arg[k]] += partial[k] * adjoint[i].

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slope/autodiff/config.hpp"
#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

class Recording;
namespace detail {
class ReplayTables;
class ReplayableTape;
}

/// How a tape records; chosen per call of Tape::record.
struct RecordOptions {
  /// Throw slope::DomainError from the operation that leaves its domain or produces a
  /// non-finite value or derivative. Off: IEEE behaviour, NaN propagates as with double.
  bool checked = false;
  /// Fold the operations of one statement into one node (fewer nodes, same derivatives).
  /// Checked mode never folds, so that an error report names the exact operation.
  bool fuse = true;
};

/// A place on a tape to rewind to (Tape::position, Tape::rewind).
struct TapePosition {
  std::uint32_t nodes = 0;
  std::uint32_t edges = 0;
  std::uint32_t externals = 0;
};

/// Sizes of what a tape holds. Bytes count the recording (op codes, edge starts, operand
/// indices, partials), not the adjoints a sweep adds (8 bytes a node).
struct TapeStats {
  std::size_t nodes = 0;
  std::size_t edges = 0;
  std::size_t bytes = 0;
  std::size_t capacity_bytes = 0;
};

/// Where a sweep first produced a non-finite adjoint (Tape::first_non_finite_adjoint).
struct NonFiniteAdjoint {
  std::uint32_t node = 0;          ///< the node whose operation produced it
  OpCode operation = OpCode::Input;
  std::string message;             ///< e.g. "sqrt (node 12): partial derivative is inf"
};

/// A user-supplied vector-Jacobian product: given the adjoints of an external operation's
/// outputs, add the adjoints of its inputs (see slope::external_op).
using VectorJacobianProduct =
    std::function<void(std::span<const double> output_adjoints, std::span<double> input_adjoints)>;

namespace detail {
class VectorNodes;         // vector nodes (vector.hpp), defined privately by the library
struct VectorTapeAccess;   // how the vector operations append them
struct StatementWriter;    // how expressions (expression.hpp) write their node
struct EdgeSink;           // and their edges
}  // namespace detail

/// A growable record of operations on Vars, and their reverse sweep.
///
/// A tape records the operations of its thread while a Recording from record() is alive.
/// Several tapes can exist; each thread has at most one active tape, so threads record
/// independently. rewind() and clear() keep the memory, so an optimizer loop that records the
/// same function again and again allocates nothing after the first evaluation.
///
///     slope::Tape tape;
///     auto recording = tape.record();
///     slope::Var x = tape.input(2.0);
///     slope::Var y = x * sin(x);
///     tape.backward(y);
///     double dy_dx = tape.adjoint(x);  // sin(2) + 2 cos(2)
class Tape {
 public:
  Tape();
  ~Tape();
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  /// Makes this the thread's active tape until the returned Recording is destroyed (then the
  /// previous one is active again). Keeps what is already recorded.
  [[nodiscard]] Recording record(RecordOptions options = {});

  /// A new independent variable with the given value.
  Var input(double value);
  /// One independent variable per value, in order.
  std::vector<Var> inputs(std::span<const double> values);
  /// Writes one independent variable per value into `out` (same length), allocating nothing
  /// once the tape has grown to size.
  void inputs(std::span<const double> values, std::span<Var> out);

  /// The current end of the recording. Nodes before it are never changed by later operations,
  /// so rewinding here restores exactly this state.
  TapePosition position();
  /// Drops everything recorded after `position`; Vars made after it must not be used again.
  void rewind(TapePosition position);
  /// Drops everything; keeps the memory.
  void clear() { rewind(TapePosition{}); }
  /// Reserves room for this many more nodes and edges.
  void reserve(std::size_t nodes, std::size_t edges);

  /// Reverse sweep from `output` with adjoint `seed`: afterwards adjoint(x) is d(seed*output)/dx.
  /// Adjoints from an earlier sweep are cleared first (cost proportional to the tape's size).
  void backward(const Var& output, double seed = 1.0);
  /// Reverse sweep seeded with several outputs at once: adjoint(x) = sum_i seeds[i] d outputs[i]/dx.
  void backward(std::span<const Var> outputs, std::span<const double> seeds);
  /// The adjoint of `x` after the last sweep (0 for a constant).
  [[nodiscard]] double adjoint(const Var& x) const {
    debug_check(x);
    // One comparison on the common path (reading a gradient is a loop of these): a constant's
    // id, the largest there is, is never below swept_nodes_. No call that returns here: after
    // one, a loop of reads would have to reload swept_nodes_ and adjoint_ every time.
    if (x.id_ >= swept_nodes_) [[unlikely]] {
      if (x.is_constant()) return 0.0;
      throw_not_swept(x.id_);
    }
    return adjoint_[x.id_];
  }

  /// The adjoints of `xs` after the last sweep, written into `out` (same length): reading a
  /// gradient in one call. When the ids are consecutive (a vector of inputs from inputs()),
  /// it is one copy, which a loop of adjoint() calls is not (each read is checked).
  void adjoints(std::span<const Var> xs, std::span<double> out) const;

  /// After a sweep: the operation that first produced a non-finite adjoint, in sweep order,
  /// or nothing when every adjoint is finite. On a tape that folds statements, the node may
  /// hold several operations; record in checked mode to get the exact one.
  [[nodiscard]] std::optional<NonFiniteAdjoint> first_non_finite_adjoint() const;

  /// Sizes and memory of the recording.
  [[nodiscard]] TapeStats stats() const noexcept;
  /// Whether the tape currently records in checked mode.
  [[nodiscard]] bool checked() const noexcept { return options_.checked; }
  /// Whether operations take the slow recording path, one node per operation (checked or
  /// replayable mode, or `fuse = false`).
  [[nodiscard]] bool records_slowly() const noexcept { return slow_; }
  /// Whether the tape records for slope::Function::record (replayable mode): each operation
  /// then keeps its code and all of its operands, constants too, and every comparison of an
  /// active Var its outcome, so that the recording can be compiled and replayed at other
  /// inputs. No partials are computed, nothing is folded, and the tape cannot be swept.
  [[nodiscard]] bool replayable() const noexcept { return replayable_; }
  /// Number of nodes recorded.
  [[nodiscard]] std::size_t size() const noexcept { return nodes_; }
  /// The operation of a node; for tests and reports.
  [[nodiscard]] OpCode operation(std::uint32_t node) const;

  // ---- Recording primitives, called by the record_* templates of recording.hpp. --------
  // Each returns the result Var; operands must be active Vars of this tape.

  /// Records y = f(x) with dy/dx = partial.
  Var unary(const Var& x, double value, double partial, OpCode op);
  /// Records z = f(a, b) with partials dz/da, dz/db.
  Var binary(const Var& a, const Var& b, double value, double partial_a, double partial_b, OpCode op);
  /// Records y = f(args...) for any number of operands; constant operands are skipped.
  /// With OpCode::Fused, y is the linear combination sum_k partials[k] * args[k] (evaluated
  /// left to right): a replayable recording keeps the partials as its coefficients.
  Var nary(std::span<const Var> args, double value, std::span<const double> partials, OpCode op);
  /// Replayable mode: records the operation `op` (called `name` in errors) with result `value`
  /// on `operands`, constants included, as one node; `coefficients` are a linear combination's
  /// (OpCode::Fused), else empty; `nary`: recorded by nary(), not by a rule of one or two
  /// operands. Throws TapeError for an operation a replay cannot recompute (a user rule,
  /// custom_op), naming it.
  Var step(OpCode op, std::string_view name, double value, std::span<const Var> operands,
           std::span<const double> coefficients = {}, bool nary = false);
  /// Replayable mode: counts an operation whose operands were all constants (evaluated once,
  /// while recording; the Function stores its result as a constant). Elsewhere, nothing.
  void count_precomputed() noexcept;
  /// Records an operation whose derivative is applied by `vjp` during the sweep.
  std::vector<Var> external(std::span<const Var> inputs, std::span<const double> output_values,
                            VectorJacobianProduct vjp);
  /// Throws TapeError unless `x` is a constant or a live node of this tape (debug builds call
  /// this for every operand).
  void check_owner(const Var& x) const;

 private:
  friend class Recording;
  friend class Function;  // records replayably
  friend class detail::ReplayableTape;
  friend struct detail::VectorTapeAccess;
  friend struct detail::StatementWriter;
  friend struct detail::EdgeSink;

  static constexpr std::uint32_t kNoFusion = std::numeric_limits<std::uint32_t>::max();
  // A fold that rescales an existing node's partials costs one multiply per edge; capping the
  // edges rescaled keeps a long chain such as p *= x[i] linear instead of quadratic.
  static constexpr std::uint32_t kMaxRescaledEdges = 8;

  struct External {
    std::uint32_t first_output;
    std::uint32_t outputs;
    std::uint32_t first_input;  // into external_inputs_
    std::uint32_t inputs;
    VectorJacobianProduct vjp;
  };

  [[noreturn]] void throw_not_swept(std::uint32_t node) const;
  /// out[i] = the Var of node first + i with value values[i], not fresh (nothing folds into it).
  void store_vars(const double* values, std::uint32_t first, std::span<Var> out) const noexcept;
  void set_options(const RecordOptions& options, bool replayable) noexcept;
  /// A replayable recording (Function::record): see replayable().
  [[nodiscard]] Recording record_replayable();
  /// Writes `operands` as the edges of the step about to be recorded, which adds `nodes` nodes
  /// (replayable mode: constants as references); `coefficients`, when not empty, as their
  /// partials. Throws TapeError when the nodes would not leave room for the constant bit.
  void push_operands(std::span<const Var> operands, std::span<const double> coefficients, std::uint32_t nodes);
  void update_fusion_floor() noexcept;
  SLOPE_ALWAYS_INLINE void ensure(std::uint32_t nodes, std::uint32_t edges) {
    if (nodes_ + nodes > node_capacity_ || edges_ + edges > edge_capacity_) [[unlikely]] grow(nodes, edges);
  }
  SLOPE_COLD void grow(std::uint32_t nodes, std::uint32_t edges);
  /// Room for `edges` more edges and one more node, with one comparison: the check of every
  /// statement and operation that adds at most one node, a node with at least one edge (or an
  /// edge alone). It holds because edges_ + (node room) >= statement_edge_limit_ (see there).
  SLOPE_ALWAYS_INLINE void ensure_statement(std::uint32_t edges) {
    if constexpr (SLOPE_DEBUG_CHECKS) check_statement_limit();
    if (edges_ + edges > statement_edge_limit_) [[unlikely]] grow_for_statement(edges);
  }
  /// grow(edges, edges) behind a one-argument call: a smaller check at every statement (with
  /// the two-argument call written in place, kernel c2 measured 5% slower).
  SLOPE_COLD void grow_for_statement(std::uint32_t edges);
  /// Sets statement_edge_limit_ from the rooms left; called by every change of the tape other
  /// than a node with edges or an edge alone (inputs, vector outputs, externals, rewinds).
  void refresh_statement_limit() noexcept;
  void check_statement_limit() const;
  [[nodiscard]] SLOPE_ALWAYS_INLINE Var result(double value, std::uint32_t id) const noexcept {
    return Var(value, id, serial_, true);
  }
  void debug_check(const Var& x) const {
    if constexpr (SLOPE_DEBUG_CHECKS) check_owner(x);
  }
  /// True when `x` sits `depth` nodes below the end (1 = top), is its node's only holder and
  /// lies above the fusion floor: an operation consuming x may fold into x's node.
  [[nodiscard]] SLOPE_ALWAYS_INLINE bool foldable(const Var& x, std::uint32_t depth) const noexcept {
    return x.fresh_ && x.id_ + depth == nodes_ && x.id_ >= fusion_floor_;
  }
  [[nodiscard]] SLOPE_ALWAYS_INLINE bool rescalable(std::uint32_t begin, std::uint32_t end,
                                                  double factor) const noexcept {
    return factor == 1.0 || end - begin <= kMaxRescaledEdges;
  }
  void rescale(std::uint32_t begin, std::uint32_t end, double factor) noexcept {
    if (factor == 1.0) return;
    for (std::uint32_t k = begin; k < end; ++k) partial_[k] *= factor;
  }
  Var fold_into_top(std::uint32_t top, double top_factor, std::uint32_t other, double other_partial,
                    double value);
  Var merge_top_two(double lower_factor, double upper_factor, double value);
  SLOPE_COLD Var join_top_two(double lower_factor, double upper_factor, double value);
  Var push_binary(std::uint32_t a, std::uint32_t b, double value, double partial_a, double partial_b, OpCode op);
  void sweep(std::uint32_t end_node);
  void sweep_nodes(std::uint32_t low, std::uint32_t high) noexcept;
  void prepare_adjoints();

  std::unique_ptr<OpCode[]> op_;
  std::unique_ptr<std::uint32_t[]> first_arg_;
  std::unique_ptr<std::uint32_t[]> arg_;
  std::unique_ptr<double[]> partial_;
  std::uint32_t nodes_ = 0;
  std::uint32_t edges_ = 0;
  std::uint32_t node_capacity_ = 0;
  std::uint32_t edge_capacity_ = 0;
  // At most edge_capacity_, and never more than edges_ + (node_capacity_ - nodes_): so while
  // edges_ + k <= statement_edge_limit_ there is room for k edges and a node. A node recorded
  // with at least one edge, or an edge alone, keeps this true; anything else refreshes it.
  std::uint32_t statement_edge_limit_ = 0;
  std::uint32_t position_floor_ = 0;  // nodes below the last position taken or rewound to
  std::uint32_t fusion_floor_ = 0;    // nodes below it are never folded into (kNoFusion: none)

  std::vector<double> adjoint_;
  std::uint32_t swept_nodes_ = 0;  // nodes covered by the last sweep's adjoints
  // Descriptors of operations on whole vectors, created by the first one (vector.hpp).
  std::unique_ptr<detail::VectorNodes> vector_nodes_;

  std::vector<External> externals_;
  std::vector<std::uint32_t> external_inputs_;
  std::vector<double> external_scratch_;

  RecordOptions options_;
  std::uint16_t serial_;
  bool replayable_ = false;
  bool slow_ = false;  // checked, replayable or not fusing: one load on the hot path
  // What a replayable recording keeps besides nodes and edges; made when one begins.
  std::unique_ptr<detail::ReplayTables> replay_;
};

/// While alive, its tape is the thread's active tape (see Tape::record).
class Recording {
 public:
  ~Recording();
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;

 private:
  friend class Tape;
  Recording(Tape& tape, RecordOptions options, bool replayable);

  Tape* tape_;
  Tape* previous_;
  RecordOptions previous_options_;
  bool previous_replayable_;
};

namespace detail {
/// The thread's active tape, or null. Constant-initialized, so access is a plain TLS load.
inline thread_local Tape* active_tape = nullptr;
/// The active tape when it records fast (a statement as one node), else null: no tape, or one
/// that records slowly (checked, replayable, `fuse = false`). Kept beside active_tape so that
/// the hot path asks one question, not two.
inline thread_local Tape* fast_tape = nullptr;

/// What fast_tape should be while `tape` (possibly null) is the active tape.
inline Tape* fast_tape_for(Tape* tape) noexcept {
  return tape != nullptr && !tape->records_slowly() ? tape : nullptr;
}

[[noreturn]] void throw_no_active_tape();

/// The active tape; throws TapeError when an operation on active Vars runs with none.
inline Tape& require_active_tape() {
  Tape* tape = active_tape;
  if (tape == nullptr) [[unlikely]] throw_no_active_tape();
  return *tape;
}
}  // namespace detail

// ---- inline recording primitives (the hot path) --------------------------------------------

SLOPE_ALWAYS_INLINE Var Tape::unary(const Var& x, double value, double partial, OpCode op) {
  debug_check(x);
  if (foldable(x, 1) && rescalable(first_arg_[x.id_], edges_, partial)) {
    rescale(first_arg_[x.id_], edges_, partial);
    op_[x.id_] = OpCode::Fused;
    return result(value, x.id_);
  }
  ensure_statement(1);
  const std::uint32_t id = nodes_++;
  op_[id] = op;
  first_arg_[id] = edges_;
  arg_[edges_] = x.id_;
  partial_[edges_] = partial;
  ++edges_;
  return result(value, id);
}

SLOPE_ALWAYS_INLINE Var Tape::binary(const Var& a, const Var& b, double value, double partial_a,
                                     double partial_b, OpCode op) {
  debug_check(a);
  debug_check(b);
  // Which operand, if any, sits at the top of the tape and holds its node alone: the
  // operation then folds into that node (and into the one below it too when the other
  // operand holds that one).
  if (a.fresh_ || b.fresh_) {
    if (foldable(a, 1)) {
      if (foldable(b, 2)) return merge_top_two(partial_b, partial_a, value);
      if (rescalable(first_arg_[a.id_], edges_, partial_a)) return fold_into_top(a.id_, partial_a, b.id_, partial_b, value);
    } else if (foldable(b, 1)) {
      if (foldable(a, 2)) return merge_top_two(partial_a, partial_b, value);
      if (rescalable(first_arg_[b.id_], edges_, partial_b)) return fold_into_top(b.id_, partial_b, a.id_, partial_a, value);
    }
  }
  return push_binary(a.id_, b.id_, value, partial_a, partial_b, op);
}

SLOPE_ALWAYS_INLINE Var Tape::push_binary(std::uint32_t a, std::uint32_t b, double value, double partial_a,
                                          double partial_b, OpCode op) {
  ensure_statement(2);
  const std::uint32_t id = nodes_++;
  op_[id] = op;
  first_arg_[id] = edges_;
  arg_[edges_] = a;
  partial_[edges_] = partial_a;
  arg_[edges_ + 1] = b;
  partial_[edges_ + 1] = partial_b;
  edges_ += 2;
  return result(value, id);
}

SLOPE_ALWAYS_INLINE Var Tape::fold_into_top(std::uint32_t top, double top_factor, std::uint32_t other,
                                            double other_partial, double value) {
  rescale(first_arg_[top], edges_, top_factor);
  ensure_statement(1);
  arg_[edges_] = other;
  partial_[edges_] = other_partial;
  ++edges_;
  op_[top] = OpCode::Fused;
  return result(value, top);
}

SLOPE_ALWAYS_INLINE Var Tape::merge_top_two(double lower_factor, double upper_factor, double value) {
  // The two operands are the last two nodes, so their edges are adjacent at the end of the
  // edge arrays: dropping the upper node's start merges both edge lists into the lower node.
  const std::uint32_t lower = nodes_ - 2;
  const std::uint32_t middle = first_arg_[nodes_ - 1];
  if (!rescalable(first_arg_[lower], middle, lower_factor) || !rescalable(middle, edges_, upper_factor)) [[unlikely]] {
    return join_top_two(lower_factor, upper_factor, value);
  }
  rescale(first_arg_[lower], middle, lower_factor);
  rescale(middle, edges_, upper_factor);
  --nodes_;
  op_[lower] = OpCode::Fused;
  return result(value, lower);
}

}  // namespace slope
