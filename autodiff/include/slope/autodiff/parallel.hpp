#pragma once
/// \file
/// The gradient of a sum over data shards, computed on several threads (like Stan's
/// reduce_sum): each thread records its share of the terms on a tape of its own, and the
/// partial values and gradients are added in a fixed order.
///
///     slope::GradientPool pool(2);  // the calling thread and one worker
///     double lp = slope::parallel_sum_gradient(pool, rows, w, grad,
///         [&](std::span<const slope::Var> w, std::size_t begin, std::size_t end) {
///           return log_likelihood(w, begin, end);  // the terms of rows [begin, end)
///         });

#include <concepts>
#include <cstddef>
#include <memory>
#include <span>
#include <thread>
#include <type_traits>

#include "slope/autodiff/var.hpp"

namespace slope {

/// A persistent set of threads, each with its own tape, that parallel_sum_gradient runs on.
/// Keeping threads and tapes across calls means a call neither spawns threads nor, once the
/// tapes have grown, allocates. One call at a time: a pool is not reentrant and must not be
/// used from two threads at once (that throws slope::Error).
class GradientPool {
 public:
  /// `threads` workers in all, counting the thread that calls parallel_sum_gradient (which
  /// does the first share), so `threads - 1` threads are started; 0 means
  /// std::thread::hardware_concurrency().
  explicit GradientPool(std::size_t threads = 0);
  ~GradientPool();
  GradientPool(const GradientPool&) = delete;
  GradientPool& operator=(const GradientPool&) = delete;

  /// Number of workers, counting the calling thread.
  [[nodiscard]] std::size_t threads() const noexcept;

  /// A share of the work: the terms [begin, end) as a function of the inputs, recorded on the
  /// worker's own tape.
  using Shard = Var (*)(const void* context, std::span<const Var> x, std::size_t begin, std::size_t end);
  /// Runs `shard` over [0, items) split into threads() contiguous blocks, and returns the sum of
  /// the values; writes the sum of the gradients into `grad`. The type-erased core of
  /// parallel_sum_gradient.
  double run(std::size_t items, std::span<const double> x, std::span<double> grad, Shard shard, const void* context,
             std::size_t grain = 0);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// F(x) = f(x, 0, items) computed as f(x, b_0, b_1) + f(x, b_1, b_2) + ... over pool.threads()
/// contiguous blocks [b_t, b_t+1) of the items, each recorded and swept on its own thread;
/// returns F(x) and writes dF/dx into `grad` (same length as x).
///
/// `f(std::span<const Var> x, std::size_t begin, std::size_t end)` returns the sum of the terms
/// of items [begin, end) (a Var); it runs concurrently on several threads, so it must only read
/// shared data. The blocks are the same for the same thread count and item count, and the
/// partial values and gradients are added in block order, so the result is the same to the bit
/// on every call; with one thread it is exactly the serial recording of f(x, 0, items). An
/// exception from f is rethrown here (the first block's, in block order).
///
/// `grain` (like Stan's grainsize; 0: whole blocks) splits each block further into pieces of at
/// most `grain` items, each recorded and swept before the next on the same thread, so that the
/// data a piece reads is still in cache when its sweep reads it again (and the tape stays
/// small). The pieces are fixed by items, threads and grain, so results stay reproducible.
template <class F>
  requires std::invocable<const F&, std::span<const Var>, std::size_t, std::size_t>
double parallel_sum_gradient(GradientPool& pool, std::size_t items, std::span<const double> x, std::span<double> grad,
                             const F& f, std::size_t grain = 0) {
  const GradientPool::Shard shard = [](const void* context, std::span<const Var> xs, std::size_t begin,
                                       std::size_t end) -> Var {
    return Var((*static_cast<const F*>(context))(xs, begin, end));
  };
  return pool.run(items, x, grad, shard, &f, grain);
}

}  // namespace slope
