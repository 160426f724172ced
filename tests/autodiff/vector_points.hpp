#pragma once
// What the vector-node test files share: the points they evaluate at and how closely a vector
// node must agree with the same function recorded with scalar operations.

#include <cmath>
#include <cstddef>
#include <vector>

#include "support/finite_difference.hpp"

namespace slope::test {

/// Vector and scalar recordings differ only in the order of sums (the vector rules use four
/// accumulators), so they agree to a few ulps.
inline constexpr Tolerance kSameRule{1e-12, 1e-13};

/// n values in [-0.4, 1], all different; `phase` shifts them for a second point.
inline std::vector<double> point(std::size_t n, double phase = 0.0) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.3 + 0.7 * std::sin(1.3 * static_cast<double>(i) + 0.5 + phase);
  return x;
}

}  // namespace slope::test
