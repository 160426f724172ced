#pragma once
/// \file
/// Small problems of Moré, Garbow & Hillstrom (MGH): Beale, Powell singular, Wood and the
/// helical valley, at the paper's starting points.
///
/// The Hessian eigenvalues behind the value tolerances are those of the optimizer tests
/// (tests/optim/mgh_problems.hpp), computed independently at 40 digits.

#include <cmath>
#include <numbers>
#include <span>
#include <string_view>
#include <vector>

#include "problems/problem.hpp"

namespace slope::bench {

/// MGH #5, Beale: f = Σ_{i=1..3} (y_i − x1 (1 − x2^i))², y = (1.5, 2.25, 2.625). Start (1, 1);
/// minimum f* = 0 at (3, 0.5).
struct Beale {
  std::string_view name = "beale";
  std::vector<double> x0{1.0, 1.0};
  double minimum = 0.0;
  double value_tolerance = bench::value_tolerance(0.0, 2, 0.30146);

  template <class T>
  T evaluate(std::span<const T> x) const {
    const T r1 = 1.5 - x[0] * (1.0 - x[1]);
    const T r2 = 2.25 - x[0] * (1.0 - x[1] * x[1]);
    const T r3 = 2.625 - x[0] * (1.0 - x[1] * x[1] * x[1]);
    return r1 * r1 + r2 * r2 + r3 * r3;
  }

  /// Returns f(x); with r_i the residuals, dr_i/dx1 = −(1 − x2^i) and dr_i/dx2 = i·x1·x2^(i−1).
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const double y2 = x[1] * x[1];
    const double y3 = y2 * x[1];
    const double r1 = 1.5 - x[0] * (1.0 - x[1]);
    const double r2 = 2.25 - x[0] * (1.0 - y2);
    const double r3 = 2.625 - x[0] * (1.0 - y3);
    grad[0] = -2.0 * (r1 * (1.0 - x[1]) + r2 * (1.0 - y2) + r3 * (1.0 - y3));
    grad[1] = 2.0 * x[0] * (r1 + 2.0 * r2 * x[1] + 3.0 * r3 * y2);
    return r1 * r1 + r2 * r2 + r3 * r3;
  }
};

/// MGH #13, Powell singular: f = a² + 5 b² + c⁴ + 10 d⁴ with a = x1 + 10 x2, b = x3 − x4,
/// c = x2 − 2 x3, d = x1 − x4. Start (3, −1, 0, 1); minimum f* = 0 at 0, where the Hessian is
/// singular, so convergence is slow and the quadratic bound does not apply: max_i |g_i| <= 1e-6
/// gives |c| <= 7.2e-3, |d| <= 3.2e-3 and f <= 3.8e-9 (see the optimizer tests).
struct PowellSingular {
  std::string_view name = "powell_singular";
  std::vector<double> x0{3.0, -1.0, 0.0, 1.0};
  double minimum = 0.0;
  double value_tolerance = 1e-8;

  template <class T>
  T evaluate(std::span<const T> x) const {
    const T a = x[0] + 10.0 * x[1];
    const T b = x[2] - x[3];
    const T c = x[1] - 2.0 * x[2];
    const T d = x[0] - x[3];
    const T c2 = c * c;
    const T d2 = d * d;
    return a * a + 5.0 * b * b + c2 * c2 + 10.0 * d2 * d2;
  }

  /// Returns f(x); df/dx = (2a + 40d³, 20a + 4c³, 10b − 8c³, −10b − 40d³).
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const double a = x[0] + 10.0 * x[1];
    const double b = x[2] - x[3];
    const double c = x[1] - 2.0 * x[2];
    const double d = x[0] - x[3];
    const double c3 = c * c * c;
    const double d3 = d * d * d;
    grad[0] = 2.0 * a + 40.0 * d3;
    grad[1] = 20.0 * a + 4.0 * c3;
    grad[2] = 10.0 * b - 8.0 * c3;
    grad[3] = -10.0 * b - 40.0 * d3;
    return a * a + 5.0 * b * b + c3 * c + 10.0 * d3 * d;
  }
};

