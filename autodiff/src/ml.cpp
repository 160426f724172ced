#include "slope/autodiff/ops/ml.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slope {

namespace detail {

// The softmax weights e^(x_i - m) / sum_j e^(x_j - m), m = max x. Not e^(x_i - z): once ulp(z)
// is large, x_i - z rounds (at z = 1e16, ln 2 rounds to 0 or 2) and the weights stop summing to 1.
void softmax_weights(std::span<const double> xs, std::span<double> weights) noexcept {
  if (xs.empty()) return;
  const double m = *std::max_element(xs.begin(), xs.end());
  if (std::isnan(m) || std::any_of(xs.begin(), xs.end(), [](double x) { return std::isnan(x); })) {
    std::fill(weights.begin(), weights.end(), std::numeric_limits<double>::quiet_NaN());
    return;
  }
  if (std::isinf(m)) {
    // +inf: the infinite arguments share the weight; all -inf: every argument does.
    const auto shares = std::count(xs.begin(), xs.end(), m);
    for (std::size_t i = 0; i < xs.size(); ++i) weights[i] = xs[i] == m ? 1.0 / static_cast<double>(shares) : 0.0;
    return;
  }
  double s = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    weights[i] = std::exp(xs[i] - m);
    s += weights[i];
  }
  const double inv = 1.0 / s;
  for (double& w : weights) w *= inv;
}

}  // namespace detail

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
  detail::softmax_weights(values, partials);
  if (detail::checked_tape() != nullptr) {
    detail::check_operation("log_sum_exp", values, true, "", z, partials);
  }
  const bool any_active = std::any_of(xs.begin(), xs.end(), [](const Var& x) { return !x.is_constant(); });
  if (!any_active) return Var(z);
  return detail::require_active_tape().nary(xs, z, partials, OpCode::LogSumExp);
}

}  // namespace slope
