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

Var log_sum_exp(std::span<const Var> xs) {
  // Partials live in a per-thread buffer so that repeated calls allocate nothing.
  thread_local std::vector<double> values;
  thread_local std::vector<double> partials;
  values.resize(xs.size());
  partials.resize(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) values[i] = xs[i].value();
  const double z = log_sum_exp(std::span<const double>(values));
  detail::softmax_weights<double>(values, partials);
  if (detail::checked_tape() != nullptr) {
    detail::check_operation("log_sum_exp", values, true, "", z, partials);
  }
  const bool any_active = std::any_of(xs.begin(), xs.end(), [](const Var& x) { return !x.is_constant(); });
  if (!any_active) return Var(z);
  return detail::require_active_tape().nary(xs, z, partials, OpCode::LogSumExp);
}

}  // namespace slope
