#pragma once
/// \file
/// slope::Var, the differentiable stand-in for double.

#include <compare>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "slope/autodiff/config.hpp"

namespace slope {

class Tape;
class Var;
namespace detail {
struct VarAccess;

/// A value-dependent decision taken while recording replayably (see slope::Function): the
/// ordering of two values, their equality, or the result of a rounding function.
enum class DecisionKind : std::uint8_t { Order, Equal, Floor, Ceil, Round, Trunc };
/// True while this thread's active tape records replayably: decisions on active Vars are then
/// logged, so that a replay can tell when one would go the other way.
inline thread_local bool log_decisions = false;
/// Logs that `kind` applied to a and b gave `outcome` on the active tape's replayable recording.
void log_decision(DecisionKind kind, const Var& a, const Var& b, int outcome) noexcept;
/// less 0, equivalent 1, greater 2, unordered 3: the outcome logged for DecisionKind::Order.
constexpr int ordering_code(std::partial_ordering order) noexcept {
  return order < 0 ? 0 : order == 0 ? 1 : order > 0 ? 2 : 3;
}
}  // namespace detail

/// An unrecorded statement of Var arithmetic (`a * b + exp(c)`; see expression.hpp): it
/// becomes one node when it becomes a Var.
template <class E>
concept Expression = requires { typename E::slope_expression; };

/// A double whose operations are recorded on the thread's active tape.
///
/// Write code with Var where it had double: arithmetic with Var, double or int on either side,
/// compound assignment, comparisons (on values; they record nothing) and the functions of
/// <slope/autodiff.hpp>. A Var made from a number is a constant: it costs no tape space and has
/// no derivative. Active Vars come from Tape::input or from operations on active Vars.
///
/// Operators, and elementary functions of expressions, return expressions (expression.hpp),
/// which a Var records as one node per statement. Copying a Var is cheap (16 bytes, no
/// allocation). A Var also remembers whether it is the only holder of its node: results of
/// statements are, copies are not. The tape uses that to grow one node for a sum accumulated in
/// a loop (`s += w[i] * x[i]`) instead of one per iteration; it never changes a derivative.
class Var {
 public:
  /// The constant 0.
  constexpr Var() noexcept = default;
  /// A constant (no node, zero derivative). Implicit, so `Var x = 2.5;` and `f(3.0)` work.
  SLOPE_ALWAYS_INLINE constexpr Var(double value) noexcept : value_(value) {}  // NOLINT(google-explicit-constructor)

  /// Records the expression `e` (a statement such as `a * b + exp(c)`) as one node.
  /// Implicit, so a Var is made wherever an expression is stored, returned or passed.
  template <class E>
    requires Expression<std::remove_cvref_t<E>>
  Var(E&& e);  // NOLINT(google-explicit-constructor)
  /// Records the expression `e` as one node and holds it.
  template <class E>
    requires Expression<std::remove_cvref_t<E>>
  Var& operator=(E&& e);

  /// Copies share the node, so neither copy may be folded into later. (Forced inline as the
  /// operations are: a kernel instantiated from two places, say a tape and a Function's
  /// recording, had GCC call it out of line, 25% slower per taped evaluation.)
  SLOPE_ALWAYS_INLINE constexpr Var(const Var& other) noexcept
      : value_(other.value_), id_(other.id_), tape_(other.tape_) {
    other.share();
  }
  /// Moving is copying: a moved-from Var keeps its meaning.
  SLOPE_ALWAYS_INLINE constexpr Var(Var&& other) noexcept : Var(static_cast<const Var&>(other)) {}
  SLOPE_ALWAYS_INLINE constexpr Var& operator=(const Var& other) noexcept {
    other.share();
    value_ = other.value_;
    id_ = other.id_;
    tape_ = other.tape_;
    fresh_ = false;
    return *this;
  }
  SLOPE_ALWAYS_INLINE constexpr Var& operator=(Var&& other) noexcept {
    return *this = static_cast<const Var&>(other);
  }
  constexpr ~Var() = default;

  /// The recorded value.
  [[nodiscard]] SLOPE_ALWAYS_INLINE constexpr double value() const noexcept { return value_; }
  /// True for a constant: no node on any tape, derivative zero.
  [[nodiscard]] SLOPE_ALWAYS_INLINE constexpr bool is_constant() const noexcept { return id_ == kConstant; }

