#include "row_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "checker.hpp"
#include "slope/lang/errors.hpp"

namespace slope::lang::detail {

namespace {

/// Which dimension of an expression's shape is the row dimension, if any.
enum class Axis : std::int8_t { None, Rows, Cols };

constexpr std::string_view kCannot = "the rows of this model cannot be split over processes";

class Planner {
 public:
  Planner(const Program& program, const CheckedModel& model, const std::string& file, RowPlan& plan)
      : program_(program), model_(model), file_(file), plan_(plan), let_axis_(model.lets.size(), Axis::None),
        let_has_cut_(model.lets.size(), false) {}

  void run() {
    find_split_data();
    refuse_rows_before_optimization();
    for (std::size_t slot = 0; slot < model_.lets.size(); ++slot) {
      const std::size_t before = reductions_seen_;
      let_axis_[slot] = axis(model_.lets[slot].value, Context{});
      let_has_cut_[slot] = reductions_seen_ != before;
    }
    (void)axis(model_.objective, Context{});
    std::size_t offset = 0;
    for (const ExprId cut : plan_.cuts) {
      plan_.offset.push_back(offset);
      offset += model_.info[cut].shape.size();
    }
    plan_.reduced_size = offset;
  }

 private:
  struct Context {
    std::uint32_t row_index = UINT32_MAX;  ///< the loop index slot of an enclosing `sum(i in 1:n, ...)`
    bool in_cut = false;                   ///< inside a reduction over rows
  };

  [[noreturn]] void refuse(SourceSpan span, std::string_view why) const {
    throw CheckError(file_, span.begin, fmt::format("{}: {}", kCannot, why));
  }

  void find_split_data() {
    for (const Statement& statement : program_.statements) {
      if (statement.kind != StatementKind::Data) continue;
      const bool split = !statement.dimensions.empty() && statement.dimensions[0].name == plan_.dimension;
      plan_.split_data.push_back(split);
      for (std::size_t k = 1; k < statement.dimensions.size(); ++k) {
        if (statement.dimensions[k].name == plan_.dimension) {
          refuse(statement.dimensions[k].span,
                 fmt::format("data '{}' has the row dimension '{}' as its second dimension", statement.name,
                             plan_.dimension));
        }
      }
    }
    for (std::size_t id = 0; id < program_.expressions.size(); ++id) {
      const Expr& expr = program_.expressions[id];
      if (expr.kind == ExprKind::Name && expr.name == plan_.dimension &&
          model_.info[id].symbol == SymbolKind::Dimension) {
        plan_.dimension_slot = model_.info[id].slot;
      }
    }
  }

  /// Consts, initial values, bounds and param shapes are fixed before optimization, from what
  /// one process holds: they must not depend on the split rows.
  void refuse_rows_before_optimization() {
    for (const Statement& statement : program_.statements) {
      if (statement.kind == StatementKind::Param) {
        for (const Dimension& dim : statement.dimensions) {
          if (dim.name == plan_.dimension) {
            refuse(dim.span, fmt::format("param '{}' has the row dimension '{}': a param per row would be split too",
                                         statement.name, plan_.dimension));
          }
        }
      }
      if (statement.kind != StatementKind::Const && statement.kind != StatementKind::Param) continue;
      for (const ExprId id : {statement.value, statement.lower.value, statement.upper.value}) {
        if (id != kNoExpr && uses_rows(id)) {
          refuse(program_[id].span, "it is computed before optimization from the rows, which each process holds "
                                    "only part of; compute it in the objective or pass it with --set");
        }
      }
    }
  }

  /// True when `id` refers to split data or to the row dimension. With a stack of its own: a
  /// flat chain of any length is one level deep for the parser, not for a recursion.
  bool uses_rows(ExprId id) const {
    std::vector<ExprId> pending{id};
    while (!pending.empty()) {
      const ExprId at = pending.back();
      pending.pop_back();
      const Expr& expr = program_[at];
      const ExprInfo& info = model_.info[at];
      if (expr.kind == ExprKind::Name && info.symbol == SymbolKind::Data && plan_.split_data[info.slot]) return true;
      if (expr.kind == ExprKind::Name && info.symbol == SymbolKind::Dimension && expr.name == plan_.dimension) {
        return true;
      }
      pending.insert(pending.end(), expr.operands.begin(), expr.operands.end());
    }
    return false;
  }

