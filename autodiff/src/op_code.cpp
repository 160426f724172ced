#include "slope/autodiff/op_code.hpp"

#include <array>

namespace slope {

std::string_view op_name(OpCode code) noexcept {
  static constexpr std::array<std::string_view, static_cast<std::size_t>(OpCode::Count_)> kNames{
      "input", "statement", "custom", "external",
      "neg", "add", "sub", "mul", "div",
      "pow", "square",
      "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt", "hypot",
      "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
      "abs", "fmin", "fmax", "fma",
      "erf", "erfc", "lgamma", "tgamma",
      "sigmoid", "log_sigmoid", "softplus", "log_sum_exp",
      "sum", "mean", "dot", "squared_norm", "matvec", "matmul"};
  static_assert(!kNames.back().empty(), "every OpCode needs a name");
  const auto index = static_cast<std::size_t>(code);
  return index < kNames.size() ? kNames[index] : "unknown";
}

}  // namespace slope
