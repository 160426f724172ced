#pragma once
/// \file
/// Expression templates: a whole statement of Var arithmetic recorded as one node.
///
/// `a * b + exp(c)` does not record three operations. Each operator returns a small value
/// (UnaryExpression, BinaryExpression) holding its operands and its result; the statement is
/// recorded when the expression becomes a Var (`Var y = a * b + exp(c);`, a return, an
/// argument). Then the chain rule runs over the expression in registers, from its root down to
/// its leaves, and the tape gets one node whose edges go straight to the leaves a, b and c,
/// with one capacity check. This is what Adept and CoDiPack do; derivatives are unchanged.
///
/// A Var operand that is a temporary, the result of a function recorded on its own such as
/// `sin(x)` in `y * sin(x)`, is the tape's top node and is held by nothing else: the statement
/// then absorbs that node (its partials scaled by the chain rule) instead of pointing at it.
/// Operators take their operands by value for this: a temporary keeps its sole ownership of
/// its node (see Var), a named Var is copied and does not. Compound assignment to a Var that
/// holds the top node (`s += w[i] * x[i]` in a loop) appends to that node, and a Var that
/// ends every term (`s += exp(x[i] - m)`) keeps a single edge there.
///
/// An elementary function of an expression (`exp(a * b)`) joins the statement; of a Var
/// (`exp(a)`) it is recorded at once and returns a Var, so that `&slope::exp` stays a
/// `Var (*)(Var)`, and is then absorbed as above.
///
/// Operands are held by value (a Var is 16 bytes), so an expression never refers to a
/// temporary that died: `auto e = a * b;` is safe. It is not a Var, though:
/// - each use of `e` records its operations again (correct, but twice the work);
/// - `e += x` does not compile, nor does generic code that takes the type of an operation as
///   its scalar (`decltype(a + 0.0) s = 0.0;`), deduces one T from an expression and a Var, or
///   picks between two different expressions with `?:`. Name the type Var there:
///   `Var e = a * b;`, `c ? Var(a - b) : Var(b - a)`;
/// - nothing is recorded or checked until the expression becomes a Var: a discarded `a * b`
///   records nothing, and checked mode reports an operation when its statement is stored.
///
/// Checked and replayable recordings (RecordOptions::checked, slope::Function) and recordings
/// with `fuse = false` need one node per operation; there an expression is recorded operation
/// by operation, through the same rules, exactly as the operations would be one at a time.

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "slope/autodiff/config.hpp"
#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/recording.hpp"
#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

/// What an expression operator accepts on either side: a Var or an unrecorded expression.
/// (Numbers are accepted too, by overloads of their own.)
template <class T>
concept Operand = std::same_as<T, Var> || Expression<T>;

