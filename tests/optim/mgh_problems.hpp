// Test problems of Moré, Garbow & Hillstrom, each written once for double and slope::Var.
#pragma once
/// \file
/// Unconstrained test problems from J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing
/// Unconstrained Optimization Software", ACM TOMS 7(1):17-41, 1981 (MGH below). Each is
/// f(x) = sum_i f_i(x)^2 over the paper's residuals f_i, written once as a template over the
/// scalar (double or slope::Var), with the paper's number, start x0 and known minima.
///
/// The minimum values with more digits than the paper prints (#2 local, #6, #9, #15, #16),
/// the minimizers of #3 and the Hessian eigenvalues behind the tolerances were computed
/// independently at 40 digits (mpmath: Newton on the gradient from the paper's rounded x*),
/// and agree with every digit the paper gives.

#include <slope/autodiff.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <ostream>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace slope::test::mgh {

/// t^2 for doubles; slope::square is found for Vars by argument-dependent lookup.
inline double square(double t) { return t * t; }

/// #1 Rosenbrock: f1 = 10 (x2 - x1^2), f2 = 1 - x1.
template <class T>
T rosenbrock(std::span<const T> x) {
  return square(10.0 * (x[1] - x[0] * x[0])) + square(1.0 - x[0]);
}

/// #2 Freudenstein and Roth: f1 = -13 + x1 + ((5 - x2) x2 - 2) x2,
/// f2 = -29 + x1 + ((x2 + 1) x2 - 14) x2.
template <class T>
T freudenstein_roth(std::span<const T> x) {
  return square(-13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1]) +
         square(-29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1]);
}

/// #3 Powell badly scaled: f1 = 10^4 x1 x2 - 1, f2 = exp(-x1) + exp(-x2) - 1.0001.
template <class T>
T powell_badly_scaled(std::span<const T> x) {
  using std::exp;
  return square(1e4 * x[0] * x[1] - 1.0) + square(exp(-x[0]) + exp(-x[1]) - 1.0001);
}

/// #4 Brown badly scaled: f1 = x1 - 10^6, f2 = x2 - 2 10^-6, f3 = x1 x2 - 2.
template <class T>
T brown_badly_scaled(std::span<const T> x) {
  return square(x[0] - 1e6) + square(x[1] - 2e-6) + square(x[0] * x[1] - 2.0);
}

/// #5 Beale: f_i = y_i - x1 (1 - x2^i), i = 1..3, y = (1.5, 2.25, 2.625).
template <class T>
T beale(std::span<const T> x) {
  return square(1.5 - x[0] * (1.0 - x[1])) + square(2.25 - x[0] * (1.0 - x[1] * x[1])) +
         square(2.625 - x[0] * (1.0 - x[1] * x[1] * x[1]));
}

/// #6 Jennrich and Sampson, m = 10: f_i = 2 + 2i - (exp(i x1) + exp(i x2)).
template <class T>
T jennrich_sampson(std::span<const T> x) {
  using std::exp;
  T s = 0.0;
  for (int i = 1; i <= 10; ++i) s += square(2.0 + 2.0 * i - (exp(i * x[0]) + exp(i * x[1])));
  return s;
}

/// #7 Helical valley: f1 = 10 (x3 - 10 theta(x1, x2)), f2 = 10 (sqrt(x1^2 + x2^2) - 1),
/// f3 = x3, where the paper's theta is atan(x2/x1) / 2pi for x1 > 0 and that + 1/2 for x1 < 0:
/// the polar angle / 2pi taking values in (-1/4, 3/4), cut along the negative x2 axis. It is
/// written as atan2(-x1, x2) / 2pi + 1/4, the same function, also defined at x1 = 0: a plain
/// atan2(x2, x1) would put the cut on the negative x1 axis, through the start (-1, 0, 0).
template <class T>
T helical_valley(std::span<const T> x) {
  using std::atan2;
  using std::sqrt;
  const T theta = atan2(-x[0], x[1]) / (2.0 * std::numbers::pi) + 0.25;
  return square(10.0 * (x[2] - 10.0 * theta)) + square(10.0 * (sqrt(x[0] * x[0] + x[1] * x[1]) - 1.0)) +
         square(x[2]);
}

/// #9 Gaussian, m = 15: f_i = x1 exp(-x2 (t_i - x3)^2 / 2) - y_i, t_i = (8 - i) / 2.
template <class T>
T gaussian(std::span<const T> x) {
  using std::exp;
  static constexpr std::array<double, 15> y{0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                                            0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009};
  T s = 0.0;
  for (int i = 1; i <= 15; ++i) {
    const double t = (8.0 - i) / 2.0;
    s += square(x[0] * exp(-0.5 * x[1] * square(t - x[2])) - y[i - 1]);
  }
  return s;
}

/// #12 Box three-dimensional, m = 10: f_i = exp(-t_i x1) - exp(-t_i x2) - x3 (exp(-t_i) -
/// exp(-10 t_i)), t_i = 0.1 i.
template <class T>
T box_3d(std::span<const T> x) {
  using std::exp;
  T s = 0.0;
  for (int i = 1; i <= 10; ++i) {
    const double t = 0.1 * i;
    s += square(exp(-t * x[0]) - exp(-t * x[1]) - x[2] * (std::exp(-t) - std::exp(-10.0 * t)));
  }
  return s;
}

