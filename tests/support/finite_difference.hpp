#pragma once
/// \file
/// Central finite differences and tolerant comparison: the independent oracle that every
/// derivative test compares against.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace slope::test {

/// Comparison tolerance: |a - b| <= atol + rtol * |b|. A purely relative tolerance fails near
/// zero, a purely absolute one for large values; both are needed.
struct Tolerance {
  double rtol = 1e-6;
  double atol = 1e-8;
};

/// True when a and b agree within `tol` (NaN equals NaN, infinities of the same sign agree).
inline bool close(double a, double b, Tolerance tol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= tol.atol + tol.rtol * std::fabs(b);
}

/// Step for a central difference at x: h = cbrt(eps) * max(1, |x|), which balances the
/// O(h^2) truncation error against the O(eps/h) rounding error.
inline double central_step(double x) {
  return std::cbrt(std::numeric_limits<double>::epsilon()) * std::max(1.0, std::fabs(x));
}

/// (f(x + h) - f(x - h)) / 2h with the step above; the step is made exactly representable
/// so that (x + h) - (x - h) is exactly 2h.
inline double central_difference(const std::function<double(double)>& f, double x) {
  const double h = central_step(x);
  const double up = x + h;
  const double down = x - h;
  return (f(up) - f(down)) / (up - down);
}

/// Gradient of f: R^n -> R by central differences, one coordinate at a time.
inline std::vector<double> central_gradient(const std::function<double(std::span<const double>)>& f,
                                            std::span<const double> x) {
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> grad(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double xi = x[i];
    grad[i] = central_difference(
        [&](double t) {
          point[i] = t;
          const double v = f(point);
          point[i] = xi;
          return v;
        },
        xi);
  }
  return grad;
}

}  // namespace slope::test
