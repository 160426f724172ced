#pragma once
/// \file
/// Kernel f: log-likelihood of a logistic regression, 2000 observations × 20 features; the
/// same log-likelihood at other sizes (LogisticLikelihood) for the large-data benchmarks.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"

namespace slope::bench {

/// The logistic-regression log-likelihood with `Observations` × `Features` data:
/// `z = b + Σ_j X[i][j]·w[j]; s = 1/(1+exp(−z)); lp += y_i·log(s) + (1−y_i)·log(1−s)`.
/// X is passive, N(0,1); y ∈ {0,1} is drawn from a logistic model with coefficients
/// 0.2·N(0,1). Inputs: w (Features) then b, active, each 0.2·N(0,1). The data are drawn from a
/// seed derived from `seed_id` (the kernel's id).
template <std::size_t Observations, std::size_t Features>
struct LogisticLikelihood {
  static constexpr std::size_t observations = Observations;
  static constexpr std::size_t features = Features;

  std::vector<double> X;  // row-major, observations × features
  std::vector<double> y;
  std::vector<double> x0;
  std::vector<double> x1;

  explicit LogisticLikelihood(std::string_view seed_id) {
    std::mt19937_64 rng(data_seed(seed_id));
    X = normal_draws(rng, observations * features);
    const std::vector<double> truth = normal_draws(rng, features + 1, 0.0, 0.2);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    y.resize(observations);
    for (std::size_t i = 0; i < observations; ++i) {
      double z = truth[features];
      for (std::size_t j = 0; j < features; ++j) z += X[i * features + j] * truth[j];
      y[i] = uniform(rng) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
    }
    x0 = normal_draws(rng, features + 1, 0.0, 0.2);
    x1 = normal_draws(rng, features + 1, 0.0, 0.2);
  }

  /// f(w, b) = Σ_{i in [begin, end)} log p(y_i | X_i, w, b); the whole sum by default.
  template <class T>
  T evaluate(std::span<const T> x, std::size_t begin = 0, std::size_t end = observations) const {
    using std::exp;
    using std::log;
    const std::span<const T> w = x.first(features);
    const T& b = x[features];
    T lp = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      const double* row = &X[i * features];
      T z = b;
      for (std::size_t j = 0; j < features; ++j) z += row[j] * w[j];
      const T s = 1.0 / (1.0 + exp(-z));
      lp += y[i] * log(s) + (1.0 - y[i]) * log(1.0 - s);
    }
    return lp;
  }

  /// Returns f(w, b); with r_i = y_i − s_i, df/dw[j] = Σ_i r_i X[i][j] and df/db = Σ_i r_i.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const std::span<const double> w = x.first(features);
    const double b = x[features];
    const std::span<double> grad_w = grad.first(features);
    for (double& g : grad) g = 0.0;
    double lp = 0.0;
    for (std::size_t i = 0; i < observations; ++i) {
      const double* row = &X[i * features];
      double z = b;
      for (std::size_t j = 0; j < features; ++j) z += row[j] * w[j];
      const double s = 1.0 / (1.0 + std::exp(-z));
      lp += y[i] * std::log(s) + (1.0 - y[i]) * std::log(1.0 - s);
      const double r = y[i] - s;
      for (std::size_t j = 0; j < features; ++j) grad_w[j] += r * row[j];
      grad[features] += r;
    }
    return lp;
  }

  // ---- the same log-likelihood by the softplus formula ----------------------------------------
  // The vector-node rows (vector_nodes.cpp, threads.cpp) record `Σ_i y_i z_i − softplus(z_i)`,
  // softplus(z) = ln(1 + e^z): the same function as the kernel's `y log s + (1 − y) log(1 − s)`
  // (s = 1/(1 + e^−z), so log s = z − softplus(z) and log(1 − s) = −softplus(z)), but another
  // formula: one exp and one log1p per row where the kernel's takes an exp, a division and two
  // logs (glibc's log1p costs more than its log, so neither is the cheaper by construction).
  // Their ratios divide by this primal and this hand-written gradient, so that each ratio
  // compares one formula with itself; the kernel's own primal and gradient above stay as
  // BENCH_KERNELS.md defines them, for the rows that record the kernel's formula.

  /// softplus(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|): one exp and one log1p, as Slope's
  /// Softplus rule computes it.
  static double softplus(double z) noexcept { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }

  /// f(w, b) = Σ_{i in [begin, end)} y_i z_i − softplus(z_i); equal to evaluate(x, begin, end).
  double evaluate_softplus(std::span<const double> x, std::size_t begin = 0, std::size_t end = observations) const {
    const std::span<const double> w = x.first(features);
    const double b = x[features];
    double lp = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      const double* row = &X[i * features];
      double z = b;
      for (std::size_t j = 0; j < features; ++j) z += row[j] * w[j];
      lp += y[i] * z - softplus(z);
    }
    return lp;
  }

  /// Returns evaluate_softplus(x); the gradient is `gradient`'s (r_i = y_i − s_i), with s_i
  /// taken from the exp that softplus(z_i) computes.
  double gradient_softplus(std::span<const double> x, std::span<double> grad) const {
    const std::span<const double> w = x.first(features);
    const double b = x[features];
    const std::span<double> grad_w = grad.first(features);
    for (double& g : grad) g = 0.0;
    double lp = 0.0;
    for (std::size_t i = 0; i < observations; ++i) {
      const double* row = &X[i * features];
      double z = b;
      for (std::size_t j = 0; j < features; ++j) z += row[j] * w[j];
      const double e = std::exp(-std::abs(z));  // e^−|z|
      lp += y[i] * z - (std::max(z, 0.0) + std::log1p(e));
      const double s = (z >= 0.0 ? 1.0 : e) / (1.0 + e);  // sigmoid(z)
      const double r = y[i] - s;
      for (std::size_t j = 0; j < features; ++j) grad_w[j] += r * row[j];
      grad[features] += r;
    }
    return lp;
  }
};

/// Kernel f: the log-likelihood with 2000 observations × 20 features.
struct LogisticRegression : LogisticLikelihood<2000, 20> {
  static constexpr std::string_view id = "f";
  static constexpr std::string_view name = "logistic_regression";
  LogisticRegression() : LogisticLikelihood(id) {}
};

}  // namespace slope::bench