  [[noreturn]] void refuse_nested(ExprId id) const {
    refuse(program_[id].span, "this reduction over the rows contains another one (as in sum((x - mean(x))^2)), so the "
                              "rows of one process depend on those of the others");
  }

  /// Marks `id` a reduction over rows; `inner` is reductions_seen_ before its operands were
  /// planned (a reduction among them would be nested).
  void cut(ExprId id, const Context& ctx, std::size_t inner, double divisor = 1.0, bool root = false) {
    if (ctx.in_cut || reductions_seen_ != inner) refuse_nested(id);
    ++reductions_seen_;
    plan_.cut_of[id] = static_cast<std::uint32_t>(plan_.cuts.size());
    plan_.cuts.push_back(id);
    plan_.divisor.push_back(divisor);
    plan_.square_root.push_back(root);
  }

  /// The number of elements of an expression of axis `a` over all processes.
  double global_size(ExprId id, Axis a) const {
    const Shape& shape = model_.info[id].shape;
    const double other = a == Axis::Rows ? static_cast<double>(shape.cols) : static_cast<double>(shape.rows);
    return other * plan_.global_rows;
  }

  /// The axis of `a op b` for an elementwise op (or a scalar product): the same axis, or one
  /// side without rows that broadcasts (a scalar, or a vector over the rows of a matrix).
  Axis combine(ExprId id, ExprId left, Axis a, ExprId right, Axis b) const {
    if (a == b) return a;
    const bool a_rows = a != Axis::None;
    const Axis rows = a_rows ? a : b;
    const Shape& other = model_.info[a_rows ? right : left].shape;
    const Shape& split = model_.info[a_rows ? left : right].shape;
    if (a != Axis::None && b != Axis::None) {
      refuse(program_[id].span, "it combines a value split by rows with one split by columns");
    }
    if (other.rank == 0 || (other.rank == 1 && split.rank == 2 && rows == Axis::Rows)) return rows;
    refuse(program_[id].span, "it combines values split by rows with a value that is not");
  }

  Axis axis(ExprId id, const Context& ctx) {
    const Expr& expr = program_[id];
    const ExprInfo& info = model_.info[id];
    switch (expr.kind) {
      case ExprKind::Number: return Axis::None;
      case ExprKind::Name:
        if (info.symbol == SymbolKind::Data) return plan_.split_data[info.slot] ? Axis::Rows : Axis::None;
        if (info.symbol == SymbolKind::Let) {
          if (let_has_cut_[info.slot]) {
            if (ctx.in_cut) refuse_nested(id);
            ++reductions_seen_;  // a reduction, as far as the expressions around this one go
          }
          return let_axis_[info.slot];
        }
        return Axis::None;
      case ExprKind::Negate: return axis(expr.operands[0], ctx);
      case ExprKind::Transpose: {
        const Axis a = axis(expr.operands[0], ctx);
        return a == Axis::Rows ? Axis::Cols : a == Axis::Cols ? Axis::Rows : Axis::None;
      }
      case ExprKind::Binary: return binary(id, ctx);
      case ExprKind::Call: return call(id, ctx);
      case ExprKind::Index: return index(id, ctx);
      case ExprKind::Slice:
        for (const ExprId operand : expr.operands) (void)axis(operand, ctx);
        return Axis::None;
      case ExprKind::Vector:
      case ExprKind::Condition: {
        Axis result = Axis::None;
        for (std::size_t k = 0; k < expr.operands.size(); ++k) {
          const Axis a = axis(expr.operands[k], ctx);
          if (k == 0 && expr.kind == ExprKind::Condition) continue;  // a scalar
          if (k > (expr.kind == ExprKind::Condition ? 1u : 0u) && a != result) {
            refuse(expr.span, "its parts are split over processes differently");
          }
          result = a;
        }
        return result;
      }
      case ExprKind::Reduce: return reduce(id, ctx);
    }
    return Axis::None;
  }

