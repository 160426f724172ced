#pragma once
// Update rules of the first-order methods, x <- x - (something of g), with their state.
// The full-batch loop (first_order.cpp) and the minibatch loop (minibatch.cpp) share them.

#include <cmath>
#include <span>
#include <vector>

#include "slope/optim/adaptive.hpp"
#include "slope/optim/gradient_descent.hpp"
#include "slope/optim/momentum.hpp"

namespace slope::detail {

/// x <- x - step g.
struct FixedStepper {
  double step;
  FixedStepper(const GradientDescent& m, std::size_t) : step(m.step_size) {}
  void apply(std::span<double> x, std::span<const double> g) {
    for (std::size_t i = 0; i < x.size(); ++i) x[i] -= step * g[i];
  }
};

/// v <- mu v + g; x <- x - lr v, or x <- x - lr (g + mu v) with Nesterov's correction.
struct MomentumStepper {
  Momentum m;
  std::vector<double> v;
  MomentumStepper(const Momentum& method, std::size_t n) : m(method), v(n, 0.0) {}
  void apply(std::span<double> x, std::span<const double> g) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      v[i] = m.momentum * v[i] + g[i];
      x[i] -= m.step_size * (m.nesterov ? g[i] + m.momentum * v[i] : v[i]);
    }
  }
};

/// Adam with bias correction.
struct AdamStepper {
  Adam m;
  std::vector<double> first, second;
  double beta1_power = 1.0, beta2_power = 1.0;
  AdamStepper(const Adam& method, std::size_t n) : m(method), first(n, 0.0), second(n, 0.0) {}
  void apply(std::span<double> x, std::span<const double> g) {
    beta1_power *= m.beta1;
    beta2_power *= m.beta2;
    const double correct1 = 1.0 / (1.0 - beta1_power);
    const double correct2 = 1.0 / (1.0 - beta2_power);
    for (std::size_t i = 0; i < x.size(); ++i) {
      first[i] = m.beta1 * first[i] + (1.0 - m.beta1) * g[i];
      second[i] = m.beta2 * second[i] + (1.0 - m.beta2) * g[i] * g[i];
      x[i] -= m.step_size * (first[i] * correct1) / (std::sqrt(second[i] * correct2) + m.epsilon);
    }
  }
};

/// AdaGrad: per-coordinate steps shrinking with the accumulated squared gradient.
struct AdaGradStepper {
  AdaGrad m;
  std::vector<double> sum;
  AdaGradStepper(const AdaGrad& method, std::size_t n) : m(method), sum(n, 0.0) {}
  void apply(std::span<double> x, std::span<const double> g) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      sum[i] += g[i] * g[i];
      x[i] -= m.step_size * g[i] / (std::sqrt(sum[i]) + m.epsilon);
    }
  }
};

/// RMSProp: per-coordinate steps scaled by a running mean of the squared gradient.
struct RmsPropStepper {
  RmsProp m;
  std::vector<double> mean;
  RmsPropStepper(const RmsProp& method, std::size_t n) : m(method), mean(n, 0.0) {}
  void apply(std::span<double> x, std::span<const double> g) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      mean[i] = m.decay * mean[i] + (1.0 - m.decay) * g[i] * g[i];
      x[i] -= m.step_size * g[i] / (std::sqrt(mean[i]) + m.epsilon);
    }
  }
};

}  // namespace slope::detail
