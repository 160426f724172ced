#pragma once
/// \file
/// OpCounter: a double that counts the elementary operations a kernel performs on it.

#include <cmath>
#include <compare>
#include <cstddef>
#include <span>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// A double that counts every arithmetic operation and math function call made on it, so the
/// number of elementary operations of a kernel's primal comes from the kernel's own template
/// rather than from a hand count that could drift from the code.
///
/// An operation counts when at least one operand is an OpCounter, exactly the operations a
/// tape would see as active (or a constant it folds away); passive data arithmetic such as
/// `1.0 - y[i]` stays double and is not counted. Comparisons and construction count nothing.
class OpCounter {
 public:
  constexpr OpCounter(double value = 0.0) noexcept : value_(value) {}  // NOLINT(google-explicit-constructor)

  /// Operations counted on this thread since the last reset.
  [[nodiscard]] static std::size_t count() noexcept { return count_; }
  /// Starts counting from zero.
  static void reset() noexcept { count_ = 0; }

  /// The plain value; lets passive_value() read it.
  [[nodiscard]] friend constexpr double value(const OpCounter& x) noexcept { return x.value_; }

  friend OpCounter operator+(OpCounter a, OpCounter b) noexcept { return counted(a.value_ + b.value_); }
  friend OpCounter operator-(OpCounter a, OpCounter b) noexcept { return counted(a.value_ - b.value_); }
  friend OpCounter operator*(OpCounter a, OpCounter b) noexcept { return counted(a.value_ * b.value_); }
  friend OpCounter operator/(OpCounter a, OpCounter b) noexcept { return counted(a.value_ / b.value_); }
  friend OpCounter operator-(OpCounter a) noexcept { return counted(-a.value_); }
  friend OpCounter& operator+=(OpCounter& a, OpCounter b) noexcept { return a = a + b; }
  friend OpCounter& operator-=(OpCounter& a, OpCounter b) noexcept { return a = a - b; }
  friend OpCounter& operator*=(OpCounter& a, OpCounter b) noexcept { return a = a * b; }
  friend OpCounter& operator/=(OpCounter& a, OpCounter b) noexcept { return a = a / b; }

  friend OpCounter exp(OpCounter x) noexcept { return counted(std::exp(x.value_)); }
  friend OpCounter log(OpCounter x) noexcept { return counted(std::log(x.value_)); }
  friend OpCounter sqrt(OpCounter x) noexcept { return counted(std::sqrt(x.value_)); }
  friend OpCounter sin(OpCounter x) noexcept { return counted(std::sin(x.value_)); }
  friend OpCounter cos(OpCounter x) noexcept { return counted(std::cos(x.value_)); }

  friend constexpr bool operator==(const OpCounter& a, const OpCounter& b) noexcept = default;
  friend constexpr std::partial_ordering operator<=>(const OpCounter& a, const OpCounter& b) noexcept = default;

 private:
  static OpCounter counted(double value) noexcept {
    ++count_;
    return OpCounter(value);
  }

  double value_;
  static inline thread_local std::size_t count_ = 0;
};

/// The number of elementary operations of one evaluation of `kernel` at `x`, counted by
/// instantiating the kernel's template with OpCounter.
template <Kernel K>
std::size_t count_operations(const K& kernel, std::span<const double> x) {
  const std::vector<OpCounter> xs(x.begin(), x.end());
  OpCounter::reset();
  static_cast<void>(kernel.evaluate(std::span<const OpCounter>(xs)));
  return OpCounter::count();
}

}  // namespace slope::bench
