#pragma once
// slope::detail::ForkJoin: a fixed team of threads that runs one loop body at a time, for the
// parallel replay of long stretches of a compiled Function (replay.cpp). Private header.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace slope::detail {

/// The calling thread and threads() - 1 workers it owns. run(body) calls body(t, threads())
/// for every t, t = 0 on the calling thread, and returns when all have returned; the workers
/// wait on a futex between calls (C++20 atomic wait), so a call neither spawns a thread nor
/// takes a lock. One run at a time: a ForkJoin belongs to one Workspace, used by one thread.
class ForkJoin {
 public:
  using Body = void (*)(const void* context, std::size_t t, std::size_t threads) noexcept;

  explicit ForkJoin(std::size_t threads);
  ~ForkJoin();
  ForkJoin(const ForkJoin&) = delete;
  ForkJoin& operator=(const ForkJoin&) = delete;

  [[nodiscard]] std::size_t threads() const noexcept { return workers_.size() + 1; }

  /// Runs body(context, t, threads()) on every thread of the team.
  void run(Body body, const void* context) noexcept;

  /// \overload for a callable f(t, threads) that does not throw.
  template <class F>
  void run(const F& f) noexcept {
    run([](const void* c, std::size_t t, std::size_t n) noexcept { (*static_cast<const F*>(c))(t, n); }, &f);
  }

 private:
  void work(std::size_t t) noexcept;

  std::vector<std::jthread> workers_;
  Body body_ = nullptr;
  const void* context_ = nullptr;
  bool stop_ = false;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> pending_{0};
};

/// Part t of n of [0, count): contiguous, fixed by count and n alone.
inline std::pair<std::size_t, std::size_t> part(std::size_t count, std::size_t t, std::size_t n) noexcept {
  return {count / n * t + count % n * t / n, count / n * (t + 1) + count % n * (t + 1) / n};
}

}  // namespace slope::detail
