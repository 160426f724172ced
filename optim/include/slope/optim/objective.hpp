#pragma once
/// \file
/// What can be optimized, and the one form every method consumes.
///
/// An objective is any of:
///  - a function of Vars, `f(std::span<const Var>) -> Var`, taped for its first evaluations,
///    then recorded once into a slope::Function and replayed (recorded again only where a
///    recorded comparison comes out the other way); wrap it in `record_every_call(f)` to record
///    it on a tape at every evaluation instead (see TapedObjective for when to choose which);
///  - a callable `f(std::span<const double> x, std::span<double> grad) -> double` that writes
///    its gradient (hand-written gradients);
///  - an object with `value_and_gradient(x, grad) -> double`;
///  - an object with `value(x) -> double` and `gradient(x, grad)`.

#include <concepts>
#include <cstddef>
#include <span>
#include <type_traits>
#include <optional>
#include <utility>
#include <vector>

#include <slope/autodiff/errors.hpp>
#include <slope/autodiff/function.hpp>
#include <slope/autodiff/gradient.hpp>
#include <slope/autodiff/tape.hpp>
#include <slope/autodiff/var.hpp>

namespace slope {

/// f(x, grad) -> double, writing the gradient into grad.
template <class F>
concept GradientFunction = requires(F& f, std::span<const double> x, std::span<double> g) {
  { f(x, g) } -> std::convertible_to<double>;
};

/// An object with value_and_gradient(x, grad) -> double.
template <class F>
concept ValueAndGradientObject = requires(F& f, std::span<const double> x, std::span<double> g) {
  { f.value_and_gradient(x, g) } -> std::convertible_to<double>;
};

/// An object with value(x) -> double and gradient(x, grad).
template <class F>
concept ValueThenGradientObject = requires(F& f, std::span<const double> x, std::span<double> g) {
  { f.value(x) } -> std::convertible_to<double>;
  f.gradient(x, g);
};

/// A function of Vars returning a Var, differentiated by the tape.
template <class F>
concept VarObjective = requires(F& f, std::span<const Var> x) {
  { f(x) } -> std::convertible_to<Var>;
};

/// Anything Slope can optimize (see the file comment).
template <class F>
concept Objective = GradientFunction<F> || ValueAndGradientObject<F> || ValueThenGradientObject<F> || VarObjective<F>;

/// A non-owning reference to "value and gradient at x": the form every method consumes.
/// Calling it costs one indirect call, which is nothing next to an evaluation; in exchange
/// the methods are compiled once, not once per objective type.
class ObjectiveRef {
 public:
  template <GradientFunction F>
    requires(!std::same_as<std::remove_cv_t<F>, ObjectiveRef>)  // copying must not wrap a reference to a reference
  explicit ObjectiveRef(F& f) noexcept
      : object_(const_cast<void*>(static_cast<const void*>(&f))),  // F carries the constness back
        call_([](void* o, std::span<const double> x, std::span<double> g) {
          return static_cast<double>((*static_cast<F*>(o))(x, g));
        }) {}

  /// f(x), with its gradient written into g (g.size() == x.size()).
  double operator()(std::span<const double> x, std::span<double> g) const { return call_(object_, x, g); }

 private:
  void* object_;
  double (*call_)(void*, std::span<const double>, std::span<double>);
};

/// Adapts a function of Vars to the (x, grad) form: taped for its first evaluations, then
/// recorded once and replayed.
///
/// The first `taped_first` evaluations (kTapedFirst unless given) record f on a tape and sweep
/// it, as `record_every_call` does. The next one records f into a slope::Function, and every
/// later one replays that program (no recording, no allocation: 2-3x faster than a taped
/// evaluation on scalar code). Where a comparison on Vars recorded in f (an `if`, a max written
/// with `<`) comes out the other way, the replay reports it and f is recorded again at that
/// point, so the values and gradients are always f's own. Objectives with operations a Function
/// cannot replay (custom_op, external_op, user rules) are taped at every evaluation instead.
///
/// Why tape first: compiling a recording costs as much as 20-35 taped evaluations (measured from
/// 4 to 30,000 nodes), and a replay saves at most about half a taped evaluation, so a run has to
/// be some 50 evaluations long before the compile pays. Runs shorter than that (a small problem,
/// a warm start) cost what they cost on the tape; longer ones, the usual, replay nearly all
/// of their evaluations. Their gradients agree to rounding: a replay sums an adjoint's
/// contributions in another order than the tape.
///
/// When to record every call instead (`record_every_call(f)`): when f's control flow changes
/// at almost every point (then each evaluation would record twice), or when f depends on
/// something besides x that changes between calls (a member the caller updates, a random draw:
/// a replay would keep the recorded numbers).
template <VarObjective F>
class TapedObjective {
 public:
  /// Evaluations taped before f is recorded into a Function, unless the constructor is told
  /// otherwise (0: record at the first evaluation).
  static constexpr std::size_t kTapedFirst = 50;