namespace detail {

/// The operand's value: a number, a Var's value, or an expression's result.
SLOPE_ALWAYS_INLINE constexpr double operand_value(double x) noexcept { return x; }
SLOPE_ALWAYS_INLINE constexpr double operand_value(const Var& x) noexcept { return x.value(); }
template <Expression E>
SLOPE_ALWAYS_INLINE constexpr double operand_value(const E& e) noexcept { return e.value(); }

/// How many Vars an operand holds, so how many edges it can give at most.
template <class T>
inline constexpr std::uint32_t leaf_count = 0;  // a number
template <>
inline constexpr std::uint32_t leaf_count<Var> = 1;
template <Expression E>
inline constexpr std::uint32_t leaf_count<E> = E::leaves;

/// Whether the last edge an operand writes is statically one Var leaf (its rightmost Var,
/// with only numbers after it), and that Var.
template <class T>
inline constexpr bool ends_with_leaf = false;  // a number
template <>
inline constexpr bool ends_with_leaf<Var> = true;
template <Expression E>
inline constexpr bool ends_with_leaf<E> = E::ends_with_leaf;
SLOPE_ALWAYS_INLINE constexpr const Var& last_leaf(const Var& x) noexcept { return x; }
template <Expression E>
SLOPE_ALWAYS_INLINE constexpr const Var& last_leaf(const E& e) noexcept { return e.last_leaf(); }

/// Passes `adjoint` (the derivative of the statement's result with respect to this operand)
/// down to the operand's leaves; a number has none.
template <class Sink>
SLOPE_ALWAYS_INLINE constexpr void propagate(double, Sink&, double) noexcept {}
template <class Sink>
SLOPE_ALWAYS_INLINE void propagate(const Var& x, Sink& sink, double adjoint) { sink.leaf(x, adjoint); }
template <Expression E, class Sink>
SLOPE_ALWAYS_INLINE void propagate(const E& e, Sink& sink, double adjoint) { e.propagate(sink, adjoint); }

/// Hands an operand over to the expression that holds it: a Var keeps its sole ownership of its
/// node (so that the statement may absorb it), an expression moves its leaves along.
SLOPE_ALWAYS_INLINE constexpr double take(double& x) noexcept { return x; }
SLOPE_ALWAYS_INLINE constexpr Var take(Var& x) noexcept { return VarAccess::release(x); }
template <Expression E>
SLOPE_ALWAYS_INLINE constexpr E&& take(E& e) noexcept { return static_cast<E&&>(e); }

/// The operand as a Var, recording an expression operation by operation (the slow path).
inline Var recorded_each(double x) noexcept { return Var(x); }
inline Var recorded_each(const Var& x) noexcept { return x; }
template <Expression E>
Var recorded_each(const E& e) { return e.record_each(); }

/// The op code of a one-operation node (its operands all leaves), else OpCode::Fused.
template <class Rule, class... Operands>
inline constexpr OpCode statement_op =
    ((std::same_as<Operands, Var> || std::same_as<Operands, double>) && ...) ? op_code<Rule> : OpCode::Fused;

}  // namespace detail

/// Rule(a), not yet recorded. a is a Var or an expression; its partial dy/da is computed only
/// when the statement is recorded.
template <UnaryRule Rule, Operand A>
class [[nodiscard]] UnaryExpression {
 public:
  using slope_expression = void;
  static constexpr std::uint32_t leaves = detail::leaf_count<A>;
  static constexpr OpCode op = detail::statement_op<Rule, A>;
  static constexpr bool ends_with_leaf = detail::ends_with_leaf<A>;

  SLOPE_ALWAYS_INLINE explicit UnaryExpression(A a)
      : a_(detail::take(a)), value_(Rule::value(detail::operand_value(a_))) {}
  /// A copy's Vars are copies: they never own their nodes (the expression may be used twice).
  UnaryExpression(const UnaryExpression&) = default;
  /// Moving passes the operand's ownership along (operators return expressions by value).
  SLOPE_ALWAYS_INLINE UnaryExpression(UnaryExpression&& other) noexcept
      : a_(detail::take(other.a_)), value_(other.value_) {}
  UnaryExpression& operator=(const UnaryExpression&) = delete;
  ~UnaryExpression() = default;

  /// The result, computed when the expression was made.
  [[nodiscard]] SLOPE_ALWAYS_INLINE double value() const noexcept { return value_; }

  /// The Var whose edge propagate writes last (when ends_with_leaf).
  [[nodiscard]] SLOPE_ALWAYS_INLINE const Var& last_leaf() const noexcept { return detail::last_leaf(a_); }

  /// Chain rule: a's leaves get adjoint * dy/da.
  template <class Sink>
  SLOPE_ALWAYS_INLINE void propagate(Sink& sink, double adjoint) const {
    detail::propagate(a_, sink, adjoint * Rule::partial(detail::operand_value(a_), value_));
  }

  /// Records the operations one by one (checked and replayable recordings).
  SLOPE_COLD Var record_each() const { return detail::record_unary_slow<Rule>(detail::recorded_each(a_), value_); }

 private:
  A a_;
  double value_;
};

/// Rule(a, b), not yet recorded. Each operand is a Var, an expression or a number; a number's
/// partial is never computed.
template <BinaryRule Rule, class A, class B>
  requires(Operand<A> || std::same_as<A, double>) && (Operand<B> || std::same_as<B, double>)
