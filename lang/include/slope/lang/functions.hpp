#pragma once
/// \file
/// The built-in functions of the language and how each applies to shapes. The elementwise ones
/// are generated from autodiff's one list of operations (slope/autodiff/ops/list.hpp): every
/// rule of FunctionRules of one or two arguments is a function of the language under its name.

#include <cstdint>
#include <span>
#include <string_view>

#include <slope/autodiff/op_code.hpp>

namespace slope::lang {

/// How a function treats shapes.
enum class FunctionKind : std::uint8_t {
  Elementwise,  ///< maps each element; two arguments broadcast a scalar
  Reduction,    ///< a function of whole vectors or rows (see Reduction for its shape)
};

/// The reductions, which the language defines itself (they are not derivative rules).
enum class Reduction : std::uint8_t {
  None,       ///< an elementwise function
  Sum,        ///< sum(x)
  Mean,       ///< mean(x)
  Dot,        ///< dot(x, y)
  Norm,       ///< norm(x) = sqrt(dot(x, x))
  LogSumExp,  ///< log_sum_exp(x) of a vector, or of two scalars (the rule)
  LogDensity, ///< a log density summed over its elements (see Density)
  // along a dimension of a matrix [n, k]:
  RowSums,       ///< row_sums(X): [n], sum_j X(i, j)
  ColSums,       ///< col_sums(X): [k], sum_i X(i, j)
  RowMeans,      ///< row_means(X): [n]
  ColMeans,      ///< col_means(X): [k]
  RowLogSumExp,  ///< row_log_sum_exp(X): [n], log sum_j exp X(i, j), stable
  // of a vector as a whole, or of each row of a matrix (same shape as the argument):
  Softmax,       ///< softmax(x) = exp(x - log_sum_exp(x))
  LogSoftmax,    ///< log_softmax(x) = x - log_sum_exp(x), stable for any x
};

/// The log densities (and log probability mass functions), with Stan's names, argument order
/// and parameterization, normalizing constants included: NAME(y | a, b) is
/// sum_i log p(y_i | a_i, b_i), each argument a scalar (broadcast) or all of one shape.
enum class Density : std::uint8_t {
  None,
  Normal,          ///< normal_lpdf(y | mu, sigma)
  StudentT,        ///< student_t_lpdf(y | nu, mu, sigma)
  Cauchy,          ///< cauchy_lpdf(y | mu, sigma)
  Exponential,     ///< exponential_lpdf(y | beta), beta the rate
  Gamma,           ///< gamma_lpdf(y | alpha, beta), shape alpha and rate beta
  Beta,            ///< beta_lpdf(y | a, b)
  Lognormal,       ///< lognormal_lpdf(y | mu, sigma), of log y
  BernoulliLogit,  ///< bernoulli_logit_lpmf(n | alpha), P(n = 1) = sigmoid(alpha)
  BinomialLogit,   ///< binomial_logit_lpmf(n | N, alpha), success probability sigmoid(alpha)
  PoissonLog,      ///< poisson_log_lpmf(n | alpha), rate e^alpha
  NegBinomial2Log, ///< neg_binomial_2_log_lpmf(n | eta, phi), mean e^eta, variance mu + mu^2 / phi
};

/// A row of the function table.
struct FunctionInfo {
  std::string_view name;
  FunctionKind kind = FunctionKind::Elementwise;
  int min_arguments = 1;
  int max_arguments = 1;
  /// The derivative rule applied to each element (and log_sum_exp's rule for two scalars);
  /// OpCode::Custom for the other reductions.
  OpCode rule = OpCode::Custom;
  Reduction reduction = Reduction::None;
  Density density = Density::None;  ///< for Reduction::LogDensity
};

/// Every built-in function: the reductions, then one per rule of autodiff's FunctionRules of
/// one or two arguments (by its name), then the aliases `min` and `max` of fmin and fmax.
[[nodiscard]] std::span<const FunctionInfo> functions() noexcept;
/// The function called `name`, or null.
[[nodiscard]] const FunctionInfo* find_function(std::string_view name) noexcept;

}  // namespace slope::lang