/// MGH #14, Wood: f = 100 (x2 − x1²)² + (1 − x1)² + 90 (x4 − x3²)² + (1 − x3)²
/// + 10 (x2 + x4 − 2)² + 0.1 (x2 − x4)². Start (−3, −1, −3, −1); minimum f* = 0 at (1, 1, 1, 1).
struct Wood {
  std::string_view name = "wood";
  std::vector<double> x0{-3.0, -1.0, -3.0, -1.0};
  double minimum = 0.0;
  double value_tolerance = bench::value_tolerance(0.0, 4, 0.71957);

  template <class T>
  T evaluate(std::span<const T> x) const {
    const T t1 = x[1] - x[0] * x[0];
    const T u1 = 1.0 - x[0];
    const T t3 = x[3] - x[2] * x[2];
    const T u3 = 1.0 - x[2];
    const T s = x[1] + x[3] - 2.0;
    const T d = x[1] - x[3];
    return 100.0 * t1 * t1 + u1 * u1 + 90.0 * t3 * t3 + u3 * u3 + 10.0 * s * s + 0.1 * d * d;
  }

  /// Returns f(x); with the terms above, df/dx1 = −400 x1 t1 − 2 u1, df/dx2 = 200 t1 + 20 s + 0.2 d,
  /// df/dx3 = −360 x3 t3 − 2 u3, df/dx4 = 180 t3 + 20 s − 0.2 d.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const double t1 = x[1] - x[0] * x[0];
    const double u1 = 1.0 - x[0];
    const double t3 = x[3] - x[2] * x[2];
    const double u3 = 1.0 - x[2];
    const double s = x[1] + x[3] - 2.0;
    const double d = x[1] - x[3];
    grad[0] = -400.0 * x[0] * t1 - 2.0 * u1;
    grad[1] = 200.0 * t1 + 20.0 * s + 0.2 * d;
    grad[2] = -360.0 * x[2] * t3 - 2.0 * u3;
    grad[3] = 180.0 * t3 + 20.0 * s - 0.2 * d;
    return 100.0 * t1 * t1 + u1 * u1 + 90.0 * t3 * t3 + u3 * u3 + 10.0 * s * s + 0.1 * d * d;
  }
};

/// MGH #7, helical valley: f = (10 (x3 − 10 θ))² + (10 (r − 1))² + x3², r = sqrt(x1² + x2²),
/// with the paper's θ (the polar angle / 2π in (−1/4, 3/4), cut along the negative x2 axis)
/// written as atan2(−x1, x2) / 2π + 1/4: a plain atan2(x2, x1) would cut through the start
/// (−1, 0, 0). Minimum f* = 0 at (1, 0, 0).
struct HelicalValley {
  std::string_view name = "helical_valley";
  std::vector<double> x0{-1.0, 0.0, 0.0};
  double minimum = 0.0;
  double value_tolerance = bench::value_tolerance(0.0, 3, 1.4328);

  template <class T>
  T evaluate(std::span<const T> x) const {
    using std::atan2;
    using std::sqrt;
    const T theta = atan2(-x[0], x[1]) / (2.0 * std::numbers::pi) + 0.25;
    const T u = 10.0 * (x[2] - 10.0 * theta);
    const T v = 10.0 * (sqrt(x[0] * x[0] + x[1] * x[1]) - 1.0);
    return u * u + v * v + x[2] * x[2];
  }

  /// Returns f(x); with u = 10 (x3 − 10 θ), v = 10 (r − 1), dθ/dx1 = −x2 / (2π r²) and
  /// dθ/dx2 = x1 / (2π r²): df/dx_j = −200 u dθ/dx_j + 20 v x_j / r (j = 1, 2) and
  /// df/dx3 = 20 u + 2 x3.
  double gradient(std::span<const double> x, std::span<double> grad) const {
    const double r2 = x[0] * x[0] + x[1] * x[1];
    const double r = std::sqrt(r2);
    const double theta = std::atan2(-x[0], x[1]) / (2.0 * std::numbers::pi) + 0.25;
    const double u = 10.0 * (x[2] - 10.0 * theta);
    const double v = 10.0 * (r - 1.0);
    const double dtheta_scale = 1.0 / (2.0 * std::numbers::pi * r2);
    grad[0] = 200.0 * u * x[1] * dtheta_scale + 20.0 * v * x[0] / r;
    grad[1] = -200.0 * u * x[0] * dtheta_scale + 20.0 * v * x[1] / r;
    grad[2] = 20.0 * u + 2.0 * x[2];
    return u * u + v * v + x[2] * x[2];
  }
};

}  // namespace slope::bench
