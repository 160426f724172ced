// Three ways to teach Slope an operation it does not know, each taking part in the reverse
// sweep like a built-in one:
//  1. a rule struct (value and partial as formulas) recorded with slope::record_unary;
//  2. slope::custom_op, for a black box that returns its value and partials;
//  3. slope::external_op, for a black box with several outputs that applies its own
//     vector-Jacobian product during the sweep.
#include <slope/autodiff.hpp>

#include <cmath>
#include <numbers>
#include <vector>

namespace {

/// 1. GELU activation, y = x Phi(x) with Phi the standard normal CDF.
/// Partial: dy/dx = Phi(x) + x phi(x), phi the standard normal density.
struct Gelu {
  static constexpr std::string_view name = "gelu";
  static double cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
  static double value(double x) { return x * cdf(x); }
  static double partial(double x, double) {
    return cdf(x) + x * std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi);
  }
};

slope::Var gelu(slope::Var x) { return slope::record_unary<Gelu>(x); }

/// 2. The Euclidean norm of a vector as one node: value ||x||, partials x_i / ||x||.
slope::Var norm(std::span<const slope::Var> x) {
  double sum = 0.0;
  for (const slope::Var& xi : x) sum += xi.value() * xi.value();
  const double n = std::sqrt(sum);
  std::vector<double> partials;
  for (const slope::Var& xi : x) partials.push_back(xi.value() / n);
  return slope::custom_op(x, n, partials);
}

/// 3. Solving the 2x2 linear system A(p) u = b for u, with A = [[p, 1], [1, 2]] and
/// b = (1, 1): the vector-Jacobian product uses the adjoint method (solve A^T w = u_bar,
/// then p_bar = -w^T (dA/dp) u), never forming du/dp.
std::vector<slope::Var> solve(const slope::Var& p) {
  const double a = p.value();
  const double det = 2 * a - 1;
  const double u0 = (2 - 1) / det;
  const double u1 = (a - 1) / det;
  return slope::external_op(std::vector<slope::Var>{p}, std::vector<double>{u0, u1},
                            [=](std::span<const double> u_bar, std::span<double> p_bar) {
                              // A is symmetric, so w = A^-1 u_bar; only w0 meets dA/dp = [[1, 0], [0, 0]].
                              const double w0 = (2 * u_bar[0] - u_bar[1]) / det;
                              p_bar[0] += -(w0 * u0);
                            });
}

}  // namespace

int main() {
  slope::Tape tape;
  auto recording = tape.record();

  const slope::Var x = tape.input(0.7);
  const slope::Var g = gelu(x);
  tape.backward(g);
  fmt::print("gelu(0.7) = {:.12f}, d/dx = {:.12f} (by hand {:.12f})\n", g, tape.adjoint(x), Gelu::partial(0.7, 0));

  const std::vector<slope::Var> v = tape.inputs(std::vector<double>{3.0, 4.0});
  const slope::Var n = norm(v);
  tape.backward(n);
  fmt::print("norm(3, 4) = {}, gradient = ({}, {}) (by hand 0.6, 0.8)\n", n, tape.adjoint(v[0]), tape.adjoint(v[1]));

  const slope::Var p = tape.input(3.0);
  const std::vector<slope::Var> u = solve(p);
  const slope::Var objective = u[0] + u[1];  // (1 + a - 1) / (2a - 1) = a / (2a - 1)
  tape.backward(objective);
  fmt::print("u(p) = ({:.6f}, {:.6f}), d(u0 + u1)/dp = {:.12f} (by hand -1/(2p-1)^2 = {:.12f})\n", u[0], u[1],
             tape.adjoint(p), -1.0 / 25.0);
}
