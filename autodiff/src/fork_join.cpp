#include "fork_join.hpp"

#include <system_error>

namespace slope::detail {

ForkJoin::ForkJoin(std::size_t threads) {
  const std::size_t helpers = threads > 1 ? threads - 1 : 0;
  workers_.reserve(helpers);
  for (std::size_t t = 1; t <= helpers; ++t) {
    try {
      workers_.emplace_back([this, t] { work(t); });
    } catch (const std::system_error&) {
      break;  // the system refused another thread: a smaller team, whose results are the same bits
    }
  }
}

ForkJoin::~ForkJoin() {
  stop_ = true;
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  workers_.clear();  // joins
}

void ForkJoin::work(std::size_t t) noexcept {
  std::uint64_t seen = 0;
  for (;;) {
    generation_.wait(seen, std::memory_order_acquire);
    seen = generation_.load(std::memory_order_acquire);
    if (stop_) return;
    body_(context_, t, threads());
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

void ForkJoin::run(Body body, const void* context) noexcept {
  if (workers_.empty()) {
    body(context, 0, 1);
    return;
  }
  body_ = body;
  context_ = context;
  pending_.store(workers_.size(), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);  // publishes body_ and context_
  generation_.notify_all();
  body(context, 0, threads());
  for (std::size_t left = pending_.load(std::memory_order_acquire); left != 0;
       left = pending_.load(std::memory_order_acquire)) {
    pending_.wait(left, std::memory_order_acquire);
  }
}

}  // namespace slope::detail
