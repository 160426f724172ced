#pragma once
/// \file
/// Numerically stable helpers of statistics and machine learning: sigmoid, log_sigmoid,
/// softplus (= log1p_exp) and log_sum_exp. None overflows for |x| up to the double range:
/// each uses the form whose exponentials are of -|x|.

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "slope/autodiff/math.hpp"
#include "slope/autodiff/expression.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

/// Logistic sigmoid: y = 1/(1 + e^-x).
/// Partial: dy/dx = y (1 - y), computed as e^-x y^2 for x >= 0 so that it keeps full relative
/// precision in the tails (1 - y would cancel).
struct Sigmoid {
  static constexpr std::string_view name = "sigmoid";
  static constexpr bool vectorizes = true;  // see VectorizedRule
  template <class T>
  static T value(T x) noexcept {
    if (x >= 0.0) return 1.0 / (1.0 + math::exp_nonpositive(-x));
    const T e = math::exp_nonpositive(x);
    return e / (1.0 + e);
  }
  template <class T>
  static T partial(T x, T y) noexcept { return x >= 0.0 ? math::exp_nonpositive(-x) * y * y : y * (1.0 - y); }
  /// Both from one exponential, e = e^-|x|.
  static ValueAndPartial value_and_partial(double x) noexcept {
    const double e = math::exp_nonpositive(x >= 0.0 ? -x : x);  // not -fabs(x): a NaN keeps its sign, as in value
    const double y = x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    return {y, x >= 0.0 ? e * y * y : y * (1.0 - y)};
  }
};

/// Log of the sigmoid: y = ln(1/(1 + e^-x)) = -softplus(-x).
/// Partial: dy/dx = 1 - sigmoid(x) = 1/(1 + e^x).
struct LogSigmoid {
  static constexpr std::string_view name = "log_sigmoid";
  static constexpr bool vectorizes = true;  // see VectorizedRule
  static double value(double x) noexcept {
    return x >= 0.0 ? -math::log1p_unit(math::exp_nonpositive(-x))
                    : x - math::log1p_unit(math::exp_nonpositive(x));
  }
  template <class T>
  static T partial(T x, T) noexcept {
    if (x >= 0.0) {
      const T e = math::exp_nonpositive(-x);
      return e / (1.0 + e);
    }
    return 1.0 / (1.0 + math::exp_nonpositive(x));
  }
  /// Both from one exponential, e = e^-|x|.
  static ValueAndPartial value_and_partial(double x) noexcept {
    const double e = math::exp_nonpositive(x >= 0.0 ? -x : x);  // not -fabs(x): a NaN keeps its sign, as in value
    const double l = math::log1p_unit(e);
    return {x >= 0.0 ? -l : x - l, x >= 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e)};
  }
};

/// Softplus: y = ln(1 + e^x), the same function as log1p_exp.
/// Partial: dy/dx = sigmoid(x).
struct Softplus {
  static constexpr std::string_view name = "softplus";
  static constexpr bool vectorizes = true;  // see VectorizedRule
  static double value(double x) noexcept {
    return x > 0.0 ? x + math::log1p_unit(math::exp_nonpositive(-x)) : math::log1p_unit(math::exp_nonpositive(x));
  }
  template <class T>
  static T partial(T x, T) noexcept { return Sigmoid::value(x); }
  /// Both from one exponential, e = e^-|x|.
  static ValueAndPartial value_and_partial(double x) noexcept {
    const double e = math::exp_nonpositive(x >= 0.0 ? -x : x);  // not -fabs(x): a NaN keeps its sign, as in value
    const double l = math::log1p_unit(e);
    return {x > 0.0 ? x + l : l, x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e)};
  }
};

/// ln(sum_i e^(x_i)) for doubles, with the same stable formula.
double log_sum_exp(std::span<const double> xs) noexcept;

namespace detail {
/// The partials of log_sum_exp(xs), the softmax weights e^(x_i - m) / sum_j e^(x_j - m) with
/// m = max x; `weights` has the length of `xs`. Not e^(x_i - z): once ulp(z) is large, x_i - z
/// rounds (at z = 1e16, ln 2 rounds to 0 or 2) and the weights stop summing to 1. Generic so
/// that slope::Function's replay can differentiate it with Dual (see math.hpp).
template <class T>
void softmax_weights(std::span<const T> xs, std::span<T> weights) noexcept {
  if (xs.empty()) return;
  const T m = *std::max_element(xs.begin(), xs.end());
  if (math::isnan(m) || std::any_of(xs.begin(), xs.end(), [](const T& x) { return math::isnan(x); })) {
    std::fill(weights.begin(), weights.end(), std::numeric_limits<double>::quiet_NaN());
    return;
  }
  if (math::isinf(m)) {
    // +inf: the infinite arguments share the weight; all -inf: every argument does.
    const auto shares = std::count(xs.begin(), xs.end(), m);
    for (std::size_t i = 0; i < xs.size(); ++i) weights[i] = xs[i] == m ? 1.0 / static_cast<double>(shares) : 0.0;
    return;
  }
  T s = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    weights[i] = math::exp(xs[i] - m);
    s = s + weights[i];
  }
  const T inv = 1.0 / s;
  for (T& w : weights) w = w * inv;
}
}  // namespace detail

