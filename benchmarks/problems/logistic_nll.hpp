#pragma once
/// \file
/// The negative log-likelihood of a logistic regression (the data of benchmark kernel f), with
/// its minimum found independently by Newton's method.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/logistic_regression.hpp"
#include "problems/problem.hpp"

namespace slope::bench {

/// f(w, b) = −(1/N) Σ_i [y_i log s_i + (1 − y_i) log(1 − s_i)], s_i = 1 / (1 + exp(−b − X_i·w)):
/// the mean negative log-likelihood on the data of benchmark kernel f (N = 2000 observations,
/// X 2000×20 N(0, 1), y drawn from a logistic model, fixed seed). Inputs w (20) then b; start 0,
/// the usual start of a fit.
///
/// The mean, the usual scale of a loss, rather than the sum: the sum is about 1.2e3 at its
/// minimum, and max_i |g_i| <= 1e-6 on it asks for changes of f near 1e-13 relative, below
/// what LBFGSpp's and liblbfgs's line searches resolve (both stop with rounding-error
/// failures at max_i |g_i| ≈ 1e-5), so the same absolute tolerance would not compare them.
///
/// f* comes from Newton's method on the same data (the Hessian (1/N) Σ s(1 − s) (X_i, 1)(X_i, 1)ᵀ
/// is positive definite here), not from any of the compared solvers. Its smallest eigenvalue
/// (about 0.15) bounds f − f* at max_i |g_i| <= 1e-6 by |g|₂² / 0.3 < 1e-10, below the tolerance
/// 1e-8 max(1, |f*|).
struct LogisticNll {
 private:
  // f = kScale × the log-likelihood: negated, and divided by the number of observations.
  static constexpr double kScale = -1.0 / static_cast<double>(LogisticRegression::observations);
  LogisticRegression kernel_;  // declared first: `minimum` is computed from its data

 public:
  std::string_view name = "logistic_nll";
  std::vector<double> x0 = std::vector<double>(LogisticRegression::features + 1, 0.0);
  double minimum;
  double value_tolerance;

  LogisticNll() : minimum(newton_minimum()), value_tolerance(1e-8 * std::max(1.0, std::abs(minimum))) {}

  template <class T>
  T evaluate(std::span<const T> x) const {
    return kernel_.evaluate(x) * kScale;
  }

  /// Returns f(w, b); with r_i = y_i − s_i, df/dw[j] = −(1/N) Σ_i r_i X[i][j] and
  /// df/db = −(1/N) Σ_i r_i.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const double log_likelihood = kernel_.gradient(x, grad);
    for (double& g : grad) g *= kScale;
    return log_likelihood * kScale;
  }

 private:
  /// f at the minimizer found by Newton's method from 0 (Cholesky solves of the 21×21 Hessian),
  /// stopped once a step changes no coordinate by more than 1e-14 relative.
  [[nodiscard]] double newton_minimum() const {
    constexpr std::size_t p = LogisticRegression::features;
    constexpr std::size_t n = p + 1;
    std::vector<double> x(n, 0.0), grad(n), hessian(n * n), row(n);
    for (int iteration = 0; iteration < 50; ++iteration) {
      gradient(x, grad);
      std::fill(hessian.begin(), hessian.end(), 0.0);
      for (std::size_t i = 0; i < LogisticRegression::observations; ++i) {
        std::copy_n(&kernel_.X[i * p], p, row.begin());
        row[p] = 1.0;
        double z = 0.0;
        for (std::size_t j = 0; j < n; ++j) z += row[j] * x[j];
        const double s = 1.0 / (1.0 + std::exp(-z));
        const double weight = -kScale * s * (1.0 - s);
        for (std::size_t j = 0; j < n; ++j) {
          for (std::size_t k = 0; k <= j; ++k) hessian[j * n + k] += weight * row[j] * row[k];
        }
      }
      // Cholesky H = L Lᵀ in the lower triangle, then L Lᵀ step = grad.
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t k = 0; k < j; ++k) hessian[j * n + j] -= hessian[j * n + k] * hessian[j * n + k];
        hessian[j * n + j] = std::sqrt(hessian[j * n + j]);
        for (std::size_t i = j + 1; i < n; ++i) {
          for (std::size_t k = 0; k < j; ++k) hessian[i * n + j] -= hessian[i * n + k] * hessian[j * n + k];
          hessian[i * n + j] /= hessian[j * n + j];
        }
      }
      std::vector<double> step = grad;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < i; ++k) step[i] -= hessian[i * n + k] * step[k];
        step[i] /= hessian[i * n + i];
      }
      for (std::size_t i = n; i-- > 0;) {
        for (std::size_t k = i + 1; k < n; ++k) step[i] -= hessian[k * n + i] * step[k];
        step[i] /= hessian[i * n + i];
      }
      double change = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        x[j] -= step[j];
        change = std::max(change, std::abs(step[j]) / std::max(1.0, std::abs(x[j])));
      }
      if (change <= 1e-14) break;
    }
    return evaluate(std::span<const double>(x));
  }
};

}  // namespace slope::bench