  Axis binary(ExprId id, const Context& ctx) {
    std::vector<ExprId> spine;
    left_spine(program_, id, spine);
    const std::size_t inner = reductions_seen_;
    ExprId left_id = program_[spine.back()].operands[0];
    Axis left = axis(left_id, ctx);
    for (auto node = spine.rbegin(); node != spine.rend(); ++node) {
      const Expr& expr = program_[*node];
      const Axis right = axis(expr.operands[1], ctx);
      const Shape& a = model_.info[left_id].shape;
      const Shape& b = model_.info[expr.operands[1]].shape;
      if (expr.op == BinaryOp::Multiply && a.rank != 0 && b.rank != 0) {  // a matrix product
        if (left == Axis::Cols && right == Axis::Rows) {  // X' * r: a sum over the rows
          cut(*node, ctx, inner);
          left = Axis::None;
        } else if (right == Axis::None && left != Axis::Cols) {
          // X * W keeps the rows of X: left stays
        } else if (left == Axis::None && right == Axis::Cols) {
          left = Axis::Cols;  // A * X' keeps the columns of X'
        } else {
          refuse(expr.span, "this product pairs the rows of one process with values that are not split the same way");
        }
      } else {
        left = combine(*node, left_id, left, expr.operands[1], right);
      }
      left_id = *node;
    }
    return left;
  }

  Axis call(ExprId id, const Context& ctx) {
    const Expr& expr = program_[id];
    const FunctionInfo& f = *model_.info[id].function;
    const std::size_t inner = reductions_seen_;
    std::vector<Axis> axes;
    for (const ExprId operand : expr.operands) axes.push_back(axis(operand, ctx));
    const bool any_rows = std::any_of(axes.begin(), axes.end(), [](Axis a) { return a != Axis::None; });
    if (f.kind == FunctionKind::Elementwise) {
      return axes.size() == 1 ? axes[0] : combine(id, expr.operands[0], axes[0], expr.operands[1], axes[1]);
    }
    if (!any_rows) return Axis::None;
    switch (f.reduction) {
      case Reduction::Sum:
      case Reduction::LogDensity:
        for (std::size_t k = 0; k < axes.size(); ++k) {
          if (axes[k] == Axis::None && model_.info[expr.operands[k]].shape.rank != 0) {
            refuse(program_[expr.operands[k]].span, "its arguments split by rows meet one that is not");
          }
        }
        cut(id, ctx, inner);
        return Axis::None;
      case Reduction::Mean:
        cut(id, ctx, inner, global_size(expr.operands[0], axes[0]));
        return Axis::None;
      case Reduction::Norm:
        cut(id, ctx, inner, 1.0, true);
        return Axis::None;
      case Reduction::Dot:
        if (axes[0] != Axis::Rows || axes[1] != Axis::Rows) {
          refuse(expr.span, "dot pairs a vector split by rows with one that is not");
        }
        cut(id, ctx, inner);
        return Axis::None;
      case Reduction::ColSums:
      case Reduction::ColMeans:
        if (axes[0] == Axis::Cols) return Axis::Rows;  // col_sums(X') sums each row of X
        cut(id, ctx, inner, f.reduction == Reduction::ColMeans ? plan_.global_rows : 1.0);
        return Axis::None;
      case Reduction::RowSums:
      case Reduction::RowMeans:
        if (axes[0] == Axis::Rows) return Axis::Rows;
        cut(id, ctx, inner, f.reduction == Reduction::RowMeans ? plan_.global_rows : 1.0);
        return Axis::None;
      case Reduction::RowLogSumExp:
      case Reduction::Softmax:
      case Reduction::LogSoftmax:
        if (axes[0] == Axis::Rows && model_.info[expr.operands[0]].shape.rank == 2) return Axis::Rows;
        refuse(expr.span, fmt::format("'{}' here mixes the rows of all processes", expr.name));
      case Reduction::LogSumExp:
        refuse(expr.span, "log_sum_exp over the rows is not split over processes (write the model with sums)");
      case Reduction::None: break;
    }
    return Axis::None;
  }

