#include "slope/autodiff/ops/ml.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slope {

double log_sum_exp(std::span<const double> xs) noexcept {
  if (xs.empty()) return -std::numeric_limits<double>::infinity();
  const double m = *std::max_element(xs.begin(), xs.end());
  if (!std::isfinite(m)) {
    double total = 0.0;  // +inf, or NaN, or -inf for all -inf: the plain sum says which
    for (const double x : xs) total += std::exp(x);
    return std::log(total);
  }
  double s = 0.0;
  for (const double x : xs) s += std::exp(x - m);
  return m + std::log(s);
}

Var log_sum_exp(std::span<const Var> xs) { return record_variadic<LogSumExp>(xs); }

}  // namespace slope
