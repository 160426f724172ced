#pragma once
/// \file
/// Checks, before any timing, that every gradient a benchmark times is right: a fast wrong
/// answer must fail loudly.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "kernels/kernel.hpp"
#include "support/slope_gradient.hpp"

namespace slope::bench {

/// Largest relative error allowed between a gradient and the hand-written one.
inline constexpr double kGradientTolerance = 1e-10;

/// A gradient check that failed; what() says which kernel, gradient, point and component.
class GradientCheckError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The worst component of a comparison between two vectors.
struct Discrepancy {
  std::size_t index = 0;
  double got = 0.0;
  double want = 0.0;
  double error = 0.0;  ///< |got − want| / scale
};

/// The component of `got` farthest from `want`, each error measured relative to
/// max(|want_i|, floor_fraction · max_j |want_j|). With floor_fraction = 0 this is the plain
/// componentwise relative error (a reference of exactly 0 then needs an exact 0).
inline Discrepancy worst_component(std::span<const double> got, std::span<const double> want,
                                   double floor_fraction = 0.0) {
  double largest = 0.0;
  for (const double w : want) largest = std::max(largest, std::abs(w));
  const double floor = std::max(floor_fraction * largest, std::numeric_limits<double>::min());
  Discrepancy worst;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double error = std::abs(got[i] - want[i]) / std::max(std::abs(want[i]), floor);
    if (!(error <= worst.error)) worst = {i, got[i], want[i], error};  // NaN counts as worst
  }
  return worst;
}

/// Throws GradientCheckError unless every component of `got` is within `tolerance` of `want`.
inline void require_close(std::span<const double> got, std::span<const double> want, double tolerance,
                          std::string_view what, double floor_fraction = 0.0) {
  const Discrepancy worst = worst_component(got, want, floor_fraction);
  if (worst.error <= tolerance) return;
  throw GradientCheckError(fmt::format("{}: component {} is {:.17g}, expected {:.17g} (relative error {:.3g} > {:.3g})",
                                       what, worst.index, worst.got, worst.want, worst.error, tolerance));
}

/// Central finite differences of `kernel` at `x`, step cbrt(eps)·max(1, |x_i|).
template <Kernel K>
std::vector<double> finite_difference_gradient(const K& kernel, std::span<const double> x) {
  const double step_scale = std::cbrt(std::numeric_limits<double>::epsilon());
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = step_scale * std::max(1.0, std::abs(x[i]));
    point[i] = x[i] + h;
    const double up = kernel.evaluate(std::span<const double>(point));
    point[i] = x[i] - h;
    const double down = kernel.evaluate(std::span<const double>(point));
    point[i] = x[i];
    out[i] = (up - down) / (2.0 * h);
  }
  return out;
}

/// Checks at x0, at x1 and at x0 again (so that a re-recording after a rewind is checked too):
///  - the hand-written value equals the primal's, and its gradient matches central finite
///    differences (loosely: that only guards the reference itself);
///  - Slope's value and gradient match the primal and the hand-written gradient within
///    kGradientTolerance.
/// Throws GradientCheckError naming the kernel, the gradient and the point.
template <Kernel K>
void check_gradients(const K& kernel, SlopeGradient<K>& slope) {
  constexpr double kFiniteDifferenceTolerance = 1e-6;  // relative to the gradient's largest entry
  const std::vector<double>* points[] = {&kernel.x0, &kernel.x1, &kernel.x0};
  const char* point_names[] = {"x0", "x1", "x0 (again)"};
  auto recording = slope.record();
  for (std::size_t p = 0; p < 3; ++p) {
    const std::span<const double> x(*points[p]);
    const auto where = [&](std::string_view gradient) {
      return fmt::format("kernel {} ({}), {} at {}", K::id, K::name, gradient, point_names[p]);
    };
    const double primal = kernel.evaluate(x);
    std::vector<double> hand(x.size());
    const double hand_value = kernel.gradient(x, hand);
    require_close({&hand_value, 1}, {&primal, 1}, kGradientTolerance, where("hand-written value"));
    require_close(hand, finite_difference_gradient(kernel, x), kFiniteDifferenceTolerance,
                  where("hand-written gradient against finite differences"), 1.0);

    std::vector<double> taped(x.size(), std::numeric_limits<double>::quiet_NaN());
    const double slope_value = slope(x, taped);
    require_close({&slope_value, 1}, {&primal, 1}, kGradientTolerance, where("Slope value"));
    require_close(taped, hand, kGradientTolerance, where("Slope gradient"));
  }
}

}  // namespace slope::bench