  Axis index(ExprId id, const Context& ctx) {
    const Expr& expr = program_[id];
    const Axis base = axis(expr.operands[0], ctx);
    for (std::size_t k = 1; k < expr.operands.size(); ++k) (void)axis(expr.operands[k], ctx);
    if (base == Axis::None) return Axis::None;
    const Expr& first = program_[expr.operands[1]];
    if (base == Axis::Rows) {
      if (first.kind == ExprKind::Name && model_.info[expr.operands[1]].symbol == SymbolKind::Index &&
          model_.info[expr.operands[1]].slot == ctx.row_index) {
        return Axis::None;  // row i of the loop over all rows: this process's own row
      }
      if (first.kind == ExprKind::Slice && first.operands.empty()) return Axis::Rows;  // X[:, j]
    }
    refuse(expr.span, fmt::format("it reads rows by number; only the index of 'sum({} in 1:{}, ...)' and ':' may "
                                  "pick rows when they are split over processes",
                                  "i", plan_.dimension));
  }

  /// True for the range 1:n over all rows.
  bool all_rows(const Expr& reduce) const {
    const Expr& first = program_[reduce.operands[0]];
    const Expr& last = program_[reduce.operands[1]];
    return first.kind == ExprKind::Number && first.number == 1.0 && last.kind == ExprKind::Name &&
           last.name == plan_.dimension && model_.info[reduce.operands[1]].symbol == SymbolKind::Dimension;
  }

  Axis reduce(ExprId id, const Context& ctx) {
    const Expr& expr = program_[id];
    const ExprInfo& info = model_.info[id];
    if (all_rows(expr)) {
      if (ctx.row_index != UINT32_MAX) refuse(expr.span, "a loop over all rows inside another pairs rows of different processes");
      if (expr.name != "sum") refuse(expr.span, "prod over the rows is not split over processes");
      const std::size_t inner = reductions_seen_;
      (void)axis(expr.operands[2], Context{info.slot, true});
      cut(id, ctx, inner);
      return Axis::None;
    }
    if (uses_rows(expr.operands[0]) || uses_rows(expr.operands[1])) {
      refuse(expr.span, fmt::format("a loop over some of the rows: only 'sum(i in 1:{}, ...)' is split", plan_.dimension));
    }
    (void)axis(expr.operands[2], ctx);
    return Axis::None;
  }

