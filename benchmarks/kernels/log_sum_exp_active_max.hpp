#pragma once
/// \file
/// Kernel c with an active max: the form the peers' figures for kernel c were measured with.

#include <cmath>
#include <span>
#include <string_view>

#include "kernels/log_sum_exp.hpp"

namespace slope::bench {

/// Kernel c as the peers' figures measured it (issue 12): the max is taken with active
/// comparisons, `if (x[i] > m) m = x[i]` on the scalar type, so `exp(x[i] − m)` has two active
/// operands. Same data, value and gradient as LogSumExp (f does not depend on the shift). Only
/// slope_bench_gradient_cost times it: a replay at x1 would see the comparisons flip.
struct LogSumExpActiveMax : LogSumExp {
  static constexpr std::string_view id = "c2";
  static constexpr std::string_view name = "log_sum_exp_active_max";

  template <class T>
  T evaluate(std::span<const T> x) const {
    using std::exp;
    using std::log;
    T m = x[0];
    for (const T& xi : x) {
      if (xi > m) m = xi;
    }
    T s = 0.0;
    for (const T& xi : x) s += exp(xi - m);
    return m + log(s);
  }
};

}  // namespace slope::bench
