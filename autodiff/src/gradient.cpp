#include "slope/autodiff/gradient.hpp"

#include <memory>

namespace slope {

std::vector<double> gradient(const Var& y, std::span<const Var> xs) {
  Tape& tape = detail::require_active_tape();
  tape.backward(y);
  std::vector<double> out(xs.size());
  tape.adjoints(xs, out);
  return out;
}

namespace detail {

namespace {
struct Pool {
  std::vector<std::unique_ptr<TapeGradient>> free;
};
thread_local Pool pool;
}  // namespace

BorrowedTapeGradient::BorrowedTapeGradient() {
  if (pool.free.empty()) {
    // Room for this one's return now, so that the destructor's push_back cannot throw.
    pool.free.reserve(pool.free.capacity() + 1);
    evaluator_ = std::make_unique<TapeGradient>();
  } else {
    evaluator_ = std::move(pool.free.back());
    pool.free.pop_back();
  }
}

BorrowedTapeGradient::~BorrowedTapeGradient() { pool.free.push_back(std::move(evaluator_)); }

}  // namespace detail
}  // namespace slope
