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
struct TapePool {
  std::vector<std::unique_ptr<Tape>> free;
};
thread_local TapePool pool;
}  // namespace

BorrowedTape::BorrowedTape() {
  if (pool.free.empty()) {
    // Room for this tape's return now, so that the destructor's push_back cannot throw.
    pool.free.reserve(pool.free.capacity() + 1);
    tape_ = std::make_unique<Tape>();
  } else {
    tape_ = std::move(pool.free.back());
    pool.free.pop_back();
  }
}

BorrowedTape::~BorrowedTape() {
  tape_->clear();
  pool.free.push_back(std::move(tape_));
}

}  // namespace detail
}  // namespace slope
