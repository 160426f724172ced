#pragma once
/// \file
/// A two-layer network (one tanh hidden layer, one linear output) fitted by least squares with
/// weight decay, as the .slope model examples/models/two_layer_network.slope writes it, at a
/// benchmark size: its source text, a seeded data set and the gradient written by hand in C++
/// (plain loops, the same formula).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

namespace slope::bench {

/// X [rows, cols] N(0,1); y = sin(x_1) + 0.5 x_2 x_3 + 0.1 N(0,1); the objective's params are
/// W1 [cols, hidden] (row-major), b1 [hidden], w2 [hidden], c.
struct TwoLayerNetwork {
  /// The model as the example writes it (h and decay as consts, set from the struct's own).
  static constexpr const char* source = R"(data X[n, d]
data y[n]
const h = 32
const decay = 0.0001
def sq(z) = z .* z
param W1[d, h] = 0.1
param b1[h] = 0
param w2[h] = 0.1
param c = 0
let H = tanh(X * W1 + b1)
minimize mean(sq(H * w2 + c - y)) + decay * (sum(sq(W1)) + sum(sq(w2)))
)";
  static constexpr std::size_t hidden = 32;  // the source's h
  static constexpr double decay = 0.0001;    // the source's decay

  std::size_t rows;
  std::size_t cols;  // at least 3
  std::vector<double> X;  // row-major
  std::vector<double> y;

  TwoLayerNetwork(std::size_t rows_, std::size_t cols_) : rows(rows_), cols(cols_), X(rows_ * cols_), y(rows_) {
    std::mt19937_64 random(2026);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (double& v : X) v = normal(random);
    for (std::size_t i = 0; i < rows; ++i) {
      const double* x = &X[i * cols];
      y[i] = std::sin(x[0]) + 0.5 * x[1] * x[2] + 0.1 * normal(random);
    }
  }

  [[nodiscard]] std::size_t parameter_count() const noexcept { return cols * hidden + 2 * hidden + 1; }

  /// A point to evaluate at: N(0, scale^2) entries from `seed` (tanh stays well inside its range).
  [[nodiscard]] std::vector<double> point(unsigned seed, double scale = 0.3) const {
    std::vector<double> theta(parameter_count());
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(0.0, scale);
    for (double& t : theta) t = normal(random);
    return theta;
  }

  /// mean_i (tanh(x_i W1 + b1) · w2 + c − y_i)² + decay (Σ W1² + Σ w2²), and its gradient
  /// (W1 row-major, b1, w2, c): per row, e = o − y_i, d/do = 2e/n, d/da_j = d/do · w2_j (1 − H_j²).
  double gradient(std::span<const double> theta, std::span<double> grad) const {
    const std::size_t h = hidden;
    const double* W1 = theta.data();
    const double* b1 = W1 + cols * h;
    const double* w2 = b1 + h;
    const double c = w2[h];
    std::fill(grad.begin(), grad.end(), 0.0);
    double* gW1 = grad.data();
    double* gb1 = gW1 + cols * h;
    double* gw2 = gb1 + h;
    double& gc = gw2[h];
    const double n = static_cast<double>(rows);
    double a[hidden];
    double squares = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
      const double* x = &X[i * cols];
      for (std::size_t j = 0; j < h; ++j) a[j] = b1[j];
      for (std::size_t l = 0; l < cols; ++l) {
        for (std::size_t j = 0; j < h; ++j) a[j] += x[l] * W1[l * h + j];
      }
      double o = c;
      for (std::size_t j = 0; j < h; ++j) {
        a[j] = std::tanh(a[j]);  // now H
        o += a[j] * w2[j];
      }
      const double e = o - y[i];
      squares += e * e;
      const double d_o = 2.0 * e / n;
      gc += d_o;
      for (std::size_t j = 0; j < h; ++j) {
        gw2[j] += d_o * a[j];
        a[j] = d_o * w2[j] * (1.0 - a[j] * a[j]);  // now d/da
        gb1[j] += a[j];
      }
      for (std::size_t l = 0; l < cols; ++l) {
        for (std::size_t j = 0; j < h; ++j) gW1[l * h + j] += x[l] * a[j];
      }
    }
    double penalty = 0.0;
    for (std::size_t e = 0; e < cols * h; ++e) {
      penalty += W1[e] * W1[e];
      gW1[e] += 2.0 * decay * W1[e];
    }
    for (std::size_t j = 0; j < h; ++j) {
      penalty += w2[j] * w2[j];
      gw2[j] += 2.0 * decay * w2[j];
    }
    return squares / n + decay * penalty;
  }
};

}  // namespace slope::bench
