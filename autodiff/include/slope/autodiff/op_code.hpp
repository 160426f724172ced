#pragma once
/// \file
/// Operation codes: the name of what produced each node on a tape.

#include <cstdint>
#include <string_view>

namespace slope {

/// What produced a node. The live tape needs it only to name operations in error reports;
/// a replayed function dispatches on it.
enum class OpCode : std::uint8_t {
  Input,     ///< an independent variable (no operands)
  Fused,     ///< several operations of one statement folded into one node ("statement")
  Custom,    ///< a user-supplied value and partials (slope::custom_op)
  External,  ///< an output of a user-supplied vector-Jacobian product (slope::external_op)
  Neg, Add, Sub, Mul, Div,
  Pow, Square,
  Exp, Exp2, Expm1, Log, Log2, Log10, Log1p, Sqrt, Cbrt, Hypot,
  Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh, Asinh, Acosh, Atanh,
  Abs, Fmin, Fmax, Fma,
  Erf, Erfc, Lgamma, Tgamma,
  Sigmoid, LogSigmoid, Softplus, LogSumExp,
  // Vector nodes (vector.hpp): one node for a reduction, or the outputs of a vector operation.
  Sum, Mean, Dot, SquaredNorm, MatVec, MatMul,
  Count_  ///< number of codes; not an operation
};

/// The operation's name as it appears in error messages ("log", "pow", ...).
std::string_view op_name(OpCode code) noexcept;

}  // namespace slope
