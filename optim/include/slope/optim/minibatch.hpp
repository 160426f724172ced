#pragma once
/// \file
/// Stochastic runs on minibatches, for an objective that is a sum over data rows.
///
///     // f(x, grad, rows): the sum over `rows` of the per-row loss, and its gradient
///     auto result = slope::minimize_minibatch(f, n_rows, x0, slope::Adam{.step_size = 0.05},
///                                             {.batch_size = 64, .seed = 7}, {.max_iterations = 20});
///
/// Each iteration is one epoch: the rows are shuffled (reproducibly, from `seed`), each batch
/// moves x along the batch's mean gradient, and the full objective and gradient are then
/// evaluated for the stopping rules, the callback and the best point.
///
/// Bounds (bounds.hpp) go after x0, as for minimize: each batch step is projected onto the box.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "slope/optim/adaptive.hpp"
#include "slope/optim/bounds.hpp"
#include "slope/optim/gradient_descent.hpp"
#include "slope/optim/momentum.hpp"
#include "slope/optim/options.hpp"
#include "slope/optim/result.hpp"

namespace slope {

/// f(x, grad, rows) -> the sum over `rows` of a per-row objective, writing the gradient of
/// that sum into grad.
template <class F>
concept RowSumObjective =
    requires(F& f, std::span<const double> x, std::span<double> g, std::span<const std::size_t> rows) {
      { f(x, g, rows) } -> std::convertible_to<double>;
    };

/// How rows are split into batches.
struct Minibatch {
  std::size_t batch_size = 32;  ///< rows per batch (the last batch of an epoch may be smaller)
  std::uint64_t seed = 0;       ///< the shuffle's seed: the same seed gives the same run
};

/// A non-owning reference to a RowSumObjective.
class RowSumRef {
 public:
  template <RowSumObjective F>
    requires(!std::same_as<std::remove_cv_t<F>, RowSumRef>)  // copying must not wrap a reference to a reference
  explicit RowSumRef(F& f) noexcept
      : object_(const_cast<void*>(static_cast<const void*>(&f))),  // F carries the constness back
        call_([](void* o, std::span<const double> x, std::span<double> g, std::span<const std::size_t> r) {
          return static_cast<double>((*static_cast<F*>(o))(x, g, r));
        }) {}
  double operator()(std::span<const double> x, std::span<double> g, std::span<const std::size_t> rows) const {
    return call_(object_, x, g, rows);
  }

 private:
  void* object_;
  double (*call_)(void*, std::span<const double>, std::span<double>, std::span<const std::size_t>);
};

namespace detail {
// Minibatch runs of the first-order methods (GradientDescent uses its step_size as a fixed step).
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const GradientDescent& m, const Minibatch& b, const StopOptions& o);
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const Momentum& m, const Minibatch& b, const StopOptions& o);
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const Adam& m, const Minibatch& b, const StopOptions& o);
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const AdaGrad& m, const Minibatch& b, const StopOptions& o);
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const RmsProp& m, const Minibatch& b, const StopOptions& o);
}  // namespace detail

/// Minimizes a sum over `rows` data rows on minibatches inside `bounds` (see the file comment).
template <RowSumObjective F, class M = Adam>
Result minimize_minibatch(F&& f, std::size_t rows, std::span<const double> x0, const Bounds& bounds,
                          const M& method = {}, const Minibatch& batches = {}, const StopOptions& options = {}) {
  return detail::optimize_minibatch(RowSumRef(f), rows, x0, Sense::Minimize, bounds, method, batches, options);
}

/// Maximizes a sum over `rows` data rows on minibatches inside `bounds` (the same run as
/// minimizing its negation inside them).
template <RowSumObjective F, class M = Adam>
Result maximize_minibatch(F&& f, std::size_t rows, std::span<const double> x0, const Bounds& bounds,
                          const M& method = {}, const Minibatch& batches = {}, const StopOptions& options = {}) {
  return detail::optimize_minibatch(RowSumRef(f), rows, x0, Sense::Maximize, bounds, method, batches, options);
}

/// Minimizes a sum over `rows` data rows on minibatches (see the file comment).
template <RowSumObjective F, class M = Adam>
Result minimize_minibatch(F&& f, std::size_t rows, std::span<const double> x0, const M& method = {},
                          const Minibatch& batches = {}, const StopOptions& options = {}) {
  return detail::optimize_minibatch(RowSumRef(f), rows, x0, Sense::Minimize, Bounds{}, method, batches, options);
}

/// Maximizes a sum over `rows` data rows on minibatches (the same run as minimizing its negation).
template <RowSumObjective F, class M = Adam>
Result maximize_minibatch(F&& f, std::size_t rows, std::span<const double> x0, const M& method = {},
                          const Minibatch& batches = {}, const StopOptions& options = {}) {
  return detail::optimize_minibatch(RowSumRef(f), rows, x0, Sense::Maximize, Bounds{}, method, batches, options);
}

}  // namespace slope
