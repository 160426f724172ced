#pragma once
/// \file
/// Kernel b: product of n = 100 inputs near 1.

#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Kernel b: `p = 1; for i: p *= x[i]`, n = 100, x uniform in 1 ± 0.05.
struct Product {
  static constexpr std::string_view id = "b";
  static constexpr std::string_view name = "product";
  static constexpr std::size_t n = 100;

  std::vector<double> x0;
  std::vector<double> x1;

  Product() {
    std::mt19937_64 rng(data_seed(id));
    x0 = uniform_draws(rng, n, 0.95, 1.05);
    x1 = uniform_draws(rng, n, 0.95, 1.05);
  }

  /// f(x) = product of x[i].
  template <class T>
  T evaluate(std::span<const T> x) const {
    T p = 1.0;
    for (const T& xi : x) p *= xi;
    return p;
  }

  /// Returns f(x); df/dx[i] = product of x[j] over j != i, from prefix and suffix products
  /// (no division, so it stays exact when some x[j] is 0).
  double gradient(std::span<const double> x, std::span<double> grad) const {
    double prefix = 1.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      grad[i] = prefix;
      prefix *= x[i];
    }
    double suffix = 1.0;
    for (std::size_t i = x.size(); i-- > 0;) {
      grad[i] *= suffix;
      suffix *= x[i];
    }
    return prefix;
  }
};

}  // namespace slope::bench
