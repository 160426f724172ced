#pragma once
/// \file
/// Kernel e: log density of 1000 normal observations as a function of μ and σ.

#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// Kernel e: `z = (y_i − μ)/σ; lp += −0.5·z·z − log(σ) − ½log(2π)` over 1000 observations
/// y = 1.5 + 2·N(0,1). Inputs (μ, σ): x0 = (1.3, 1.8), x1 = (1.6, 2.2).
struct NormalLogDensity {
  static constexpr std::string_view id = "e";
  static constexpr std::string_view name = "normal_log_density";
  static constexpr std::size_t observations = 1000;
  static constexpr double kHalfLogTwoPi = 0.91893853320467274178;  // ½log(2π)

  std::vector<double> y;
  std::vector<double> x0{1.3, 1.8};
  std::vector<double> x1{1.6, 2.2};

  NormalLogDensity() {
    std::mt19937_64 rng(data_seed(id));
    y = normal_draws(rng, observations, 1.5, 2.0);
  }

  /// f(μ, σ) = Σ log N(y_i | μ, σ).
  template <class T>
  T evaluate(std::span<const T> x) const {
    using std::log;
    const T& mu = x[0];
    const T& sigma = x[1];
    T lp = 0.0;
    for (const double yi : y) {
      const T z = (yi - mu) / sigma;
      lp += -0.5 * z * z - log(sigma) - kHalfLogTwoPi;
    }
    return lp;
  }

  /// Returns f(μ, σ); df/dμ = Σ z_i/σ and df/dσ = Σ (z_i² − 1)/σ.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const double mu = x[0];
    const double sigma = x[1];
    double lp = 0.0;
    double sum_z = 0.0;
    double sum_z2 = 0.0;
    for (const double yi : y) {
      const double z = (yi - mu) / sigma;
      lp += -0.5 * z * z - std::log(sigma) - kHalfLogTwoPi;
      sum_z += z;
      sum_z2 += z * z;
    }
    grad[0] = sum_z / sigma;
    grad[1] = (sum_z2 - static_cast<double>(y.size())) / sigma;
    return lp;
  }
};

}  // namespace slope::bench
