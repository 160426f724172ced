#pragma once
/// \file
/// Softmax (multinomial logistic) regression with a ridge penalty, as the .slope model
/// examples/models/softmax_regression.slope writes it, at a benchmark size: its source text, a
/// seeded data set and the gradient written by hand in C++ (plain loops, the same formula).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

namespace slope::bench {

/// X [rows, cols] N(0,1); labels 1..classes drawn from a softmax model with N(0, 0.5^2) weights
/// and intercepts; the objective's params are W [cols, classes] (row-major), then b [classes].
struct SoftmaxRegression {
  /// The model as the example writes it (k and lambda as consts, set from the struct's own).
  static constexpr const char* source = R"(data X[n, d]
data y[n]
const k = 5
const lambda = 0.01
param W[d, k] = 0
param b[k] = 0
let LP = log_softmax(X * W + b)
maximize sum(i in 1:n, LP[i, y[i]]) - lambda * sum(W .* W)
)";
  static constexpr std::size_t classes = 5;  // the source's k
  static constexpr double lambda = 0.01;     // the source's lambda

  std::size_t rows;
  std::size_t cols;
  std::vector<double> X;       // row-major
  std::vector<double> labels;  // 1..classes, as the language reads integer data

  SoftmaxRegression(std::size_t rows_, std::size_t cols_) : rows(rows_), cols(cols_), X(rows_ * cols_), labels(rows_) {
    std::mt19937_64 random(2025);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> w(cols * classes), b(classes);
    for (double& v : w) v = 0.5 * normal(random);
    for (double& v : b) v = 0.5 * normal(random);
    for (double& v : X) v = normal(random);
    std::vector<double> p(classes);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (std::size_t i = 0; i < rows; ++i) {
      double total = 0.0;
      for (std::size_t j = 0; j < classes; ++j) {
        double z = b[j];
        for (std::size_t l = 0; l < cols; ++l) z += X[i * cols + l] * w[l * classes + j];
        p[j] = std::exp(z);
        total += p[j];
      }
      const double u = uniform(random) * total;
      std::size_t label = 0;
      double cumulative = p[0];
      while (label + 1 < classes && cumulative < u) cumulative += p[++label];
      labels[i] = static_cast<double>(label + 1);
    }
  }

  [[nodiscard]] std::size_t parameter_count() const noexcept { return cols * classes + classes; }

  /// A point to evaluate at: N(0, scale^2) entries from `seed`.
  [[nodiscard]] std::vector<double> point(unsigned seed, double scale = 0.3) const {
    std::vector<double> theta(parameter_count());
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(0.0, scale);
    for (double& t : theta) t = normal(random);
    return theta;
  }

  /// Σ_i log softmax(x_i W + b)[y_i] − λ Σ W², and its gradient (W row-major, then b): per row,
  /// z = x_i W + b, log-probabilities z − m − log Σ exp(z − m) with m = max z (the stable form
  /// log_softmax takes), and d/dz = onehot(y_i) − softmax(z), one exp per class and row.
  double gradient(std::span<const double> theta, std::span<double> grad) const {
    const std::size_t k = classes;
    const double* W = theta.data();
    const double* b = theta.data() + cols * k;
    std::fill(grad.begin(), grad.end(), 0.0);
    double* gW = grad.data();
    double* gb = grad.data() + cols * k;
    double z[classes];
    double total = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
      const double* x = &X[i * cols];
      for (std::size_t j = 0; j < k; ++j) z[j] = b[j];
      for (std::size_t l = 0; l < cols; ++l) {
        for (std::size_t j = 0; j < k; ++j) z[j] += x[l] * W[l * k + j];
      }
      double m = z[0];
      for (std::size_t j = 1; j < k; ++j) m = std::max(m, z[j]);
      double e[classes];
      double s = 0.0;
      for (std::size_t j = 0; j < k; ++j) s += e[j] = std::exp(z[j] - m);
      const auto y = static_cast<std::size_t>(labels[i]) - 1;
      total += z[y] - m - std::log(s);
      for (std::size_t j = 0; j < k; ++j) z[j] = (j == y ? 1.0 : 0.0) - e[j] / s;  // now d/dz
      for (std::size_t l = 0; l < cols; ++l) {
        for (std::size_t j = 0; j < k; ++j) gW[l * k + j] += x[l] * z[j];
      }
      for (std::size_t j = 0; j < k; ++j) gb[j] += z[j];
    }
    double ridge = 0.0;
    for (std::size_t e = 0; e < cols * k; ++e) {
      ridge += W[e] * W[e];
      gW[e] -= 2.0 * lambda * W[e];
    }
    return total - lambda * ridge;
  }
};

}  // namespace slope::bench
