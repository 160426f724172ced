#include "slope/lang/functions.hpp"

#include <array>

namespace slope::lang {

namespace {

constexpr FunctionInfo unary(std::string_view name, Function f) { return {name, f, FunctionKind::Elementwise, 1, 1}; }
constexpr FunctionInfo binary(std::string_view name, Function f) { return {name, f, FunctionKind::Elementwise, 2, 2}; }

constexpr std::array kFunctions = {
    unary("exp", Function::Exp),         unary("log", Function::Log),
    unary("log1p", Function::Log1p),     unary("expm1", Function::Expm1),
    unary("sqrt", Function::Sqrt),       unary("abs", Function::Abs),
    unary("sin", Function::Sin),         unary("cos", Function::Cos),
    unary("tan", Function::Tan),         unary("asin", Function::Asin),
    unary("acos", Function::Acos),       unary("atan", Function::Atan),
    unary("sinh", Function::Sinh),       unary("cosh", Function::Cosh),
    unary("tanh", Function::Tanh),       unary("erf", Function::Erf),
    unary("erfc", Function::Erfc),       unary("lgamma", Function::Lgamma),
    unary("sigmoid", Function::Sigmoid), unary("log_sigmoid", Function::LogSigmoid),
    unary("softplus", Function::Softplus),
    binary("atan2", Function::Atan2),    binary("pow", Function::Pow),
    binary("min", Function::Min),        binary("max", Function::Max),
    binary("hypot", Function::Hypot),
    FunctionInfo{"sum", Function::Sum, FunctionKind::Reduction, 1, 1},
    FunctionInfo{"mean", Function::Mean, FunctionKind::Reduction, 1, 1},
    FunctionInfo{"dot", Function::Dot, FunctionKind::Reduction, 2, 2},
    FunctionInfo{"norm", Function::Norm, FunctionKind::Reduction, 1, 1},
    // one vector, or two scalars
    FunctionInfo{"log_sum_exp", Function::LogSumExp, FunctionKind::Reduction, 1, 2},
};

}  // namespace

std::span<const FunctionInfo> functions() noexcept { return kFunctions; }

const FunctionInfo* find_function(std::string_view name) noexcept {
  for (const FunctionInfo& info : kFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace slope::lang
