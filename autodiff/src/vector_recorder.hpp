#pragma once
// What vector.cpp and vector_elementwise.cpp share to record vector nodes (vector_node.hpp):
// the tape's internals they reach (VectorTapeAccess), a node being recorded (Recorder) and the
// checks of checked mode. Private to the library's sources.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <utility>

#include "replayable_tape.hpp"
#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/recording.hpp"
#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/vector.hpp"
#include "vector_node.hpp"

namespace slope {


namespace detail {

/// What the vector operations need of a tape's internals: its vector nodes and plain output nodes.
struct VectorTapeAccess {
  static VectorNodes& nodes(Tape& tape) {
    if (!tape.vector_nodes_) tape.vector_nodes_ = std::make_unique<VectorNodes>();
    return *tape.vector_nodes_;
  }
  /// Replayable mode: appends the `count` output nodes of a vector step of `op` whose operands,
  /// the first output's edges, are `u`; returns the first id.
  static std::uint32_t push_step(Tape& tape, OpCode op, std::span<const Var> u, std::size_t count) {
    return push_step(tape, op, u, {}, count);
  }
  /// The same with operands u then v (a product's two matrices).
  static std::uint32_t push_step(Tape& tape, OpCode op, std::span<const Var> u, std::span<const Var> v,
                                 std::size_t count) {
    constexpr std::size_t kMost = std::numeric_limits<std::uint32_t>::max() / 2;
    if (count > kMost || u.size() + v.size() > kMost) {
      throw TapeError("vector operation too large for a tape");
    }
    const auto n = static_cast<std::uint32_t>(count);
    tape.ensure(n, static_cast<std::uint32_t>(u.size() + v.size()));
    const std::uint32_t first = tape.nodes_;
    const std::uint32_t first_edge = tape.edges_;
    tape.push_operands(u, {}, n);
    try {
      tape.push_operands(v, {}, 0);
    } catch (...) {
      tape.edges_ = first_edge;
      throw;
    }
    std::fill_n(tape.op_.get() + first, n, op);
    std::fill_n(tape.first_arg_.get() + first, n, tape.edges_);
    tape.first_arg_[first] = first_edge;  // n > 0: the caller records no step without outputs
    tape.nodes_ += n;
    tape.refresh_statement_limit();
    return first;
  }
  /// Appends `count` nodes without edges (a vector node's outputs); returns the first id.
  static std::uint32_t push_outputs(Tape& tape, std::size_t count, OpCode op) {
    if (count > std::numeric_limits<std::uint32_t>::max() / 2) throw TapeError("vector operation too large for a tape");
    const auto n = static_cast<std::uint32_t>(count);
    tape.ensure(n, 0);
    const std::uint32_t first = tape.nodes_;
    std::fill_n(tape.op_.get() + first, n, op);
    std::fill_n(tape.first_arg_.get() + first, n, tape.edges_);
    tape.nodes_ += n;
    tape.refresh_statement_limit();
    return first;
  }
  /// out[i] = the output Var of node first + i, which no later operation may fold into: the
  /// vector node reads its adjoint.
  static void outputs(const Tape& tape, const double* values, std::uint32_t first, std::span<Var> out) noexcept {
    tape.store_vars(values, first, out);
  }
  static void check(const Tape& tape, const Var& x) { tape.debug_check(x); }
};

}  // namespace detail

namespace detail::vector_recording {

using detail::Operands;
using detail::Partials;
using detail::VarAccess;
using detail::VectorKind;
using detail::VectorNode;
using detail::VectorNodes;
using detail::VectorTapeAccess;

inline constexpr std::uint32_t kNone = VectorNodes::kNone;

/// Throws ShapeError naming the operation and the operand (formatted only then:
/// a message built on every call would allocate).
inline void require_size(std::size_t got, std::size_t want, std::string_view op, std::string_view operand) {
  if (got != want) throw ShapeError(fmt::format("{}: {} has size {}, expected {}", op, operand, got, want));
}

/// True when the thread's active tape records for a Function: each vector operation then
/// records its replayable step (a linear map, a product, an elementwise step), not a vector
/// node, whose partials are numbers a replay could not recompute.
inline bool recording_for_function() noexcept {
  const Tape* tape = active_tape;
  return tape != nullptr && tape->replayable();
}

inline bool any_active(std::span<const Var> x) noexcept {
  return std::any_of(x.begin(), x.end(), [](const Var& v) { return !v.is_constant(); });
}

/// A vector node being recorded: its tape, its descriptor and the storage sizes to return to
/// if recording fails half-way (a checked tape's DomainError).
class Recorder {
 public:
  Recorder(VectorKind kind, std::string_view name)
      : tape_(detail::require_active_tape()), store_(VectorTapeAccess::nodes(tape_)) {
    if (tape_.replayable()) {  // unreachable: each operation records its replayable form first
      throw TapeError(fmt::format("{}: a vector node cannot be recorded for slope::Function", name));
    }
    node_.kind = kind;
    node_.scalar = kNone;
    node_.ids_size = static_cast<std::uint32_t>(store_.ids.size());
    node_.values_size = static_cast<std::uint32_t>(store_.values.size());
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  ~Recorder() {
    if (!done_) {
      store_.ids.truncate(node_.ids_size);
      store_.values.truncate(node_.values_size);
    }
  }

  VectorNode& node() noexcept { return node_; }
  VectorNodes& store() noexcept { return store_; }
  [[nodiscard]] bool checked() const noexcept { return tape_.checked(); }

  /// x's ids as operands (a first id when consecutive, else a list); writes x's values into
  /// `values` when not null.
  Operands operands(std::span<const Var> x, double* values) {
    Operands out;
    out.count = static_cast<std::uint32_t>(x.size());
    if (x.empty()) return out;
    const std::uint32_t first = VarAccess::id(x[0]);
    // Branch-free scans (an OR of differences, values copied in a loop of their own): this
    // runs once per element of every vector operation.
    std::uint32_t mismatch = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mismatch |= VarAccess::id(x[i]) ^ (first + static_cast<std::uint32_t>(i));
    if (values != nullptr) {
      for (std::size_t i = 0; i < x.size(); ++i) values[i] = x[i].value();
    }
    if constexpr (SLOPE_DEBUG_CHECKS) {
      for (const Var& v : x) {
        if (!v.is_constant()) VectorTapeAccess::check(tape_, v);
      }
    }
    if (first != kNone && mismatch == 0) {
      out.first = first;
      return out;
    }
    out.listed = true;
    out.first = static_cast<std::uint32_t>(store_.ids.extend(x.size()));
    std::uint32_t* ids = store_.ids.data() + out.first;
    for (std::size_t i = 0; i < x.size(); ++i) {
      ids[i] = VarAccess::id(x[i]);
      out.constants = out.constants || ids[i] == kNone;
    }
    return out;
  }

  /// The broadcast scalar of an Elementwise node (nothing for a constant).
  void scalar(const Var& s) {
    if (s.is_constant()) return;
    VectorTapeAccess::check(tape_, s);
    node_.scalar = VarAccess::id(s);
  }

  /// Room for n partials on the tape: returns their Partials and a pointer to fill.
  std::pair<Partials, double*> stored(std::size_t n) {
    Partials p;
    p.stored = true;
    p.offset = static_cast<std::uint32_t>(store_.values.extend(n));
    return {p, store_.values.data() + p.offset};
  }

  /// Appends the node with one output per value and writes the output Vars into `out`.
  void finish(OpCode op, const double* values, std::span<Var> out) {
    node_.outputs = static_cast<std::uint32_t>(out.size());
    if (node_.kind == VectorKind::Elementwise) {
      node_.dx.finite = store_.finite(node_.dx, out.size());
      node_.ds.finite = store_.finite(node_.ds, out.size());
    }
    node_.output = VectorTapeAccess::push_outputs(tape_, out.size(), op);
    store_.push(node_);
    done_ = true;
    VectorTapeAccess::outputs(tape_, values, node_.output, out);
  }

  /// Appends a one-output node (a reduction) and returns its Var.
  Var finish(OpCode op, double value) {
    Var out;
    finish(op, &value, {&out, 1});
    return out;
  }

 private:
  Tape& tape_;
  VectorNodes& store_;
  VectorNode node_;
  bool done_ = false;
};

/// Checked mode: throws DomainError for the first element whose value or partials are not
/// finite (or whose argument is outside `in_domain`).
template <class Args, class Partial>
inline void check_elements(std::string_view name, std::size_t n, const double* y, Args args, Partial partials,
                    detail::ElementDomain in_domain = nullptr, std::string_view domain = "") {
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = args(i);
    const auto d = partials(i);
    const bool inside = in_domain == nullptr || in_domain(a[0]);
    const bool finite = std::isfinite(y[i]) && std::all_of(d.begin(), d.end(), [](double v) { return std::isfinite(v); });
    if (!inside || !finite) detail::check_operation(name, a, inside, domain, y[i], d);
  }
}

inline void check_value(std::string_view name, double value) {
  if (!std::isfinite(value)) detail::check_operation(name, {}, true, "", value, {});
}

}  // namespace detail::vector_recording

}  // namespace slope
