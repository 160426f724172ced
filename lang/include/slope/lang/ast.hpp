#pragma once
/// \file
/// The syntax tree of a model: plain data with source spans, built by the parser.
///
/// Expressions live in one arena (Program::expressions) and refer to each other by index,
/// so a tree is freed without recursion and copied with one vector copy.

#include <cstdint>
#include <string>
#include <vector>

#include "slope/lang/source.hpp"
#include "slope/optim/sense.hpp"

namespace slope::lang {

/// Index of an expression in Program::expressions.
using ExprId = std::uint32_t;
/// "No expression" (e.g. a param without an initial value never occurs: the grammar needs one).
inline constexpr ExprId kNoExpr = UINT32_MAX;

/// The operators of binary expressions.
enum class BinaryOp : std::uint8_t {
  Add, Subtract, Multiply, Divide, Power,
  ElementMultiply, ElementDivide, ElementPower,
  Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual,
};

/// The operator as written ("+", ".*", "<=").
[[nodiscard]] std::string_view spelling(BinaryOp op) noexcept;

/// What an expression node is.
enum class ExprKind : std::uint8_t {
  Number,     ///< a literal: `number`
  Name,       ///< a reference to a declared name or loop index: `name`
  Negate,     ///< unary minus: operands[0]
  Binary,     ///< operands[0] `op` operands[1]
  Call,       ///< `name`(operands...)
  Index,      ///< operands[0][operands[1]] or operands[0][operands[1], operands[2]]; an index
              ///< may be a Slice
  Slice,      ///< in an index: `a:b` (operands[0], operands[1], inclusive) or `:` (no operands)
  Transpose,  ///< operands[0]'  (a matrix [n, d] gives [d, n])
  Vector,     ///< [operands...]
  Reduce,     ///< `name`(`index` in operands[0]:operands[1], operands[2]), name is sum or prod
  Condition,  ///< if operands[0] then operands[1] else operands[2]
};

/// One expression node.
struct Expr {
  ExprKind kind = ExprKind::Number;
  BinaryOp op = BinaryOp::Add;   ///< for Binary
  double number = 0.0;           ///< for Number
  std::string name;              ///< Name: the name; Call and Reduce: the function; 
  std::string index;             ///< Reduce: the loop index
  SourceSpan index_span;         ///< Reduce: where the loop index is declared
  std::vector<ExprId> operands;
  SourceSpan span;               ///< the whole expression
  SourceSpan name_span;          ///< Call and Reduce: the function name
  std::uint32_t depth = 1;       ///< the stack a walker needs: 1 + the largest depth of the
                                 ///< operands, except along a left spine (see left_spine)
};

/// A dimension as written in `data X[n, d]` or `param w[3]`: a name or an integer literal.
struct Dimension {
  std::string name;          ///< empty for a literal
  std::uint64_t literal = 0;
  SourceSpan span;
};

/// What a statement declares.
enum class StatementKind : std::uint8_t { Data, Const, Param, Let, Objective };

/// A param's bound: `>= e` / `> e` (lower) or `<= e` / `< e` (upper); `in [a, b]` sets both.
struct Bound {
  ExprId value = kNoExpr;  ///< kNoExpr: none
  bool strict = false;     ///< `>` or `<`: the bound itself is excluded
};

/// One statement: `data NAME[dims]`, `const NAME = e`, `param NAME[dims] [bounds] = e`,
/// `let NAME = e`, `minimize e` or `maximize e`.
struct Statement {
  StatementKind kind = StatementKind::Let;
  std::string name;                  ///< empty for the objective
  SourceSpan name_span;
  std::vector<Dimension> dimensions; ///< Data and Param: 0, 1 or 2
  ExprId value = kNoExpr;            ///< Const, Param (initial value), Let, Objective
  Bound lower;                       ///< Param
  Bound upper;                       ///< Param
  Sense sense = Sense::Minimize;     ///< Objective
  SourceSpan span;                   ///< from the keyword to the end of the statement
};

/// A parsed model.
struct Program {
  std::vector<Statement> statements;
  std::vector<Expr> expressions;

  [[nodiscard]] const Expr& operator[](ExprId id) const { return expressions[id]; }
};

/// The left spine of `id`: the Binary nodes from `id` down through their left operands, outermost
/// first, so that a op1 b op2 c (parsed ((a op1 b) op2 c)) gives [op2 node, op1 node]. Walkers
/// go along a spine in a loop and recurse only into right operands, so a flat chain of any
/// length takes constant stack; the parser counts only the nesting that walkers recurse into.
inline void left_spine(const Program& program, ExprId id, std::vector<ExprId>& out) {
  out.clear();
  for (ExprId at = id; program[at].kind == ExprKind::Binary; at = program[at].operands[0]) out.push_back(at);
}

}  // namespace slope::lang