class [[nodiscard]] BinaryExpression {
 public:
  using slope_expression = void;
  static constexpr std::uint32_t leaves = detail::leaf_count<A> + detail::leaf_count<B>;
  static constexpr OpCode op = detail::statement_op<Rule, A, B>;
  static constexpr bool ends_with_leaf =
      std::same_as<B, double> ? detail::ends_with_leaf<A> : detail::ends_with_leaf<B>;

  SLOPE_ALWAYS_INLINE BinaryExpression(A a, B b)
      : a_(detail::take(a)),
        b_(detail::take(b)),
        value_(Rule::value(detail::operand_value(a_), detail::operand_value(b_))) {}
  /// A copy's Vars are copies: they never own their nodes (the expression may be used twice).
  BinaryExpression(const BinaryExpression&) = default;
  /// Moving passes the operands' ownership along (operators return expressions by value).
  SLOPE_ALWAYS_INLINE BinaryExpression(BinaryExpression&& other) noexcept
      : a_(detail::take(other.a_)), b_(detail::take(other.b_)), value_(other.value_) {}
  BinaryExpression& operator=(const BinaryExpression&) = delete;
  ~BinaryExpression() = default;

  /// The result, computed when the expression was made.
  [[nodiscard]] SLOPE_ALWAYS_INLINE double value() const noexcept { return value_; }

  /// The Var whose edge propagate writes last (when ends_with_leaf).
  [[nodiscard]] SLOPE_ALWAYS_INLINE const Var& last_leaf() const noexcept {
    if constexpr (std::same_as<B, double>) {
      return detail::last_leaf(a_);
    } else {
      return detail::last_leaf(b_);
    }
  }

  /// Chain rule: a's leaves get adjoint * dz/da, b's adjoint * dz/db.
  template <class Sink>
  SLOPE_ALWAYS_INLINE void propagate(Sink& sink, double adjoint) const {
    const double av = detail::operand_value(a_);
    const double bv = detail::operand_value(b_);
    if constexpr (std::same_as<B, Var> && detail::ends_with_leaf<A>) {
      // x * x, c * t * t: b is the leaf a's edges end with, so b's partial joins that edge
      // instead of making a second edge to the same node.
      if (detail::VarAccess::id(detail::last_leaf(a_)) == detail::VarAccess::id(b_) && !b_.is_constant()) {
        detail::propagate(a_, sink, adjoint * Rule::d_first(av, bv, value_));
        sink.add_to_last(adjoint * Rule::d_second(av, bv, value_));
        return;
      }
    }
    if constexpr (!std::same_as<A, double>) detail::propagate(a_, sink, adjoint * Rule::d_first(av, bv, value_));
    if constexpr (!std::same_as<B, double>) detail::propagate(b_, sink, adjoint * Rule::d_second(av, bv, value_));
  }

  /// Records the operations one by one (checked and replayable recordings).
  SLOPE_COLD Var record_each() const {
    return detail::record_binary_slow<Rule>(detail::recorded_each(a_), detail::recorded_each(b_), value_);
  }

 private:
  A a_;
  B b_;
  double value_;
};

namespace detail {

/// Where a statement's edges go: straight into the tape's edge arrays, at the end. A constant
/// leaf is written too, and then overwritten by the next: no branch per leaf. A leaf that owns
/// the tape's top node is absorbed instead: that node's few edges, scaled by the leaf's
/// partial, become the statement's, and the statement takes over the node.
struct EdgeSink {
  Tape& tape;
  std::uint32_t* arg;
  double* partial;
  std::uint32_t count = 0;
  bool absorbed = false;

  SLOPE_ALWAYS_INLINE void leaf(const Var& x, double adjoint) {
    const std::uint32_t id = VarAccess::id(x);
    if (VarAccess::fresh(x) && tape.foldable(x, 1) && tape.rescalable(tape.first_arg_[id], tape.edges_, adjoint))
        [[unlikely]] {
      if constexpr (SLOPE_DEBUG_CHECKS) tape.check_owner(x);
      tape.rescale(tape.first_arg_[id], tape.edges_, adjoint);
      VarAccess::disown(x);  // an expression moved from twice must not absorb the node again
      absorbed = true;
      return;
    }
    edge(x, adjoint);
  }

