#pragma once
/// \file
/// A compact s-expression form of the syntax tree, for golden tests and debugging:
/// `let z = X * w + b` prints as `(let z (+ (* X w) b))`.

#include <string>

#include "slope/lang/ast.hpp"

namespace slope::lang {

/// One expression: `(+ a b)`, `(- x)`, `(log x)`, `(index X i j)`, `[1 2 3]`,
/// `(sum i 1 n body)`, `(if c a b)`; numbers in their shortest exact form.
[[nodiscard]] std::string to_sexpr(const Program& program, ExprId id);
/// Every statement, one per line: `(data X n d)`, `(const lambda 0.01)`, `(param w [d] 0)`,
/// `(let z ...)`, `(maximize ...)`.
[[nodiscard]] std::string to_sexpr(const Program& program);

}  // namespace slope::lang
