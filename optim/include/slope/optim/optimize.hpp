#pragma once
/// \file
/// minimize / maximize / optimize: one engine, two senses.
///
///     auto result = slope::maximize(log_likelihood, w0);                 // L-BFGS
///     auto result = slope::minimize(f, x0, slope::Adam{.step_size = 0.01},
///                                   {.max_iterations = 5000});
///
/// Maximizing f runs exactly the code that minimizes -f; the result, the callback and the
/// trace show values in the user's sense.
///
/// Each function also takes box constraints after x0 (bounds.hpp):
///
///     auto result = slope::minimize(f, x0, slope::Bounds{.lower = lo, .upper = hi});
///     auto result = slope::maximize(f, x0, slope::Bounds::at_least(n, 0.0), slope::Adam{});
///
/// L-BFGS then becomes a projected L-BFGS in the spirit of L-BFGS-B (generalized Cauchy point,
/// subspace minimization over the free components, a line search that stays inside the box);
/// the first-order methods project each step onto the box. Convergence is measured by the
/// projected gradient, Result::active_bounds says which bounds hold at the end, and bounds
/// without a finite entry give exactly the run without bounds.

#include <span>
#include <vector>

#include "slope/optim/adaptive.hpp"
#include "slope/optim/bounds.hpp"
#include "slope/optim/gradient_descent.hpp"
#include "slope/optim/lbfgs.hpp"
#include "slope/optim/momentum.hpp"
#include "slope/optim/objective.hpp"
#include "slope/optim/options.hpp"
#include "slope/optim/result.hpp"

namespace slope {

namespace detail {
// One definition per method, compiled once in optim/src: every objective reaches them as an
// ObjectiveRef, always minimized (the engine negates when maximizing). Empty bounds: none.
Result optimize(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& b, const Lbfgs& m,
                const StopOptions& o);
Result optimize(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& b, const GradientDescent& m,
                const StopOptions& o);
Result optimize(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& b, const Momentum& m,
                const StopOptions& o);
Result optimize(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& b, const Adam& m,
                const StopOptions& o);
Result optimize(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& b, const AdaGrad& m,
                const StopOptions& o);
Result optimize(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& b, const RmsProp& m,
                const StopOptions& o);
}  // namespace detail

/// An optimization method: one of Lbfgs, GradientDescent, Momentum, Adam, AdaGrad, RmsProp.
template <class M>
concept Method =
    requires(ObjectiveRef f, std::span<const double> x, const Bounds& b, const M& m, const StopOptions& o) {
      { detail::optimize(f, x, Sense::Minimize, b, m, o) } -> std::same_as<Result>;
    };

/// Optimizes `f` from `x0` inside `bounds` in the given sense with `method`, stopping by
/// `options`. `f` is any Objective (see objective.hpp): a function of Vars, a function writing
/// its gradient, or an object with value/gradient members. Bounds are validated first
/// (slope::ArgumentError), and an x0 outside them is projected onto the box.
template <class F, Method M = Lbfgs>
Result optimize(F&& f, std::span<const double> x0, Sense sense, const Bounds& bounds, const M& method = {},
                const StopOptions& options = {}) {
  using Fn = std::remove_reference_t<F>;  // may be const: a const objective is called as const
  static_assert(Objective<Fn>,
                "slope::optimize: the objective must be one of\n"
                "  f(std::span<const slope::Var> x) -> slope::Var                   (differentiated by the tape)\n"
                "  f(std::span<const double> x, std::span<double> grad) -> double  (hand-written gradient)\n"
                "  an object with value_and_gradient(x, grad) -> double, or with value(x) and gradient(x, grad)");
  Fn& fn = f;
  if constexpr (std::is_function_v<Fn>) {
    Fn* pointer = &fn;  // a plain function: go through an object that refers to it
    return optimize(pointer, x0, sense, bounds, method, options);
  } else if constexpr (GradientFunction<Fn>) {
    return detail::optimize(ObjectiveRef(fn), x0, sense, bounds, method, options);
  } else if constexpr (ValueAndGradientObject<Fn> || ValueThenGradientObject<Fn>) {
    MemberObjective<Fn> adapted(fn);
    return detail::optimize(ObjectiveRef(adapted), x0, sense, bounds, method, options);
  } else {
    TapedObjective<Fn> taped(fn);
    return detail::optimize(ObjectiveRef(taped), x0, sense, bounds, method, options);
  }
}

/// Optimizes `f` from `x0` in the given sense with `method`, stopping by `options` (no bounds).
template <class F, Method M = Lbfgs>
Result optimize(F&& f, std::span<const double> x0, Sense sense, const M& method = {}, const StopOptions& options = {}) {
  return optimize(f, x0, sense, Bounds{}, method, options);
}

/// Minimizes f: x <- x - (step) along the negative gradient.
template <class F, Method M = Lbfgs>
Result minimize(F&& f, std::span<const double> x0, const M& method = {}, const StopOptions& options = {}) {
  return optimize(f, x0, Sense::Minimize, method, options);
}

/// Maximizes f: the same run as minimizing -f, reported in f's own sense.
template <class F, Method M = Lbfgs>
Result maximize(F&& f, std::span<const double> x0, const M& method = {}, const StopOptions& options = {}) {
  return optimize(f, x0, Sense::Maximize, method, options);
}

/// \overload for a vector or a braced list of starting values.
template <class F, Method M = Lbfgs>
Result minimize(F&& f, const std::vector<double>& x0, const M& method = {}, const StopOptions& options = {}) {
  return optimize(f, std::span<const double>(x0), Sense::Minimize, method, options);
}

/// \overload for a vector or a braced list of starting values.
template <class F, Method M = Lbfgs>
Result maximize(F&& f, const std::vector<double>& x0, const M& method = {}, const StopOptions& options = {}) {
  return optimize(f, std::span<const double>(x0), Sense::Maximize, method, options);
}

/// Minimizes f inside the box `bounds` (see the file comment).
template <class F, Method M = Lbfgs>
Result minimize(F&& f, std::span<const double> x0, const Bounds& bounds, const M& method = {},
                const StopOptions& options = {}) {
  return optimize(f, x0, Sense::Minimize, bounds, method, options);
}

/// Maximizes f inside the box `bounds`: the same run as minimizing -f inside the same box.
template <class F, Method M = Lbfgs>
Result maximize(F&& f, std::span<const double> x0, const Bounds& bounds, const M& method = {},
                const StopOptions& options = {}) {
  return optimize(f, x0, Sense::Maximize, bounds, method, options);
}

/// \overload for a vector or a braced list of starting values.
template <class F, Method M = Lbfgs>
Result minimize(F&& f, const std::vector<double>& x0, const Bounds& bounds, const M& method = {},
                const StopOptions& options = {}) {
  return optimize(f, std::span<const double>(x0), Sense::Minimize, bounds, method, options);
}

/// \overload for a vector or a braced list of starting values.
template <class F, Method M = Lbfgs>
Result maximize(F&& f, const std::vector<double>& x0, const Bounds& bounds, const M& method = {},
                const StopOptions& options = {}) {
  return optimize(f, std::span<const double>(x0), Sense::Maximize, bounds, method, options);
}

}  // namespace slope