  /// Comparisons look at values only and record nothing, as with double (a replayable
  /// recording logs their outcome; see slope::Function).
  friend constexpr bool operator==(const Var& a, const Var& b) noexcept {
    const bool equal = a.value_ == b.value_;
    note(detail::DecisionKind::Equal, a, b, equal ? 1 : 0);
    return equal;
  }
  friend constexpr std::partial_ordering operator<=>(const Var& a, const Var& b) noexcept {
    const std::partial_ordering order = a.value_ <=> b.value_;
    note(detail::DecisionKind::Order, a, b, detail::ordering_code(order));
    return order;
  }
  friend constexpr bool operator==(const Var& a, double b) noexcept { return a == Var(b); }
  friend constexpr std::partial_ordering operator<=>(const Var& a, double b) noexcept { return a <=> Var(b); }

 private:
  friend class Tape;
  friend struct detail::VarAccess;

  static constexpr std::uint32_t kConstant = std::numeric_limits<std::uint32_t>::max();

  SLOPE_ALWAYS_INLINE constexpr Var(double value, std::uint32_t id, std::uint16_t tape, bool fresh) noexcept
      : value_(value), id_(id), tape_(tape), fresh_(fresh) {}

  // Off the hot path unless a replayable recording runs on this thread.
  static constexpr void note(detail::DecisionKind kind, const Var& a, const Var& b, int outcome) noexcept {
    if (std::is_constant_evaluated()) return;
    if (detail::log_decisions && (a.id_ != kConstant || b.id_ != kConstant)) [[unlikely]] {
      detail::log_decision(kind, a, b, outcome);
    }
  }

  SLOPE_ALWAYS_INLINE constexpr void share() const noexcept {
    if (fresh_) fresh_ = false;  // write only when needed: shared constants stay read-only across threads
  }

  double value_ = 0.0;
  std::uint32_t id_ = kConstant;  // node index on its tape
  std::uint16_t tape_ = 0;        // serial of the tape that recorded it (checked in debug builds)
  mutable bool fresh_ = false;    // sole holder of id_: an operation may fold into that node
};

/// The value of a Var, or the number itself; lets generic code read values of either type.
[[nodiscard]] constexpr double value(const Var& x) noexcept { return x.value(); }
/// \overload
[[nodiscard]] constexpr double value(double x) noexcept { return x; }

namespace detail {
/// Internal access to Var's representation for the recording code and tests.
struct VarAccess {
  SLOPE_ALWAYS_INLINE static constexpr std::uint32_t id(const Var& v) noexcept { return v.id_; }
  SLOPE_ALWAYS_INLINE static constexpr bool fresh(const Var& v) noexcept { return v.fresh_; }
  /// A Var that carries `v`'s sole ownership, for compound assignment: the caller overwrites
  /// `v` right after, so `v`'s old value can be folded into the new node.
  SLOPE_ALWAYS_INLINE static constexpr Var release(Var& v) noexcept {
    Var out(v.value_, v.id_, v.tape_, v.fresh_);
    v.fresh_ = false;
    return out;
  }
  /// Marks `v` as not the sole holder of its node any more (its node was taken over).
  SLOPE_ALWAYS_INLINE static constexpr void disown(const Var& v) noexcept { v.fresh_ = false; }
  /// Overwrites `target` with a result, keeping the result's sole ownership.
  SLOPE_ALWAYS_INLINE static constexpr void assign(Var& target, const Var& result) noexcept {
    target.value_ = result.value_;
    target.id_ = result.id_;
    target.tape_ = result.tape_;
    target.fresh_ = result.fresh_;
  }
};
}  // namespace detail

}  // namespace slope

/// Var behaves like double for numeric_limits; the limits are constants.
template <>
class std::numeric_limits<slope::Var> : public std::numeric_limits<double> {
  using base = std::numeric_limits<double>;

 public:
  static constexpr slope::Var min() noexcept { return base::min(); }
  static constexpr slope::Var max() noexcept { return base::max(); }
  static constexpr slope::Var lowest() noexcept { return base::lowest(); }
  static constexpr slope::Var epsilon() noexcept { return base::epsilon(); }
  static constexpr slope::Var round_error() noexcept { return base::round_error(); }
  static constexpr slope::Var infinity() noexcept { return base::infinity(); }
  static constexpr slope::Var quiet_NaN() noexcept { return base::quiet_NaN(); }
  static constexpr slope::Var signaling_NaN() noexcept { return base::signaling_NaN(); }
  static constexpr slope::Var denorm_min() noexcept { return base::denorm_min(); }
};
