#pragma once
/// \file
/// Kernel c: log-sum-exp of n = 1000 inputs, written with scalar operations.

#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Kernel c: `m = max_i x[i]` (by comparisons, passive); `s = Σ exp(x[i] − m)`; `m + log(s)`,
/// n = 1000, x ~ N(0,1).
struct LogSumExp {
  static constexpr std::string_view id = "c";
  static constexpr std::string_view name = "log_sum_exp";
  static constexpr std::size_t n = 1000;

  std::vector<double> x0;
  std::vector<double> x1;

  LogSumExp() {
    std::mt19937_64 rng(data_seed(id));
    x0 = normal_draws(rng, n);
    x1 = normal_draws(rng, n);
  }

  /// f(x) = log Σ exp(x[i]), shifted by the max for stability. The max is a plain double:
  /// f does not depend on the shift, so the shift needs no derivative and records nothing.
  template <class T>
  T evaluate(std::span<const T> x) const {
    using std::exp;
    using std::log;
    double m = passive_value(x[0]);
    for (const T& xi : x) {
      if (xi > m) m = passive_value(xi);
    }
    T s = 0.0;
    for (const T& xi : x) s += exp(xi - m);
    return m + log(s);
  }

  /// Returns f(x); df/dx[i] = exp(x[i] − m) / s, the softmax.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    double m = x[0];
    for (const double xi : x) {
      if (xi > m) m = xi;
    }
    double s = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      grad[i] = std::exp(x[i] - m);
      s += grad[i];
    }
    const double inverse = 1.0 / s;
    for (double& g : grad) g *= inverse;
    return m + std::log(s);
  }
};

}  // namespace slope::bench
