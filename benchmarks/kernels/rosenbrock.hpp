#pragma once
/// \file
/// Kernel g: the extended Rosenbrock function in n = 1000 variables.

#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Kernel g: `for i = 0, 2, 4, …: t1 = x[i+1] − x[i]·x[i]; t2 = 1 − x[i]; f += 100·t1·t1 + t2·t2`,
/// n = 1000, x uniform in 1 ± 0.5.
struct Rosenbrock {
  static constexpr std::string_view id = "g";
  static constexpr std::string_view name = "rosenbrock";
  static constexpr std::size_t n = 1000;

  std::vector<double> x0;
  std::vector<double> x1;

  Rosenbrock() {
    std::mt19937_64 rng(data_seed(id));
    x0 = uniform_draws(rng, n, 0.5, 1.5);
    x1 = uniform_draws(rng, n, 0.5, 1.5);
  }

  /// f(x) = Σ over pairs of 100 (x[i+1] − x[i]²)² + (1 − x[i])².
  template <class T>
  T evaluate(std::span<const T> x) const {
    T f = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); i += 2) {
      const T t1 = x[i + 1] - x[i] * x[i];
      const T t2 = 1.0 - x[i];
      f += 100.0 * t1 * t1 + t2 * t2;
    }
    return f;
  }

  /// Returns f(x); per pair df/dx[i] = −400·x[i]·t1 − 2·t2 and df/dx[i+1] = 200·t1.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    double f = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); i += 2) {
      const double t1 = x[i + 1] - x[i] * x[i];
      const double t2 = 1.0 - x[i];
      f += 100.0 * t1 * t1 + t2 * t2;
      grad[i] = -400.0 * x[i] * t1 - 2.0 * t2;
      grad[i + 1] = 200.0 * t1;
    }
    return f;
  }
};

}  // namespace slope::bench
