#include "slope/lang/print.hpp"

#include <fmt/format.h>

namespace slope::lang {

std::string_view spelling(BinaryOp op) noexcept {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Subtract: return "-";
    case BinaryOp::Multiply: return "*";
    case BinaryOp::Divide: return "/";
    case BinaryOp::Power: return "^";
    case BinaryOp::ElementMultiply: return ".*";
    case BinaryOp::ElementDivide: return "./";
    case BinaryOp::ElementPower: return ".^";
    case BinaryOp::Less: return "<";
    case BinaryOp::LessEqual: return "<=";
    case BinaryOp::Greater: return ">";
    case BinaryOp::GreaterEqual: return ">=";
    case BinaryOp::Equal: return "==";
    case BinaryOp::NotEqual: return "!=";
  }
  return "?";
}

namespace {

// Recursion is bounded by the parser's kMaxExpressionDepth.
void print(const Program& program, ExprId id, std::string& out) {
  const Expr& expr = program[id];
  auto operands = [&](std::size_t from) {
    for (std::size_t i = from; i < expr.operands.size(); ++i) {
      out += ' ';
      print(program, expr.operands[i], out);
    }
  };
  switch (expr.kind) {
    case ExprKind::Number: out += fmt::format("{}", expr.number); return;
    case ExprKind::Name: out += expr.name; return;
    case ExprKind::Negate: out += "(-"; operands(0); out += ')'; return;
    case ExprKind::Binary: {  // along the left spine, in a loop: "(op2 (op1 a b) c)"
      std::vector<ExprId> spine;
      left_spine(program, id, spine);
      for (const ExprId node : spine) out += fmt::format("({} ", spelling(program[node].op));
      print(program, program[spine.back()].operands[0], out);
      for (auto node = spine.rbegin(); node != spine.rend(); ++node) {
        out += ' ';
        print(program, program[*node].operands[1], out);
        out += ')';
      }
      return;
    }
    case ExprKind::Call: out += '(' + expr.name; operands(0); out += ')'; return;
    case ExprKind::Index: out += "(index"; operands(0); out += ')'; return;
    case ExprKind::Slice: out += "(:"; operands(0); out += ')'; return;
    case ExprKind::Transpose: out += "(transpose"; operands(0); out += ')'; return;
    case ExprKind::Vector:
      out += '[';
      for (std::size_t i = 0; i < expr.operands.size(); ++i) {
        if (i > 0) out += ' ';
        print(program, expr.operands[i], out);
      }
      out += ']';
      return;
    case ExprKind::Reduce: out += fmt::format("({} {}", expr.name, expr.index); operands(0); out += ')'; return;
    case ExprKind::Condition: out += "(if"; operands(0); out += ')'; return;
  }
}

}  // namespace

std::string to_sexpr(const Program& program, ExprId id) {
  std::string out;
  print(program, id, out);
  return out;
}

std::string to_sexpr(const Program& program) {
  std::string out;
  for (const Statement& statement : program.statements) {
    switch (statement.kind) {
      case StatementKind::Data: out += "(data " + statement.name; break;
      case StatementKind::Const: out += "(const " + statement.name; break;
      case StatementKind::Param: out += "(param " + statement.name; break;
      case StatementKind::Let: out += "(let " + statement.name; break;
      case StatementKind::Objective: out += statement.sense == Sense::Maximize ? "(maximize" : "(minimize"; break;
    }
    if (!statement.dimensions.empty()) {
      out += " [";
      for (std::size_t i = 0; i < statement.dimensions.size(); ++i) {
        const Dimension& dim = statement.dimensions[i];
        if (i > 0) out += ' ';
        out += dim.name.empty() ? fmt::format("{}", dim.literal) : dim.name;
      }
      out += ']';
    }
    if (statement.value != kNoExpr) out += ' ' + to_sexpr(program, statement.value);
    out += ")\n";
  }
  return out;
}

}  // namespace slope::lang
