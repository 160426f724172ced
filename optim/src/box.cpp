#include "box.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slope::detail {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

Box::Box(const Bounds& bounds, std::size_t n) {
  validate(bounds, n);
  bounded_ = !bounds.unbounded();
  // Without a finite bound the methods never read the box: a run without bounds, the common
  // case, copies nothing.
  if (!bounded_) return;
  lower_ = bounds.lower.empty() ? std::vector<double>(n, -kInf) : bounds.lower;
  upper_ = bounds.upper.empty() ? std::vector<double>(n, kInf) : bounds.upper;
}

void Box::project(std::span<double> x) const noexcept {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::clamp(x[i], lower_[i], upper_[i]);
}

void Box::step(std::span<const double> x, double t, std::span<const double> d, std::span<double> out) const noexcept {
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double move = t * d[i];
    if (move <= lower_[i] - x[i]) {
      out[i] = lower_[i];
    } else if (move >= upper_[i] - x[i]) {
      out[i] = upper_[i];
    } else {
      out[i] = x[i] + move;
    }
  }
}

double Box::projected_gradient_norm(std::span<const double> x, std::span<const double> g) const noexcept {
  double m = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    // A descent step -g_i moves down when g_i > 0, so only the lower bound can stop it.
    const double v = g[i] > 0.0 ? std::min(g[i], x[i] - lower_[i]) : std::min(-g[i], upper_[i] - x[i]);
    m = std::max(m, v);
  }
  return m;
}

void Box::projected_steepest(std::span<const double> x, std::span<const double> g, std::span<double> d) const noexcept {
  for (std::size_t i = 0; i < x.size(); ++i) {
    d[i] = g[i] > 0.0 ? -std::min(g[i], x[i] - lower_[i]) : std::min(-g[i], upper_[i] - x[i]);
  }
}

double Box::max_step(std::span<const double> x, std::span<const double> d) const noexcept {
  double t = kInf;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (d[i] < 0.0) {
      t = std::min(t, (lower_[i] - x[i]) / d[i]);
    } else if (d[i] > 0.0) {
      t = std::min(t, (upper_[i] - x[i]) / d[i]);
    }
  }
  return t;
}

std::vector<BoundState> Box::states(std::span<const double> x) const {
  std::vector<BoundState> s(x.size(), BoundState::Free);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] <= lower_[i]) {
      s[i] = BoundState::AtLower;
    } else if (x[i] >= upper_[i]) {
      s[i] = BoundState::AtUpper;
    }
  }
  return s;
}

}  // namespace slope::detail