  explicit TapedObjective(F& f, std::size_t taped_first = kTapedFirst) : f_(f), taped_first_(taped_first) {}

  double operator()(std::span<const double> x, std::span<double> g) {
    if (taped_ < taped_first_) {
      ++taped_;
      return (*tape_)(f_, x, g);
    }
    if (every_call_) return (*tape_)(f_, x, g);
    if (!function_ || function_->inputs() != x.size()) {
      if (!record(x)) return (*tape_)(f_, x, g);
    }
    Evaluation e = function_->value_and_gradient(x, g, workspace_);
    if (!e.ok()) {  // a recorded decision flipped at x: follow f's path there
      record(x);
      e = function_->value_and_gradient(x, g, workspace_);
    }
    return e.value;
  }

  /// How many times f was recorded into a Function (0 while taped; 1 when every evaluation since
  /// was a replay).
  [[nodiscard]] std::size_t recordings() const noexcept { return recordings_; }

 private:
  /// Records f at x; false (and every later call taped) when f cannot be replayed.
  bool record(std::span<const double> x) {
    try {
      function_ = Function::record([this](std::span<const Var> v) -> Var { return f_(v); }, x);
    } catch (const TapeError&) {
      every_call_ = true;  // an operation a Function cannot replay: keep to the tape
      return false;
    }
    ++recordings_;
    workspace_ = function_->workspace();
    return true;
  }

  F& f_;
  std::optional<Function> function_;
  Function::Workspace workspace_;
  std::size_t taped_first_;
  std::size_t taped_ = 0;  // evaluations taped before the first recording
  std::size_t recordings_ = 0;
  bool every_call_ = false;
  detail::BorrowedTapeGradient tape_;  // this thread's: paged in already from the last run
};

/// A function of Vars recorded on a tape at every evaluation (see record_every_call).
template <VarObjective F>
class RecordedEveryCall {
 public:
  explicit RecordedEveryCall(F f) : f_(std::forward<F>(f)) {}
  /// f(x), with the gradient of the recording made at x written into g.
  double operator()(std::span<const double> x, std::span<double> g) { return (*tape_)(f_, x, g); }
  /// \overload
  double operator()(std::span<const double> x, std::span<double> g) const { return (*tape_)(f_, x, g); }

 private:
  F f_;  // a reference for an lvalue given to record_every_call, else the callable itself
  detail::BorrowedTapeGradient tape_;  // this thread's: paged in already from the last run
};

/// Wraps a function of Vars so that minimize/maximize record it on a tape at every evaluation
/// instead of recording it once and replaying it (TapedObjective says when that is better):
///
///     slope::minimize(slope::record_every_call(f), x0);
template <VarObjective F>
RecordedEveryCall<F> record_every_call(F&& f) {
  return RecordedEveryCall<F>(std::forward<F>(f));
}

/// Adapts an object with value_and_gradient(x, grad), or with value(x) and gradient(x, grad),
/// to the (x, grad) form.
template <class F>
  requires ValueAndGradientObject<F> || ValueThenGradientObject<F>
class MemberObjective {
 public:
  explicit MemberObjective(F& f) noexcept : f_(f) {}
  double operator()(std::span<const double> x, std::span<double> g) {
    if constexpr (ValueAndGradientObject<F>) {
      return static_cast<double>(f_.value_and_gradient(x, g));
    } else {
      const double v = static_cast<double>(f_.value(x));
      f_.gradient(x, g);
      return v;
    }
  }

 private:
  F& f_;
};

}  // namespace slope