  const Program& program_;
  const CheckedModel& model_;
  const std::string& file_;
  RowPlan& plan_;
  std::vector<Axis> let_axis_;
  std::vector<bool> let_has_cut_;
  std::size_t reductions_seen_ = 0;  ///< cuts planned, and uses of lets that hold one
};

}  // namespace

namespace {

/// How an expression depends on the reductions over rows: not at all, affinely (a sum of
/// cuts times factors that do not depend on them), or otherwise.
enum class Dependence : std::uint8_t { None, Affine, Other };

Dependence join(Dependence a, Dependence b) { return std::max(a, b); }

/// a * b where one factor does not depend on the cuts: affine if the other is.
Dependence product(Dependence a, Dependence b) {
  if (a == Dependence::None) return b;
  if (b == Dependence::None) return a;
  return Dependence::Other;
}

/// Whether the objective is an affine function of the cuts' sums for fixed params, so that
/// its derivative by them is known before they are: bottom up over the expressions, whose
/// operands come before them (a program where they do not is taken as not affine).
bool affine_in_cuts(const Program& program, const CheckedModel& model, const RowPlan& plan) {
  const std::size_t count = program.expressions.size();
  std::vector<Dependence> dependence(count, Dependence::None);
  const auto of = [&](ExprId at, ExprId operand) {
    return operand < at ? dependence[operand] : Dependence::Other;
  };
  for (ExprId id = 0; id < count; ++id) {
    const Expr& expr = program.expressions[id];
    const ExprInfo& info = model.info[id];
    Dependence all = Dependence::None;
    for (const ExprId operand : expr.operands) all = join(all, of(id, operand));
    const auto nonlinear = [&] { return all == Dependence::None ? Dependence::None : Dependence::Other; };
    Dependence d = Dependence::None;
    if (plan.cut_of[id] != RowPlan::kNotACut) {
      d = plan.square_root[plan.cut_of[id]] ? Dependence::Other : Dependence::Affine;
    } else {
      switch (expr.kind) {
        case ExprKind::Number:
        case ExprKind::Slice: break;
        case ExprKind::Name:
          if (info.symbol == SymbolKind::Let) d = of(id, model.lets[info.slot].value);
          break;
        case ExprKind::Negate:
        case ExprKind::Transpose:
        case ExprKind::Vector: d = all; break;
        case ExprKind::Binary: {
          const Dependence a = of(id, expr.operands[0]), b = of(id, expr.operands[1]);
          switch (expr.op) {
            case BinaryOp::Add:
            case BinaryOp::Subtract: d = join(a, b); break;
            case BinaryOp::Multiply:
            case BinaryOp::ElementMultiply: d = product(a, b); break;
            case BinaryOp::Divide:
            case BinaryOp::ElementDivide: d = b == Dependence::None ? a : Dependence::Other; break;
            case BinaryOp::Power:
            case BinaryOp::ElementPower:
            case BinaryOp::Less:
            case BinaryOp::LessEqual:
            case BinaryOp::Greater:
            case BinaryOp::GreaterEqual:
            case BinaryOp::Equal:
            case BinaryOp::NotEqual: d = nonlinear(); break;
          }
          break;
        }
        case ExprKind::Call: {
          static constexpr std::string_view kLinear[] = {"sum", "mean", "col_sums", "row_sums", "col_means", "row_means"};
          if (std::find(std::begin(kLinear), std::end(kLinear), expr.name) != std::end(kLinear)) {
            d = all;
          } else if (expr.name == "dot" && expr.operands.size() == 2) {
            d = product(of(id, expr.operands[0]), of(id, expr.operands[1]));
          } else {
            d = nonlinear();
          }
          break;
        }
        case ExprKind::Index: {  // picking elements is linear; an index that depends on the cuts is not
          Dependence indices = Dependence::None;
          for (std::size_t k = 1; k < expr.operands.size(); ++k) indices = join(indices, of(id, expr.operands[k]));
          d = indices == Dependence::None ? of(id, expr.operands[0]) : Dependence::Other;
          break;
        }
        case ExprKind::Condition:  // a condition on the cuts makes a kink
          d = of(id, expr.operands[0]) == Dependence::None ? all : Dependence::Other;
          break;
        case ExprKind::Reduce:  // sum(i in a:b, body) is linear in the body; prod is not
          d = expr.name == "sum" && of(id, expr.operands[0]) == Dependence::None &&
                      of(id, expr.operands[1]) == Dependence::None
                  ? all
                  : nonlinear();
          break;
      }
    }
    dependence[id] = d;
  }
  return dependence[model.objective] != Dependence::Other;
}

}  // namespace

RowPlan plan_rows(const Program& program, const CheckedModel& model, const std::string& file,
                  std::string_view dimension, std::size_t global_rows) {
  RowPlan plan;
  plan.dimension = std::string(dimension);
  plan.dimension_slot = UINT32_MAX;
  plan.global_rows = static_cast<double>(global_rows);
  plan.cut_of.assign(program.expressions.size(), RowPlan::kNotACut);
  Planner(program, model, file, plan).run();
  plan.affine = affine_in_cuts(program, model, plan);
  return plan;
}

}  // namespace slope::lang::detail