/// #13 Powell singular: f1 = x1 + 10 x2, f2 = sqrt(5) (x3 - x4), f3 = (x2 - 2 x3)^2,
/// f4 = sqrt(10) (x1 - x4)^2.
template <class T>
T powell_singular(std::span<const T> x) {
  return square(x[0] + 10.0 * x[1]) + 5.0 * square(x[2] - x[3]) + square(square(x[1] - 2.0 * x[2])) +
         10.0 * square(square(x[0] - x[3]));
}

/// #14 Wood: f1 = 10 (x2 - x1^2), f2 = 1 - x1, f3 = sqrt(90) (x4 - x3^2), f4 = 1 - x3,
/// f5 = sqrt(10) (x2 + x4 - 2), f6 = 10^(-1/2) (x2 - x4).
template <class T>
T wood(std::span<const T> x) {
  return square(10.0 * (x[1] - x[0] * x[0])) + square(1.0 - x[0]) + 90.0 * square(x[3] - x[2] * x[2]) +
         square(1.0 - x[2]) + 10.0 * square(x[1] + x[3] - 2.0) + 0.1 * square(x[1] - x[3]);
}

/// #15 Kowalik and Osborne, m = 11: f_i = y_i - x1 (u_i^2 + u_i x2) / (u_i^2 + u_i x3 + x4).
template <class T>
T kowalik_osborne(std::span<const T> x) {
  static constexpr std::array<double, 11> y{0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627,
                                            0.0456, 0.0342, 0.0323, 0.0235, 0.0246};
  static constexpr std::array<double, 11> u{4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625};
  T s = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    s += square(y[i] - x[0] * (u[i] * u[i] + u[i] * x[1]) / (u[i] * u[i] + u[i] * x[2] + x[3]));
  }
  return s;
}

/// #16 Brown and Dennis, m = 20: f_i = (x1 + t_i x2 - exp(t_i))^2 + (x3 + x4 sin(t_i) -
/// cos(t_i))^2, t_i = i / 5.
template <class T>
T brown_dennis(std::span<const T> x) {
  T s = 0.0;
  for (int i = 1; i <= 20; ++i) {
    const double t = i / 5.0;
    s += square(square(x[0] + t * x[1] - std::exp(t)) + square(x[2] + x[3] * std::sin(t) - std::cos(t)));
  }
  return s;
}

/// #21 Extended Rosenbrock, n even: f_{2i-1} = 10 (x_{2i} - x_{2i-1}^2), f_{2i} = 1 - x_{2i-1}.
template <class T>
T extended_rosenbrock(std::span<const T> x) {
  T s = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); i += 2) {
    s += square(10.0 * (x[i + 1] - x[i] * x[i])) + square(1.0 - x[i]);
  }
  return s;
}

/// The default stop, max_i |g_i| <= 1e-6 (StopOptions::gradient_tolerance).
inline constexpr double kGradientTolerance = 1e-6;

/// A known minimum, with how close the default stop is bound to come to it.
struct Minimum {
  std::string_view kind;    ///< "global", "local", ...
  double value;             ///< f*
  std::vector<double> x;    ///< x*, or empty where the minimizers are not isolated
  double value_tolerance;   ///< on |f - f*|
  double x_tolerance;       ///< on |x - x*|_2
};

/// An isolated minimum whose Hessian has smallest eigenvalue `curvature`. In the quadratic
/// model a point with max_i |g_i| <= 1e-6, so |g|_2 <= sqrt(n) 1e-6, has
/// f - f* <= |g|^2 / (2 curvature) and |x - x*| <= |g| / curvature. The value tolerance is
/// that bound or 1e-8 max(1, |f*|), whichever is larger (so 1e-8 max(1, |f*|) for all but the
/// badly scaled #3); the x tolerance is twice the bound, a margin for the model's error.
inline Minimum isolated(std::string_view kind, double value, std::vector<double> x, double curvature) {
  const double g = kGradientTolerance * std::sqrt(static_cast<double>(x.size()));
  const double value_tolerance = std::max(1e-8 * std::max(1.0, std::fabs(value)), g * g / (2.0 * curvature));
  return {kind, value, std::move(x), value_tolerance, 2.0 * g / curvature};
}

/// A test problem: f, where to start, and every minimum a run may end at (global first).
struct Problem {
  std::string_view name;
  int number;  ///< in MGH
  std::vector<double> x0;
  std::vector<Minimum> minima;
  double (*value)(std::span<const double>);
  Var (*taped)(std::span<const Var>);

  /// f at x, for double or Var: so a Problem is itself an objective of Vars.
  template <class T>
  T operator()(std::span<const T> x) const {
    if constexpr (std::is_same_v<T, Var>) {
      return taped(x);
    } else {
      return value(x);
    }
  }
};