/// Two-argument log-sum-exp: z = ln(e^a + e^b) = max(a, b) + ln(1 + e^-|a-b|).
/// Partials: dz/da = e^(a-z) = 1/(1 + e^(b-a)), dz/db = e^(b-z) = 1/(1 + e^(a-b)) (the softmax
/// weights; they sum to 1).
struct LogSumExp {
  static constexpr std::string_view name = "log_sum_exp";
  static double value(double a, double b) noexcept {
    const double m = std::fmax(a, b);
    if (!std::isfinite(m)) return std::log(std::exp(a) + std::exp(b));  // exact for infinite arguments
    return m + std::log1p(std::exp(-std::fabs(a - b)));
  }
  // e^(a - z) would lose the weights once ulp(z) is large (z = 1e16 rounds a - z to -1), so
  // the weight is the sigmoid of the difference, which depends on a - b only. Equal arguments
  // (also two equal infinities, whose difference is NaN) weigh 1/2 each.
  template <class T>
  static T d_first(T a, T b, T) noexcept { return a == b ? 0.5 : 1.0 / (1.0 + math::exp(b - a)); }
  template <class T>
  static T d_second(T a, T b, T) noexcept { return a == b ? 0.5 : 1.0 / (1.0 + math::exp(a - b)); }
  /// Any number of arguments: z = ln(sum_i e^(x_i)), -inf for none.
  static double value(std::span<const double> xs) noexcept { return slope::log_sum_exp(xs); }
  /// Partials of the variadic form, dz/dx_i = the softmax weights (detail::softmax_weights).
  template <class T>
  static void partials(std::span<const T> xs, std::span<T> out) noexcept { detail::softmax_weights<T>(xs, out); }
};

/// sigmoid(x); see Sigmoid.
SLOPE_ALWAYS_INLINE Var sigmoid(Var x) { return record_unary<Sigmoid>(detail::forward(x)); }
/// \overload: sigmoid of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto sigmoid(E x) { return unary_expression<Sigmoid>(detail::take(x)); }
/// ln sigmoid(x); see LogSigmoid.
SLOPE_ALWAYS_INLINE Var log_sigmoid(Var x) { return record_unary<LogSigmoid>(detail::forward(x)); }
/// \overload: log_sigmoid of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto log_sigmoid(E x) { return unary_expression<LogSigmoid>(detail::take(x)); }
/// ln(1 + e^x); see Softplus.
SLOPE_ALWAYS_INLINE Var softplus(Var x) { return record_unary<Softplus>(detail::forward(x)); }
/// \overload: softplus of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto softplus(E x) { return unary_expression<Softplus>(detail::take(x)); }
/// ln(1 + e^x); the same as softplus.
SLOPE_ALWAYS_INLINE Var log1p_exp(Var x) { return record_unary<Softplus>(detail::forward(x)); }
/// \overload: log1p_exp of an expression is part of its statement (one node; see expression.hpp).
template <Expression E>
SLOPE_ALWAYS_INLINE auto log1p_exp(E x) { return unary_expression<Softplus>(detail::take(x)); }

/// ln(e^a + e^b); see LogSumExp.
SLOPE_ALWAYS_INLINE Var log_sum_exp(Var a, Var b) { return record_binary<LogSumExp>(detail::forward(a), detail::forward(b)); }
/// \overload
SLOPE_ALWAYS_INLINE Var log_sum_exp(Var a, double b) { return record_binary<LogSumExp>(detail::forward(a), b); }
/// \overload
SLOPE_ALWAYS_INLINE Var log_sum_exp(double a, Var b) { return record_binary<LogSumExp>(a, detail::forward(b)); }

/// ln(sum_i e^(x_i)) over a range, as one node with one edge per active element.
/// Partials: dz/dx_i = e^(x_i - z), the softmax weights, computed as e^(x_i - m) / sum_j e^(x_j - m)
/// with m = max x so that they sum to 1 at any magnitude. Where the maximum is +inf the weight is
/// shared by the infinite arguments; all -inf shares it evenly. An empty range gives -inf.
Var log_sum_exp(std::span<const Var> xs);

/// ln(sum_i e^(x_i)) of three or more arguments, as one node.
template <class... Rest>
  requires(sizeof...(Rest) >= 1 && (std::convertible_to<Rest, Var> && ...))
Var log_sum_exp(const Var& a, const Var& b, const Rest&... rest) {
  const std::array<Var, 2 + sizeof...(Rest)> xs{a, b, Var(rest)...};
  return log_sum_exp(std::span<const Var>(xs));
}


}  // namespace slope
