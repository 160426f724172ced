#pragma once
/// \file
/// check_unary / check_binary / check_gradient: Stan's expect_ad contract for Slope.
/// For a generic function f (callable with double and with slope::Var):
///  - the Var value equals the double value exactly;
///  - the tape's derivative equals the hand-derived one (tight tolerance) when given;
///  - it matches central finite differences (looser tolerance);
///  - it is the same whether statements are folded or not (checked mode has its own tests).

#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <optional>
#include <span>
#include <vector>

#include "support/finite_difference.hpp"

namespace slope::test {

/// Hand-derived partials are compared this tightly (they are formulas, not estimates).
inline constexpr Tolerance kExact{1e-13, 1e-15};

/// Gradient of f at x recorded with the given options, and f's value.
template <class F>
std::pair<double, std::vector<double>> tape_gradient(F&& f, std::span<const double> x, RecordOptions options) {
  Tape tape;
  auto recording = tape.record(options);
  const std::vector<Var> xs = tape.inputs(x);
  const Var y = f(std::span<const Var>(xs));
  tape.backward(y);
  std::vector<double> grad(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) grad[i] = tape.adjoint(xs[i]);
  return {y.value(), grad};
}

/// Checks the gradient of f: span<const T> -> T at x against finite differences, against
/// `by_hand` when given, and across fused / unfused recording.
/// `fd_tol` = std::nullopt skips the finite-difference oracle: use it only where a central
/// difference cannot work (a pole or kink closer than the step), with `by_hand` given.
template <class F>
void check_gradient(F f, std::vector<double> x, std::optional<std::vector<double>> by_hand = std::nullopt,
                    std::optional<Tolerance> fd_tol = Tolerance{}) {
  const double plain = f(std::span<const double>(x));
  const auto [value, grad] = tape_gradient(f, x, {});
  const auto [value_unfused, grad_unfused] = tape_gradient(f, x, {.fuse = false});
  BOOST_TEST_CONTEXT("at x = " << fmt::format("{}", fmt::join(x, ", "))) {
    BOOST_TEST((value == plain || (std::isnan(value) && std::isnan(plain))), "value " << value << " vs double " << plain);
    BOOST_TEST((value_unfused == plain || (std::isnan(value_unfused) && std::isnan(plain))));
    const std::vector<double> fd =
        fd_tol ? central_gradient([&](std::span<const double> p) { return static_cast<double>(f(p)); }, x)
               : std::vector<double>(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      BOOST_TEST(close(grad[i], grad_unfused[i], kExact),
                 "d/dx" << i << ": fused " << grad[i] << " vs unfused " << grad_unfused[i]);
      if (fd_tol) {
        BOOST_TEST(close(grad[i], fd[i], *fd_tol),
                   "d/dx" << i << ": tape " << grad[i] << " vs finite difference " << fd[i]);
      }
      if (by_hand) {
        BOOST_TEST(close(grad[i], (*by_hand)[i], kExact), "d/dx" << i << ": tape " << grad[i] << " vs by hand " << (*by_hand)[i]);
      }
    }
  }
}

/// check_gradient for f(T x) -> T at a point x.
template <class F>
void check_unary(F f, double x, std::optional<double> by_hand = std::nullopt,
                 std::optional<Tolerance> fd_tol = Tolerance{}) {
  auto g = [&f](auto xs) { return f(xs[0]); };
  std::optional<std::vector<double>> hand;
  if (by_hand) hand = std::vector<double>{*by_hand};
  check_gradient(g, {x}, hand, fd_tol);
}

/// check_gradient for f(T a, T b) -> T at (a, b); also checks the constant-operand forms
/// f(Var, double) and f(double, Var) against the same partials.
template <class F>
void check_binary(F f, double a, double b, std::optional<std::pair<double, double>> by_hand = std::nullopt,
                  std::optional<Tolerance> fd_tol = Tolerance{}) {
  auto g = [&f](auto xs) { return f(xs[0], xs[1]); };
  std::optional<std::vector<double>> hand;
  if (by_hand) hand = std::vector<double>{by_hand->first, by_hand->second};
  check_gradient(g, {a, b}, hand, fd_tol);
  const auto [value, grad] = tape_gradient(g, std::vector<double>{a, b}, {});
  const auto [v_a, g_a] = tape_gradient([&f, b](auto xs) { return f(xs[0], b); }, std::vector<double>{a}, {});
  const auto [v_b, g_b] = tape_gradient([&f, a](auto xs) { return f(a, xs[0]); }, std::vector<double>{b}, {});
  BOOST_TEST_CONTEXT("constant operand at (" << a << ", " << b << ")") {
    BOOST_TEST(close(g_a[0], grad[0], kExact), "d/da with b constant: " << g_a[0] << " vs " << grad[0]);
    BOOST_TEST(close(g_b[0], grad[1], kExact), "d/db with a constant: " << g_b[0] << " vs " << grad[1]);
  }
}

}  // namespace slope::test
