#pragma once
/// \file
/// What can be optimized, and the one form every method consumes.
///
/// An objective is any of:
///  - a function of Vars, `f(std::span<const Var>) -> Var`, differentiated by a tape that is
///    reused between evaluations (no allocation per evaluation after the first);
///  - a callable `f(std::span<const double> x, std::span<double> grad) -> double` that writes
///    its gradient (hand-written gradients);
///  - an object with `value_and_gradient(x, grad) -> double`;
///  - an object with `value(x) -> double` and `gradient(x, grad)`.

#include <concepts>
#include <span>
#include <type_traits>
#include <vector>

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

/// Adapts a function of Vars to the (x, grad) form: records it on a tape kept between
/// calls, sweeps, and reads the gradient. After the first call nothing is allocated.
template <VarObjective F>
class TapedObjective {
 public:
  explicit TapedObjective(F& f, RecordOptions options = {}) : f_(f), options_(options) {}

  double operator()(std::span<const double> x, std::span<double> g) {
    auto recording = tape_.record(options_);
    tape_.clear();
    inputs_.resize(x.size());
    tape_.inputs(x, inputs_);
    const Var y = f_(std::span<const Var>(inputs_));
    tape_.backward(y);
    tape_.adjoints(inputs_, g);
    return y.value();
  }

  /// The tape, e.g. to read its size.
  [[nodiscard]] const Tape& tape() const noexcept { return tape_; }

 private:
  F& f_;
  RecordOptions options_;
  Tape tape_;
  std::vector<Var> inputs_;
};

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
