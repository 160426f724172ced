#pragma once
/// \file
/// What every optimizer benchmark problem provides (the Problem concept).
///
/// The problems are the classic unconstrained test functions at their standard starting points
/// (J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing Unconstrained Optimization
/// Software", ACM TOMS 7(1), 1981: MGH below) and a logistic-regression fit. Each is one struct
/// with `evaluate` written once as a template over the scalar type (double, or slope::Var for
/// the taped runs), a hand-written analytic gradient that every solver is given, the start x0,
/// and the known minimum value with how close a converged run must come to it.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slope::bench {

/// An optimizer benchmark problem: f(x) for any scalar type, its value and hand-written
/// gradient, the standard start and the known minimum value f*.
template <class P>
concept Problem = requires(const P& p, std::span<const double> x, std::span<double> grad) {
  { p.name } -> std::convertible_to<std::string_view>;
  { p.x0 } -> std::convertible_to<const std::vector<double>&>;
  { p.minimum } -> std::convertible_to<double>;          // f*
  { p.value_tolerance } -> std::convertible_to<double>;  // a converged run ends with |f − f*| <= this
  { p.evaluate(x) } -> std::same_as<double>;
  { p.gradient(x, grad) } -> std::same_as<double>;  // returns f(x), writes df/dx into grad
};

/// The tolerance on |f − f*| for runs stopped at max_i |g_i| <= 1e-6 near an isolated minimum
/// of f* whose Hessian's smallest eigenvalue is `curvature`: in the quadratic model
/// f − f* <= |g|₂² / (2 curvature) with |g|₂ <= sqrt(n)·1e-6; at least 1e-8·max(1, |f*|).
[[nodiscard]] inline double value_tolerance(double minimum, std::size_t n, double curvature) {
  const double g = 1e-6 * std::sqrt(static_cast<double>(n));
  return std::max(1e-8 * std::max(1.0, std::abs(minimum)), g * g / (2.0 * curvature));
}

}  // namespace slope::bench