inline std::ostream& operator<<(std::ostream& out, const Problem& p) {
  return out << "MGH #" << p.number << " " << p.name;
}

/// All the problems, in the paper's order.
inline const std::vector<Problem>& problems() {
  static const std::vector<Problem> list = [] {
    std::vector<double> x0_extended(100), ones(100, 1.0);
    for (std::size_t i = 0; i < x0_extended.size(); ++i) x0_extended[i] = i % 2 == 0 ? -1.2 : 1.0;
    const double inf = std::numeric_limits<double>::infinity();
    return std::vector<Problem>{
        {"rosenbrock", 1, {-1.2, 1.0}, {isolated("global", 0.0, {1.0, 1.0}, 0.39936)}, &rosenbrock<double>,
         &rosenbrock<Var>},
        {"freudenstein_roth", 2, {0.5, -2.0},
         {isolated("global", 0.0, {5.0, 4.0}, 2.90043),
          isolated("local", 48.98425367924002, {11.412778986902094, -0.8968052532744765}, 0.82072)},
         &freudenstein_roth<double>, &freudenstein_roth<Var>},
        // Badly scaled: the smallest Hessian eigenvalue is 2.4e-8, so |g| <= 1e-6 only
        // bounds f by 4.1e-5 and x by 1.2e2 (see isolated()).
        {"powell_badly_scaled", 3, {0.0, 1.0},
         {isolated("global", 0.0, {1.0981593296998175e-5, 9.106146739866524}, 2.4101e-8)},
         &powell_badly_scaled<double>, &powell_badly_scaled<Var>},
        {"brown_badly_scaled", 4, {1.0, 1.0}, {isolated("global", 0.0, {1e6, 2e-6}, 2.0)},
         &brown_badly_scaled<double>, &brown_badly_scaled<Var>},
        {"beale", 5, {1.0, 1.0}, {isolated("global", 0.0, {3.0, 0.5}, 0.30146)}, &beale<double>, &beale<Var>},
        {"jennrich_sampson", 6, {0.3, 0.4},
         {isolated("global", 124.36218235561485, {0.25782521367036408, 0.25782521367036408}, 4484.2)},
         &jennrich_sampson<double>, &jennrich_sampson<Var>},
        {"helical_valley", 7, {-1.0, 0.0, 0.0}, {isolated("global", 0.0, {1.0, 0.0, 0.0}, 1.4328)},
         &helical_valley<double>, &helical_valley<Var>},
        {"gaussian", 9, {0.4, 1.0, 0.0},
         {isolated("global", 1.1279327696186480e-8, {0.39895613783875668, 1.0000190844878057, 0.0}, 0.13965)},
         &gaussian<double>, &gaussian<Var>},
        // f = 0 at (1, 10, 1), at (10, 1, -1) and all along x1 = x2, x3 = 0.
        {"box_3d", 12, {0.0, 10.0, 20.0},
         {isolated("global at (1, 10, 1)", 0.0, {1.0, 10.0, 1.0}, 9.11585e-4),
          isolated("global at (10, 1, -1)", 0.0, {10.0, 1.0, -1.0}, 9.11585e-4),
          {"global on x1 = x2, x3 = 0", 0.0, {}, 1e-8, inf}},
         &box_3d<double>, &box_3d<Var>},
        // Singular Hessian at x* = 0, so isolated() does not apply. Writing a = x1 + 10 x2,
        // b = x3 - x4, u = x2 - 2 x3, v = x1 - x4, max_i |g_i| <= 1e-6 gives |u| <= 7.2e-3,
        // |v| <= 3.2e-3, |a| <= 1.2e-6, |b| <= 4e-7, hence f <= 3.8e-9 and |x|_2 <= 1.6e-2.
        {"powell_singular", 13, {3.0, -1.0, 0.0, 1.0}, {{"global", 0.0, {0.0, 0.0, 0.0, 0.0}, 1e-8, 2e-2}},
         &powell_singular<double>, &powell_singular<Var>},
        {"wood", 14, {-3.0, -1.0, -3.0, -1.0}, {isolated("global", 0.0, {1.0, 1.0, 1.0, 1.0}, 0.71957)}, &wood<double>,
         &wood<Var>},
        {"kowalik_osborne", 15, {0.25, 0.39, 0.415, 0.39},
         {isolated("global", 3.0750560384923743e-4,
                   {0.19280693457903785, 0.19128232873436696, 0.12305650692632065, 0.13606233068379484}, 2.8973e-3)},
         &kowalik_osborne<double>, &kowalik_osborne<Var>},
        {"brown_dennis", 16, {25.0, 5.0, -5.0, -1.0},
         {isolated("global", 85822.201626356345,
                   {-11.594439904762165, 13.203630051207204, -0.40343948817685952, 0.23677877445573630}, 1230.7)},
         &brown_dennis<double>, &brown_dennis<Var>},
        {"extended_rosenbrock_100", 21, x0_extended, {isolated("global", 0.0, ones, 0.39936)},
         &extended_rosenbrock<double>, &extended_rosenbrock<Var>},
    };
  }();
  return list;
}

}  // namespace slope::test::mgh
