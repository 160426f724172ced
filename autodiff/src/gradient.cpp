#include "slope/autodiff/gradient.hpp"

#include <memory>

#include "free_list.hpp"

namespace slope {

std::vector<double> gradient(const Var& y, std::span<const Var> xs) {
  Tape& tape = detail::require_active_tape();
  tape.backward(y);
  std::vector<double> out(xs.size());
  tape.adjoints(xs, out);
  return out;
}

namespace detail {

BorrowedTapeGradient::BorrowedTapeGradient() : evaluator_(FreeList<TapeGradient>::take()) {}

BorrowedTapeGradient::~BorrowedTapeGradient() {
  if (evaluator_->tape().stats().capacity_bytes <= kKeptTapeBytes) {
    FreeList<TapeGradient>::give_back(std::move(evaluator_));
  }
}

}  // namespace detail
}  // namespace slope
