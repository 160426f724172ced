#pragma once
/// \file
/// Seeded random non-negative least-squares problems, min 0.5 |A x - b|^2 subject to x >= 0,
/// shared by the KKT test (bounds_test.cpp) and the executable that scipy.optimize.nnls checks
/// (nnls_json.cpp, nnls_scipy.py).

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <slope/optim.hpp>

namespace slope::test {

/// min 0.5 |A x - b|^2 over x >= 0, with A (rows x cols, row-major) of full column rank.
struct NnlsProblem {
  std::size_t rows = 0, cols = 0;
  std::vector<double> a, b;

  /// 0.5 |A x - b|^2, with its gradient A^T (A x - b) written into g.
  double operator()(std::span<const double> x, std::span<double> g) const {
    residual_.assign(rows, 0.0);
    double value = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
      double r = -b[i];
      for (std::size_t j = 0; j < cols; ++j) r += a[i * cols + j] * x[j];
      residual_[i] = r;
      value += 0.5 * r * r;
    }
    for (std::size_t j = 0; j < cols; ++j) {
      double s = 0.0;
      for (std::size_t i = 0; i < rows; ++i) s += a[i * cols + j] * residual_[i];
      g[j] = s;
    }
    return value;
  }

  mutable std::vector<double> residual_{};  // A x - b, kept between calls
};

/// A problem whose solution has exact zeros: b = A x_true + noise with about half of x_true
/// negative. Uniform draws are made from the generator's raw output (the standard
/// distributions differ between standard libraries), so a seed gives the same problem anywhere.
inline NnlsProblem nnls_problem(std::uint64_t seed, std::size_t rows, std::size_t cols) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0; };  // [-1, 1)
  NnlsProblem p{rows, cols, std::vector<double>(rows * cols), std::vector<double>(rows, 0.0), {}};
  for (double& v : p.a) v = uniform();
  std::vector<double> x_true(cols);
  for (double& v : x_true) v = uniform();
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) p.b[i] += p.a[i * cols + j] * x_true[j];
    p.b[i] += 0.1 * uniform();
  }
  return p;
}

/// The problem's solution by slope's bounded L-BFGS, from x = 1, to a projected gradient of 1e-12.
inline slope::Result solve_nnls(const NnlsProblem& p) {
  const std::vector<double> x0(p.cols, 1.0);
  return slope::minimize(p, x0, slope::Bounds::at_least(p.cols, 0.0), slope::Lbfgs{},
                         {.max_iterations = 10000, .gradient_tolerance = 1e-12});
}

}  // namespace slope::test