  /// An edge to x, for a leaf known not to own the top node (no absorption to try).
  SLOPE_ALWAYS_INLINE void edge(const Var& x, double adjoint) {
    if constexpr (SLOPE_DEBUG_CHECKS) tape.check_owner(x);
    arg[count] = VarAccess::id(x);
    partial[count] = adjoint;
    count += x.is_constant() ? 0 : 1;
  }

  /// Adds to the partial of the edge written last (the same leaf again).
  SLOPE_ALWAYS_INLINE void add_to_last(double adjoint) noexcept { partial[count - 1] += adjoint; }
};

/// Writes statements onto a tape (a friend of Tape: the hot path of recording).
struct StatementWriter {
  /// One node for the expression: its edges go to its leaves. All leaves constant: no node.
  template <Expression E>
  SLOPE_ALWAYS_INLINE static Var write(Tape& tape, const E& e) {
    tape.ensure_statement(E::leaves);
    const std::uint32_t edge = tape.edges_;
    EdgeSink sink{tape, tape.arg_.get() + edge, tape.partial_.get() + edge};
    e.propagate(sink, 1.0);
    return finish(tape, sink, e.value(), E::op);
  }

  /// target = target + x or target - x (Rule Add or Sub). When target holds the tape's top
  /// node alone (a sum being accumulated, `s += ...` in a loop), x's edges are appended to
  /// that node: one node for the whole loop. Otherwise a new node with an edge to target and
  /// x's edges.
  template <class Rule, class X>
  SLOPE_ALWAYS_INLINE static void accumulate(Tape& tape, Var& target, const X& x) {
    constexpr double sign = std::same_as<Rule, Add> ? 1.0 : -1.0;
    const double value = Rule::value(target.value(), operand_value(x));
    tape.ensure_statement(leaf_count<X> + 1);
    const std::uint32_t edge = tape.edges_;
    EdgeSink sink{tape, tape.arg_.get() + edge, tape.partial_.get() + edge};
    if (tape.foldable(target, 1)) {
      sink.absorbed = true;  // target's own node takes x's edges (x cannot own it too)
      propagate(x, sink, sign);
      if constexpr (ends_with_leaf<X>) merge_last_edge(tape, sink, VarAccess::id(target), last_leaf(x));
    } else {
      sink.edge(target, 1.0);  // not foldable at the top, as just asked: nothing to absorb
      propagate(x, sink, sign);
    }
    VarAccess::assign(target, finish(tape, sink, value, leaf_count<X> <= 1 ? op_code<Rule> : OpCode::Fused));
  }

 private:
  /// A sum grown in a loop whose terms share a Var (`s += exp(x[i] - m)`, m the same Var each
  /// time) would give its node one edge to m per term, and the sweep one dependent update of
  /// m's adjoint per term. When the statement's last edge and the node's last edge before it
  /// go to the same Var, the two become one edge (the partials add up, as the sweep would),
  /// kept last so that the next term merges too. The node's old edge to the Var takes the
  /// statement's edge before last, whose place takes the merged edge (order within a node is
  /// free).
  SLOPE_ALWAYS_INLINE static void merge_last_edge(Tape& tape, EdgeSink& sink, std::uint32_t node, const Var& leaf) {
    const std::uint32_t edge = tape.edges_;
    if (leaf.is_constant() || edge == tape.first_arg_[node] || tape.arg_[edge - 1] != VarAccess::id(leaf)) return;
    const std::uint32_t last = sink.count - 1;  // the statement's edge to `leaf`
    const double merged = tape.partial_[edge - 1] + sink.partial[last];
    if (last == 0) {
      tape.partial_[edge - 1] = merged;
    } else {
      tape.arg_[edge - 1] = sink.arg[last - 1];
      tape.partial_[edge - 1] = sink.partial[last - 1];
      sink.arg[last - 1] = VarAccess::id(leaf);
      sink.partial[last - 1] = merged;
    }
    sink.count = last;
  }

