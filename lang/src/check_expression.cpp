// The expression half of the Checker: names, shapes and integer arithmetic.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "checker.hpp"
#include "slope/lang/errors.hpp"

namespace slope::lang::detail {

namespace {

constexpr Shape kScalar{};

bool is_arithmetic(BinaryOp op) {
  return op == BinaryOp::Add || op == BinaryOp::Subtract || op == BinaryOp::Multiply;
}

/// The shape of an elementwise combination of a and b: equal shapes, a scalar with anything,
/// or a matrix [n, k] with a vector [k], which is repeated on every row (as in NumPy).
std::optional<Shape> broadcast(const Shape& a, const Shape& b) {
  if (a.rank == 0) return b;
  if (b.rank == 0 || a == b) return a;
  if (a.rank == 2 && b.rank == 1 && b.rows == a.cols) return a;
  if (b.rank == 2 && a.rank == 1 && a.rows == b.cols) return b;
  return std::nullopt;
}

constexpr std::string_view kBroadcastRule = "the shapes must be equal, or one a scalar, or a matrix [n, k] and a vector [k]";

}  // namespace

std::vector<std::string> Checker::visible_names() const {
  std::vector<std::string> names;
  for (const auto& [name, symbol] : symbols_) {
    if (symbol.slot != UINT32_MAX) names.push_back(name);
  }
  for (const auto& index : indices_) names.push_back(index.first);
  std::sort(names.begin(), names.end());  // deterministic hints
  return names;
}

// Recursion is bounded by the parser's kMaxExpressionDepth.
const ExprInfo& Checker::expression(ExprId id) {
  const Expr& expr = program_[id];
  ExprInfo& info = model_.info[id];
  switch (expr.kind) {
    case ExprKind::Number:
      info.shape = kScalar;
      info.integral = expr.number == std::trunc(expr.number) && std::fabs(expr.number) <= 9007199254740992.0;
      return info;
    case ExprKind::Name: return name(id);
    case ExprKind::Negate: {
      const ExprInfo& operand = expression(expr.operands[0]);
      model_.info[id].shape = operand.shape;
      model_.info[id].integral = operand.integral;
      return model_.info[id];
    }
    case ExprKind::Binary: return binary(id);
    case ExprKind::Call: return call(id);
    case ExprKind::Index: return index(id);
    case ExprKind::Vector: {
      for (const ExprId element : expr.operands) {
        const Shape shape = expression(element).shape;
        if (shape.rank != 0) {
          fail(program_[element].span,
               fmt::format("the elements of a vector literal must be scalars, found {}", describe(shape)));
        }
      }
      model_.info[id].shape = Shape{1, expr.operands.size(), 1};
      return model_.info[id];
    }
    case ExprKind::Reduce: return reduce(id);
    case ExprKind::Transpose: return transpose(id);
    case ExprKind::Slice: fail(expr.span, "a slice ':' can only be an index, as in x[a:b] or X[:, j]");
    case ExprKind::Condition: {
      const Shape condition = expression(expr.operands[0]).shape;
      if (condition.rank != 0) {
        fail(program_[expr.operands[0]].span,
             fmt::format("the condition of 'if' must be a scalar, found {}", describe(condition)));
      }
      const Shape yes = expression(expr.operands[1]).shape;
      const Shape no = expression(expr.operands[2]).shape;
      if (!(yes == no)) {
        fail(expr.span, fmt::format("the branches of 'if' must have the same shape, found {} and {}", describe(yes),
                                    describe(no)));
      }
      model_.info[id].shape = yes;
      return model_.info[id];
    }
  }
  return info;
}

const ExprInfo& Checker::name(ExprId id) {
  const Expr& expr = program_[id];
  ExprInfo& info = model_.info[id];
  for (std::size_t level = indices_.size(); level-- > 0;) {
    if (indices_[level].first == expr.name) {
      info.symbol = SymbolKind::Index;
      info.slot = static_cast<std::uint32_t>(level);
      info.shape = kScalar;
      info.integral = true;
      return info;
    }
  }
  const auto it = symbols_.find(expr.name);
  if (it == symbols_.end() || it->second.slot == UINT32_MAX) {
    if (find_function(expr.name) != nullptr || expr.name == "prod") {
      fail(expr.span, fmt::format("'{}' is a function; call it as {}(...)", expr.name, expr.name));
    }
    const auto hint = closest_name(expr.name, visible_names());
    fail(expr.span, fmt::format("unknown name '{}'{}", expr.name,
                                hint ? fmt::format("; did you mean '{}'?", *hint) : std::string()));
  }
  const Symbol& symbol = it->second;
  info.symbol = symbol.kind;
  info.slot = symbol.slot;
  switch (symbol.kind) {
    case SymbolKind::Data: info.shape = model_.data_shapes[symbol.slot]; return info;
    case SymbolKind::Dimension:
    case SymbolKind::Const:
      info.shape = model_.consts[symbol.slot].shape;
      info.integral = integer_value(model_.consts[symbol.slot]).has_value();
      return info;
    case SymbolKind::Param:
    case SymbolKind::Let:
      if (context_ == Context::Fixed) {
        fail(expr.span, fmt::format("{} cannot depend on {} '{}': it is fixed before optimization", context_name_,
                                    symbol.kind == SymbolKind::Param ? "param" : "let", expr.name));
      }
      info.shape = symbol.kind == SymbolKind::Param ? model_.parameters[symbol.slot].shape
                                                    : model_.lets[symbol.slot].shape;
      return info;
    case SymbolKind::Index: break;
  }
  return info;
}

const ExprInfo& Checker::call(ExprId id) {
  const Expr& expr = program_[id];
  const FunctionInfo* function = find_function(expr.name);
  if (function == nullptr) {
    if (const auto it = symbols_.find(expr.name); it != symbols_.end() && it->second.slot != UINT32_MAX) {
      fail(expr.name_span, fmt::format("'{}' is not a function; index it with {}[i]", expr.name, expr.name));
    }
    if (expr.name == "prod") fail(expr.name_span, "prod takes an index range: prod(i in 1:n, EXPR)");
    std::vector<std::string> names;
    for (const FunctionInfo& f : functions()) names.emplace_back(f.name);
    const auto hint = closest_name(expr.name, names);
    fail(expr.name_span, fmt::format("unknown function '{}'{}", expr.name,
                                     hint ? fmt::format("; did you mean '{}'?", *hint) : std::string()));
  }
  const auto count = static_cast<int>(expr.operands.size());
  if (count < function->min_arguments || count > function->max_arguments) {
    const std::string expected = function->min_arguments == function->max_arguments
                                     ? fmt::format("{}", function->min_arguments)
                                     : fmt::format("{} or {}", function->min_arguments, function->max_arguments);
    fail(expr.span, fmt::format("'{}' takes {} argument{}, found {}", expr.name, expected,
                                function->max_arguments == 1 ? "" : "s", count));
  }
  std::vector<Shape> shapes;
  for (const ExprId operand : expr.operands) shapes.push_back(expression(operand).shape);
  ExprInfo& info = model_.info[id];
  info.function = function;
  if (function->kind == FunctionKind::Elementwise) {
    if (count == 1) {
      info.shape = shapes[0];
      return info;
    }
    const auto shape = broadcast(shapes[0], shapes[1]);
    if (!shape) {
      fail(expr.span, fmt::format("'{}' cannot combine {} and {}: {}", expr.name, describe(shapes[0]),
                                  describe(shapes[1]), kBroadcastRule));
    }
    info.shape = *shape;
    return info;
  }
  info.shape = kScalar;
  switch (function->reduction) {
    case Reduction::RowSums:
    case Reduction::RowMeans:
    case Reduction::RowLogSumExp:
    case Reduction::ColSums:
    case Reduction::ColMeans: {
      if (shapes[0].rank != 2) {
        fail(expr.span, fmt::format("'{}' needs a matrix, found {}{}", expr.name, describe(shapes[0]),
                                    shapes[0].rank == 1 ? "; sum, mean and log_sum_exp reduce a vector" : ""));
      }
      const bool rows = function->reduction != Reduction::ColSums && function->reduction != Reduction::ColMeans;
      info.shape = Shape{1, rows ? shapes[0].rows : shapes[0].cols, 1};
      return info;
    }
    case Reduction::Softmax:
    case Reduction::LogSoftmax:
      if (shapes[0].rank == 0) {
        fail(expr.span, fmt::format("'{}' needs a vector (or a matrix, row by row), found a scalar", expr.name));
      }
      info.shape = shapes[0];
      return info;
    case Reduction::None:  // elementwise: above
    case Reduction::Sum:
    case Reduction::Mean:
    case Reduction::Dot:
    case Reduction::Norm:
    case Reduction::LogSumExp:
    case Reduction::LogDensity: break;  // the reductions to a scalar, below
  }
  if (function->reduction == Reduction::LogDensity) {  // scalars broadcast against one shape
    const Shape* shape = nullptr;
    for (std::size_t k = 0; k < shapes.size(); ++k) {
      if (shapes[k].rank == 0) continue;
      if (shape != nullptr && !(shapes[k] == *shape)) {
        fail(program_[expr.operands[k]].span,
             fmt::format("'{}' needs its arguments to be scalars or of one shape, found {} and {}", expr.name,
                         describe(*shape), describe(shapes[k])));
      }
      shape = &shapes[k];
    }
  }
  if (function->reduction == Reduction::Dot &&
      (shapes[0].rank != 1 || shapes[1].rank != 1 || shapes[0].rows != shapes[1].rows)) {
    fail(expr.span, fmt::format("'dot' needs two vectors of the same length, found {} and {}", describe(shapes[0]),
                                describe(shapes[1])));
  }
  if (function->reduction == Reduction::LogSumExp && count == 2 && (shapes[0].rank != 0 || shapes[1].rank != 0)) {
    fail(expr.span, fmt::format("'log_sum_exp' of two arguments needs scalars, found {} and {}; "
                                "log_sum_exp(x) takes one vector",
                                describe(shapes[0]), describe(shapes[1])));
  }
  return info;
}

// A chain a op b op c ... along its left spine, in a loop: constant stack at any length.
const ExprInfo& Checker::binary(ExprId id) {
  std::vector<ExprId> spine;
  left_spine(program_, id, spine);
  ExprInfo left = expression(program_[spine.back()].operands[0]);
  for (auto node = spine.rbegin(); node != spine.rend(); ++node) left = binary_step(*node, left);
  return model_.info[id];
}

// One operation of a chain, its left operand already checked.
const ExprInfo& Checker::binary_step(ExprId id, const ExprInfo& left) {
  const Expr& expr = program_[id];
  const ExprInfo right = expression(expr.operands[1]);
  ExprInfo& info = model_.info[id];
  const Shape& a = left.shape;
  const Shape& b = right.shape;
  const std::string_view op = spelling(expr.op);
  const bool scalar = a.rank == 0 || b.rank == 0;
  auto mismatch = [&](std::string_view hint) {
    fail(expr.span, fmt::format("'{}' cannot combine {} and {}{}", op, describe(a), describe(b), hint));
  };
  switch (expr.op) {
    case BinaryOp::Add:
    case BinaryOp::Subtract:
    case BinaryOp::ElementMultiply:
    case BinaryOp::ElementDivide:
    case BinaryOp::ElementPower: {
      const auto shape = broadcast(a, b);
      if (!shape) mismatch(fmt::format(": {}", kBroadcastRule));
      info.shape = *shape;
      break;
    }
    case BinaryOp::Multiply:
      if (scalar) {
        info.shape = a.rank == 0 ? b : a;
      } else if (a.rank == 2 && a.cols == b.rows) {
        info.shape = b.rank == 1 ? Shape{1, a.rows, 1} : Shape{2, a.rows, b.cols};
      } else if (a.rank == 2) {
        mismatch(fmt::format(": a matrix with {} columns multiplies a vector of length {} or a matrix with {} rows",
                             a.cols, a.cols, a.cols));
      } else if (b.rank == 2) {
        mismatch("; a vector is a column: write A' * v for the products of v with the columns of A");
      } else {
        mismatch("; use '.*' for the elementwise product or dot(a, b)");
      }
      break;
    case BinaryOp::Divide:
      if (!scalar) mismatch("; use './' to divide elementwise");
      info.shape = a.rank == 0 ? b : a;
      break;
    case BinaryOp::Power:
      if (a.rank != 0 || b.rank != 0) mismatch("; use '.^' for elementwise powers");
      info.shape = kScalar;
      break;
    default:  // comparisons
      if (a.rank != 0 || b.rank != 0) mismatch(": comparisons need scalars");
      info.shape = kScalar;
      break;
  }
  info.integral = left.integral && right.integral && is_arithmetic(expr.op);
  return info;
}

const ExprInfo& Checker::index(ExprId id) {
  const Expr& expr = program_[id];
  const Shape base = expression(expr.operands[0]).shape;
  const std::size_t count = expr.operands.size() - 1;
  const Expr& base_expr = program_[expr.operands[0]];
  const std::string what =
      base_expr.kind == ExprKind::Name ? fmt::format("'{}'", base_expr.name) : std::string("the expression");
  if (base.rank == 0) fail(expr.span, fmt::format("cannot index {}: it is a scalar", what));
  if (base.rank == 1 && count == 2) {
    fail(expr.span, fmt::format("{} is a vector {}: index it with one index", what, describe(base)));
  }
  std::size_t lengths[2] = {0, 0};
  bool sliced[2] = {false, false};
  for (std::size_t k = 0; k < count; ++k) {
    sliced[k] = program_[expr.operands[k + 1]].kind == ExprKind::Slice;
    lengths[k] = index_length(expr.operands[0], base, expr.operands[k + 1], k);
  }
  ExprInfo& info = model_.info[id];
  if (base.rank == 1) {
    info.shape = sliced[0] ? Shape{1, lengths[0], 1} : kScalar;
  } else if (count == 1) {  // rows
    info.shape = sliced[0] ? Shape{2, lengths[0], base.cols} : Shape{1, base.cols, 1};
  } else if (sliced[0] && sliced[1]) {
    info.shape = Shape{2, lengths[0], lengths[1]};
  } else if (sliced[0] || sliced[1]) {
    info.shape = Shape{1, sliced[0] ? lengths[0] : lengths[1], 1};
  } else {
    info.shape = kScalar;
  }
  // An element of integer data (class labels y[i]) may index: its value is checked when used.
  info.integral = info.shape.rank == 0 && base_expr.kind == ExprKind::Name &&
                  model_.info[expr.operands[0]].symbol == SymbolKind::Data;
  return info;
}

std::size_t Checker::index_length(ExprId base, const Shape& shape, ExprId index, std::size_t k) {
  const Expr& expr = program_[index];
  const std::size_t extent = k == 0 ? shape.rows : shape.cols;
  const std::string what =
      program_[base].kind == ExprKind::Name ? fmt::format("'{}'", program_[base].name) : std::string("the expression");
  auto out_of_range = [&](ExprId at, std::int64_t value) {
    fail(program_[at].span, fmt::format("index {} is out of range for {} {} (indices run from 1 to {})", value, what,
                                        describe(shape), extent));
  };
  if (expr.kind != ExprKind::Slice) {
    require_integer(index, "an index");
    if (const auto value = static_integer(index); value && (*value < 1 || static_cast<std::uint64_t>(*value) > extent)) {
      out_of_range(index, *value);
    }
    return 1;
  }
  model_.info[index].shape = kScalar;
  if (expr.operands.empty()) return extent;  // ':'
  std::int64_t bounds[2] = {0, 0};
  for (std::size_t side = 0; side < 2; ++side) {
    const ExprId bound = expr.operands[side];
    require_integer(bound, "a slice bound");
    const auto value = static_integer(bound);
    if (!value) {
      fail(program_[bound].span, "a slice bound must be known before optimization (integer literals, integer consts "
                                 "and dimensions with + - *), so that the slice has one length");
    }
    if (*value < 1 || static_cast<std::uint64_t>(*value) > extent) out_of_range(bound, *value);
    bounds[side] = *value;
  }
  if (bounds[1] < bounds[0]) {
    fail(expr.span, fmt::format("the slice {}:{} is empty: its end must be at least its start", bounds[0], bounds[1]));
  }
  return static_cast<std::size_t>(bounds[1] - bounds[0] + 1);
}

const ExprInfo& Checker::transpose(ExprId id) {
  const Shape shape = expression(program_[id].operands[0]).shape;
  ExprInfo& info = model_.info[id];
  // A vector is a column [n] (an n x 1 matrix), so its transpose is the row [1, n].
  info.shape = shape.rank == 0 ? kScalar : Shape{2, shape.cols, shape.rows};
  return info;
}

const ExprInfo& Checker::reduce(ExprId id) {
  const Expr& expr = program_[id];
  if (expr.name != "sum" && expr.name != "prod") {
    fail(expr.name_span, fmt::format("only sum and prod take an index range, found '{}'", expr.name));
  }
  require_integer(expr.operands[0], "a range bound");
  require_integer(expr.operands[1], "a range bound");
  if (const auto it = symbols_.find(expr.index); it != symbols_.end() && it->second.slot != UINT32_MAX) {
    fail(expr.index_span, fmt::format("loop index '{}' hides the {} declared at {}:{}", expr.index,
                                      kind_name(it->second.kind), it->second.span.begin.line,
                                      it->second.span.begin.column));
  }
  for (const auto& outer : indices_) {
    if (outer.first == expr.index) {
      fail(expr.index_span, fmt::format("loop index '{}' hides the loop index declared at {}:{}", expr.index,
                                        outer.second.begin.line, outer.second.begin.column));
    }
  }
  indices_.emplace_back(expr.index, expr.index_span);
  model_.index_slots = std::max(model_.index_slots, static_cast<std::uint32_t>(indices_.size()));
  const Shape body = expression(expr.operands[2]).shape;
  indices_.pop_back();
  if (body.rank != 0) {
    fail(program_[expr.operands[2]].span,
         fmt::format("the body of {} must be a scalar, found {}", expr.name, describe(body)));
  }
  ExprInfo& info = model_.info[id];
  info.shape = kScalar;
  info.slot = static_cast<std::uint32_t>(indices_.size());
  return info;
}

void Checker::require_integer(ExprId id, std::string_view what) {
  const ExprInfo& info = expression(id);
  if (info.shape.rank != 0 || !info.integral) {
    fail(program_[id].span, fmt::format("{} must be an integer expression (integer literals, integer consts, "
                                         "dimensions, loop indices and elements of data, with + - *)",
                                         what));
  }
}

std::optional<std::int64_t> Checker::static_integer(ExprId id) {
  const Expr& expr = program_[id];
  const ExprInfo& info = model_.info[id];
  std::int64_t result = 0;
  switch (expr.kind) {
    case ExprKind::Number: return static_cast<std::int64_t>(expr.number);
    case ExprKind::Name:
      if (info.symbol == SymbolKind::Index) return std::nullopt;
      return integer_value(model_.consts[info.slot]);
    case ExprKind::Negate: {
      const auto x = static_integer(expr.operands[0]);
      if (!x) return std::nullopt;
      if (__builtin_sub_overflow(std::int64_t{0}, *x, &result)) fail(expr.span, "integer overflow in index arithmetic");
      return result;
    }
    case ExprKind::Binary: {  // along the left spine, in a loop
      std::vector<ExprId> spine;
      left_spine(program_, id, spine);
      std::optional<std::int64_t> a = static_integer(program_[spine.back()].operands[0]);
      for (auto node = spine.rbegin(); node != spine.rend() && a; ++node) {
        const Expr& step = program_[*node];
        const auto b = static_integer(step.operands[1]);
        if (!b) return std::nullopt;
        bool overflow = false;
        std::int64_t value = 0;
        if (step.op == BinaryOp::Add) overflow = __builtin_add_overflow(*a, *b, &value);
        if (step.op == BinaryOp::Subtract) overflow = __builtin_sub_overflow(*a, *b, &value);
        if (step.op == BinaryOp::Multiply) overflow = __builtin_mul_overflow(*a, *b, &value);
        if (overflow) fail(step.span, "integer overflow in index arithmetic");
        a = value;
      }
      return a;
    }
    default: return std::nullopt;
  }
}

}  // namespace slope::lang::detail
