#pragma once
/// \file
/// SlopeGradient: one gradient of a kernel with Slope, the way an optimizer loop takes it.

#include <slope/autodiff.hpp>

#include <cstddef>
#include <span>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Evaluates a kernel's value and gradient with Slope on one tape kept across calls.
///
/// Each call is "one gradient" as an optimizer step takes it: clear the tape, set the inputs,
/// record the function, seed and sweep, read the gradient. The tape, the input Vars and the
/// caller's gradient buffer are reused, so after the first call nothing is allocated.
/// Calls must run while a Recording from record() is alive on the calling thread.
template <Kernel K>
class SlopeGradient {
 public:
  explicit SlopeGradient(const K& kernel) : kernel_(kernel), xs_(kernel.x0.size()) {}

  /// Makes this evaluator's tape the thread's recording tape while the result lives.
  [[nodiscard]] slope::Recording record() { return tape_.record(); }

  /// Returns f(x) and writes df/dx into `grad` (same length as x).
  double operator()(std::span<const double> x, std::span<double> grad) {
    tape_.clear();  // keeps the memory: re-recording allocates nothing
    tape_.inputs(x, xs_);
    const slope::Var y = kernel_.evaluate(std::span<const slope::Var>(xs_));
    tape_.backward(y);
    tape_.adjoints(xs_, grad);
    return y.value();
  }

  /// The tape, holding the last call's recording.
  [[nodiscard]] const slope::Tape& tape() const noexcept { return tape_; }

 private:
  const K& kernel_;
  slope::Tape tape_;
  std::vector<slope::Var> xs_;
};

}  // namespace slope::bench