  /// The statement's node: the absorbed top node, or a new one, or none when every leaf was a
  /// constant.
  SLOPE_ALWAYS_INLINE static Var finish(Tape& tape, const EdgeSink& sink, double value, OpCode op) {
    const std::uint32_t edge = tape.edges_;
    if (sink.absorbed) {
      const std::uint32_t top = tape.nodes_ - 1;
      tape.op_[top] = OpCode::Fused;
      tape.edges_ = edge + sink.count;
      return tape.result(value, top);
    }
    if (sink.count == 0) [[unlikely]] return Var(value);
    const std::uint32_t node = tape.nodes_;
    tape.op_[node] = op;
    tape.first_arg_[node] = edge;
    tape.nodes_ = node + 1;
    tape.edges_ = edge + sink.count;
    return tape.result(value, node);
  }
};

/// The slow paths, out of line. They take their operands by value, so that the hot path
/// never needs the expression (or the accumulated Var) in memory: its parts stay in registers,
/// and the copy is made only on the way to the slow path.
template <Expression E>
SLOPE_COLD Var record_each_apart(E e) {
  return e.record_each();
}
template <class Rule, class X>
SLOPE_COLD Var accumulate_each_apart(Var target, X x) {
  const double value = Rule::value(target.value(), operand_value(x));
  return record_binary_slow<Rule>(VarAccess::release(target), recorded_each(x), value);
}

/// The expression recorded: as one node, or operation by operation when the active tape
/// records slowly (checked, replayable, `fuse = false`) or there is none (then only an
/// expression of constants has a value; any other throws TapeError).
template <Expression E>
SLOPE_ALWAYS_INLINE Var record_statement(const E& e) {
  Tape* tape = fast_tape;
  if (tape == nullptr) [[unlikely]] return record_each_apart(e);
  return StatementWriter::write(*tape, e);
}

/// target = Rule(target, x) for Rule Add or Sub: compound assignment.
template <class Rule, class X>
SLOPE_ALWAYS_INLINE void record_accumulation(Var& target, const X& x) {
  Tape* tape = fast_tape;
  if (tape == nullptr) [[unlikely]] {
    VarAccess::assign(target, accumulate_each_apart<Rule>(VarAccess::release(target), x));
    return;
  }
  StatementWriter::accumulate<Rule>(*tape, target, x);
}

/// Records an expression given as an lvalue or an rvalue. A named expression may be recorded
/// again later, so it is copied first: the copy's Vars own nothing, and nothing is absorbed.
template <class E>
SLOPE_ALWAYS_INLINE Var record_expression(E&& e) {
  if constexpr (std::is_lvalue_reference_v<E>) {
    const std::remove_cvref_t<E> copy(e);
    return record_statement(copy);
  } else {
    return record_statement(e);
  }
}
}  // namespace detail

template <class E>
  requires Expression<std::remove_cvref_t<E>>
SLOPE_ALWAYS_INLINE Var::Var(E&& e) {
  detail::VarAccess::assign(*this, detail::record_expression(static_cast<E&&>(e)));
}

template <class E>
  requires Expression<std::remove_cvref_t<E>>
SLOPE_ALWAYS_INLINE Var& Var::operator=(E&& e) {
  // The new node is held by this Var alone, so it stays foldable (`s = s + x; s += y;`).
  detail::VarAccess::assign(*this, detail::record_expression(static_cast<E&&>(e)));
  return *this;
}

/// An expression's value (it records nothing).
template <Expression E>
[[nodiscard]] SLOPE_ALWAYS_INLINE constexpr double value(const E& e) noexcept {
  return e.value();
}

/// Rule(x) as an expression: how a unary function offers itself to statements.
template <UnaryRule Rule, Operand A>
SLOPE_ALWAYS_INLINE UnaryExpression<Rule, A> unary_expression(A x) {
  return UnaryExpression<Rule, A>(detail::take(x));
}

}  // namespace slope
