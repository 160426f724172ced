#include "slope/optim/bounds.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "slope/autodiff/errors.hpp"

namespace slope {

Bounds Bounds::at_least(std::size_t n, double lower) { return {std::vector<double>(n, lower), {}}; }

Bounds Bounds::at_most(std::size_t n, double upper) { return {{}, std::vector<double>(n, upper)}; }

Bounds Bounds::between(std::size_t n, double lower, double upper) {
  return {std::vector<double>(n, lower), std::vector<double>(n, upper)};
}

bool Bounds::unbounded() const noexcept {
  for (const double l : lower) {
    if (l > -std::numeric_limits<double>::infinity()) return false;
  }
  for (const double u : upper) {
    if (u < std::numeric_limits<double>::infinity()) return false;
  }
  return true;
}

std::string_view to_string(BoundState state) noexcept {
  switch (state) {
    case BoundState::Free: return "free";
    case BoundState::AtLower: return "at_lower";
    case BoundState::AtUpper: return "at_upper";
  }
  return "unknown";
}

void validate(const Bounds& bounds, std::size_t n) {
  const auto fail = [](const std::string& what) { throw slope::ArgumentError("Bounds: " + what); };
  if (!bounds.lower.empty() && bounds.lower.size() != n) {
    fail(fmt::format("lower has {} entries but x0 has {} (give one per component, or none)", bounds.lower.size(), n));
  }
  if (!bounds.upper.empty() && bounds.upper.size() != n) {
    fail(fmt::format("upper has {} entries but x0 has {} (give one per component, or none)", bounds.upper.size(), n));
  }
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    const double l = bounds.lower.empty() ? -inf : bounds.lower[i];
    const double u = bounds.upper.empty() ? inf : bounds.upper[i];
    if (std::isnan(l)) fail(fmt::format("lower[{}] is NaN", i));
    if (std::isnan(u)) fail(fmt::format("upper[{}] is NaN", i));
    if (l == inf) fail(fmt::format("lower[{}] is +inf, so no value is feasible", i));
    if (u == -inf) fail(fmt::format("upper[{}] is -inf, so no value is feasible", i));
    if (l > u) fail(fmt::format("lower[{}] = {} > upper[{}] = {}", i, l, i, u));
  }
}

}  // namespace slope
