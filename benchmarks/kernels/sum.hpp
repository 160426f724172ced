#pragma once
/// \file
/// Kernel a: sum of n = 1000 inputs.

#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Kernel a: `s = 0; for i: s += x[i]`, n = 1000, x ~ N(0,1).
struct Sum {
  static constexpr std::string_view id = "a";
  static constexpr std::string_view name = "sum";
  static constexpr std::size_t n = 1000;

  std::vector<double> x0;
  std::vector<double> x1;

  Sum() {
    std::mt19937_64 rng(data_seed(id));
    x0 = normal_draws(rng, n);
    x1 = normal_draws(rng, n);
  }

  /// f(x) = sum of x[i].
  template <class T>
  T evaluate(std::span<const T> x) const {
    T s = 0.0;
    for (const T& xi : x) s += xi;
    return s;
  }

  /// Returns f(x); df/dx[i] = 1.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    double s = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      s += x[i];
      grad[i] = 1.0;
    }
    return s;
  }
};

}  // namespace slope::bench
