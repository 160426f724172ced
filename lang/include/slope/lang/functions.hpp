#pragma once
/// \file
/// The built-in functions of the language and how each applies to shapes.

#include <cstdint>
#include <span>
#include <string_view>

namespace slope::lang {

/// A built-in function.
enum class Function : std::uint8_t {
  // elementwise, one argument
  Exp, Log, Log1p, Expm1, Sqrt, Abs, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh,
  Erf, Erfc, Lgamma, Sigmoid, LogSigmoid, Softplus,
  // elementwise, two arguments (a scalar broadcasts)
  Atan2, Pow, Min, Max, Hypot,
  // reductions to a scalar
  Sum, Mean, Dot, Norm, LogSumExp,
};

/// How a function treats shapes.
enum class FunctionKind : std::uint8_t {
  Elementwise,  ///< maps each element; two arguments broadcast a scalar
  Reduction,    ///< gives a scalar
};

/// A row of the function table.
struct FunctionInfo {
  std::string_view name;
  Function function;
  FunctionKind kind;
  int min_arguments;
  int max_arguments;
};

/// Every built-in function, in the order of Function.
[[nodiscard]] std::span<const FunctionInfo> functions() noexcept;
/// The function called `name`, or null.
[[nodiscard]] const FunctionInfo* find_function(std::string_view name) noexcept;

}  // namespace slope::lang
