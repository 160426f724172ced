#pragma once
/// \file
/// Derivatives in one call: gradient, value_and_gradient, jacobian.

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

/// The gradient of `y` with respect to `xs`, by one reverse sweep of the active tape.
/// Entry i is dy/dxs[i] (0 for a constant, or for an x that y does not depend on).
std::vector<double> gradient(const Var& y, std::span<const Var> xs);

/// A value and its gradient; `auto [value, gradient] = value_and_gradient(f, x);`.
struct ValueAndGradient {
  double value = 0.0;
  std::vector<double> gradient;
};

/// A dense Jacobian, row-major: entry (i, j) is d output_i / d input_j.
struct Jacobian {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  ///< the outputs f(x)
  std::vector<double> entries;  ///< rows * cols partial derivatives, row by row

  /// d output_i / d input_j.
  [[nodiscard]] double operator()(std::size_t i, std::size_t j) const { return entries[i * cols + j]; }
};

/// A function of Vars: callable with a std::span<const Var> (or a const std::vector<Var>&).
template <class F>
concept VarFunction = std::invocable<F&, std::span<const Var>> || std::invocable<F&, const std::vector<Var>&>;

namespace detail {

template <VarFunction F>
decltype(auto) call_with_vars(F& f, const std::vector<Var>& xs) {
  if constexpr (std::invocable<F&, std::span<const Var>>) {
    return std::invoke(f, std::span<const Var>(xs));
  } else {
    return std::invoke(f, xs);
  }
}

}  // namespace detail

/// A tape and its input Vars kept between evaluations of one function: the one place where a
/// function of Vars is recorded, swept and its gradient read. After the first evaluation at a
/// given number of inputs, evaluations allocate nothing (the tape is rewound, not freed).
class TapeGradient {
 public:
  /// f(x), with its gradient written into `grad` (x.size() entries).
  template <VarFunction F>
  SLOPE_OWN_FRAME double operator()(F& f, std::span<const double> x, std::span<double> grad,
                                    RecordOptions options = {}) {
    auto recording = tape_.record(options);
    tape_.clear();
    inputs_.resize(x.size());
    tape_.inputs(x, inputs_);
    const Var y = detail::call_with_vars(f, inputs_);
    tape_.backward(y);
    tape_.adjoints(inputs_, grad);
    return y.value();
  }

  /// The tape of the last evaluation (its size, its stats).
  [[nodiscard]] const Tape& tape() const noexcept { return tape_; }

 private:
  Tape tape_;
  std::vector<Var> inputs_;
};

namespace detail {
/// A TapeGradient lent by this thread for as long as this lives (value_and_gradient's call, an
/// optimizer's run), given back with its memory: the next borrower's tape is already paged
/// in. Nested borrowers (an f that itself calls value_and_gradient) get distinct ones; a tape
/// grown past 64 MB is freed instead. A copy borrows one of its own (the tape is scratch).
class BorrowedTapeGradient {
 public:
  BorrowedTapeGradient();
  ~BorrowedTapeGradient();
  BorrowedTapeGradient(const BorrowedTapeGradient& /*other*/) : BorrowedTapeGradient() {}
  BorrowedTapeGradient& operator=(const BorrowedTapeGradient& /*other*/) noexcept { return *this; }
  TapeGradient& operator*() const noexcept { return *evaluator_; }

 private:
  std::unique_ptr<TapeGradient> evaluator_;
};
}  // namespace detail

/// Records f at x, sweeps once, writes the gradient into `grad` (x.size() entries) and returns
/// f(x). Allocates nothing after the first call on this thread with as many inputs: the
/// form for loops (an optimizer's evaluations).
template <VarFunction F>
double value_and_gradient(F&& f, std::span<const double> x, std::span<double> grad, RecordOptions options = {}) {
  detail::BorrowedTapeGradient borrowed;
  return (*borrowed)(f, x, grad, options);
}

/// Records f at x, sweeps once, and returns f(x) and its gradient.
/// `f` is any callable taking the inputs as Vars and returning a Var (or something a Var can
/// be made from), e.g. a generic lambda `[](auto x) { return x[0] * sin(x[1]); }`.
/// `options` chooses how this call records, e.g. `{.checked = true}` to get a DomainError
/// from the first operation that leaves its domain.
template <VarFunction F>
ValueAndGradient value_and_gradient(F&& f, std::span<const double> x, RecordOptions options = {}) {
  ValueAndGradient out{0.0, std::vector<double>(x.size())};
  out.value = value_and_gradient(f, x, std::span<double>(out.gradient), options);
  return out;
}

/// \overload for a braced list or a vector: `value_and_gradient(f, {1.0, 2.0})`.
template <VarFunction F>
ValueAndGradient value_and_gradient(F&& f, const std::vector<double>& x, RecordOptions options = {}) {
  return value_and_gradient(f, std::span<const double>(x), options);
}

/// Records f at x once and sweeps once per output: the Jacobian of a vector-valued f.
/// `f` returns a range of Vars (e.g. std::vector<Var>).
template <VarFunction F>
Jacobian jacobian(F&& f, std::span<const double> x, RecordOptions options = {}) {
  Tape tape;
  auto recording = tape.record(options);
  const std::vector<Var> xs = tape.inputs(x);
  const auto ys = detail::call_with_vars(f, xs);
  Jacobian out;
  out.cols = x.size();
  for (const Var& y : ys) out.values.push_back(y.value());
  out.rows = out.values.size();
  out.entries.resize(out.rows * out.cols);
  std::size_t i = 0;
  for (const Var& y : ys) {
    tape.backward(y);
    tape.adjoints(xs, std::span<double>(out.entries).subspan(i * out.cols, out.cols));
    ++i;
  }
  return out;
}

/// \overload for a braced list or a vector.
template <VarFunction F>
Jacobian jacobian(F&& f, const std::vector<double>& x, RecordOptions options = {}) {
  return jacobian(f, std::span<const double>(x), options);
}

}  // namespace slope
