#include "slope/autodiff/parallel.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/tape.hpp"

namespace slope {

namespace {

/// One worker's tape and results, used by one thread only during a call and read by the
/// calling thread after it.
struct Worker {
  Tape tape;
  std::vector<Var> xs;
  std::vector<double> grad;
  double value = 0.0;
  std::exception_ptr error;
};

}  // namespace

struct GradientPool::State {
  std::vector<std::unique_ptr<Worker>> workers;  // worker 0 runs on the calling thread
  std::vector<std::jthread> threads;             // one per worker 1, 2, ...

  // The current call, written by the calling thread before it bumps `generation` (release) and
  // read by the workers after they see the new generation (acquire).
  std::size_t items = 0;
  std::size_t grain = 0;
  std::span<const double> x;
  Shard shard = nullptr;
  const void* context = nullptr;
  bool stop = false;

  // Futex-backed waits (C++20 atomic wait/notify): no mutex on the way in or out of a call.
  std::atomic<std::uint64_t> generation{0};
  std::atomic<std::size_t> pending{0};
  std::atomic<bool> busy{false};

  /// Records and sweeps block t of the items on worker t's tape.
  void run_block(std::size_t t) noexcept {
    Worker& w = *workers[t];
    const std::size_t n = workers.size();
    // Block t is [items t / n, items (t + 1) / n): contiguous, fixed by items and n alone.
    const std::size_t begin = items / n * t + items % n * t / n;
    const std::size_t end = items / n * (t + 1) + items % n * (t + 1) / n;
    w.value = 0.0;
    w.error = nullptr;
    try {
      w.grad.assign(x.size(), 0.0);
      if (begin == end) return;
      auto recording = w.tape.record();
      w.xs.resize(x.size());
      // Pieces of at most `grain` items, each recorded and swept before the next: the data a
      // piece reads is still in cache when its sweep reads it again.
      const std::size_t step = grain == 0 ? end - begin : grain;
      for (std::size_t from = begin; from < end; from += std::min(step, end - from)) {
        const std::size_t to = from + std::min(step, end - from);
        w.tape.clear();
        w.tape.inputs(x, w.xs);
        const Var y = shard(context, w.xs, from, to);
        w.tape.backward(y);
        if (from == begin) {
          w.tape.adjoints(w.xs, w.grad);
        } else {
          for (std::size_t j = 0; j < w.xs.size(); ++j) w.grad[j] += w.tape.adjoint(w.xs[j]);
        }
        w.value += y.value();
      }
    } catch (...) {
      w.error = std::current_exception();
    }
  }

  void worker_loop(std::size_t t) {
    std::uint64_t seen = 0;
    for (;;) {
      generation.wait(seen, std::memory_order_acquire);
      seen = generation.load(std::memory_order_acquire);
      if (stop) return;
      run_block(t);
      if (pending.fetch_sub(1, std::memory_order_acq_rel) == 1) pending.notify_one();
    }
  }
};

GradientPool::GradientPool(std::size_t threads) : state_(std::make_unique<State>()) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  state_->workers.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) state_->workers.push_back(std::make_unique<Worker>());
  try {
    state_->threads.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) {
      state_->threads.emplace_back([state = state_.get(), t] { state->worker_loop(t); });
    }
  } catch (const std::system_error& e) {
    // The blocks of a call depend on the thread count, so a smaller pool would change the bits:
    // stop the threads started (they wait for a generation) and report it.
    const std::size_t started = state_->threads.size() + 1;
    state_->stop = true;
    state_->generation.fetch_add(1, std::memory_order_release);
    state_->generation.notify_all();
    state_->threads.clear();  // joins
    throw Error(fmt::format("GradientPool: the system started {} of {} threads ({})", started, threads, e.what()));
  }
}

GradientPool::~GradientPool() {
  state_->stop = true;
  state_->generation.fetch_add(1, std::memory_order_release);
  state_->generation.notify_all();
  state_->threads.clear();  // joins
}

std::size_t GradientPool::threads() const noexcept { return state_->workers.size(); }

double GradientPool::run(std::size_t items, std::span<const double> x, std::span<double> grad, Shard shard,
                         const void* context, std::size_t grain) {
  if (grad.size() != x.size()) {
    throw ShapeError(fmt::format("parallel_sum_gradient: {} inputs but room for {} partials", x.size(), grad.size()));
  }
  State& s = *state_;
  if (s.busy.exchange(true, std::memory_order_acquire)) {
    throw Error("parallel_sum_gradient: this GradientPool is already running a call");
  }
  s.items = items;
  s.grain = grain;
  s.x = x;
  s.shard = shard;
  s.context = context;
  const std::size_t helpers = s.threads.size();
  s.pending.store(helpers, std::memory_order_relaxed);
  if (helpers > 0) {
    s.generation.fetch_add(1, std::memory_order_release);
    s.generation.notify_all();
  }
  s.run_block(0);
  for (std::size_t left = s.pending.load(std::memory_order_acquire); left != 0;
       left = s.pending.load(std::memory_order_acquire)) {
    s.pending.wait(left, std::memory_order_acquire);
  }
  // Fixed order: block 0, 1, 2... so the sums are the same to the bit on every call.
  double value = 0.0;
  std::fill(grad.begin(), grad.end(), 0.0);
  std::exception_ptr error;
  for (const auto& w : s.workers) {
    if (w->error && !error) error = w->error;
    value += w->value;
    for (std::size_t j = 0; j < grad.size(); ++j) grad[j] += w->grad[j];
  }
  s.busy.store(false, std::memory_order_release);
  if (error) std::rethrow_exception(error);
  return value;
}

}  // namespace slope
