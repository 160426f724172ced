#include "evaluate.hpp"

#include "densities.hpp"

#include <fmt/format.h>

#include <limits>
#include <optional>
#include <type_traits>

#include <slope/autodiff.hpp>

#include "checker.hpp"
#include "math.hpp"
#include "matrix_ops.hpp"
#include "row_plan.hpp"
#include "slope/lang/errors.hpp"
#include "value.hpp"
#include "vector_ops.hpp"

namespace slope::lang::detail {

namespace {

/// Walks a checked expression tree. Recursion is bounded by the parser's kMaxExpressionDepth.
template <class T>
class Evaluator {
 public:
  Evaluator(const Program& program, const CheckedModel& model, const std::string& file, std::span<const T> theta,
            std::uint64_t budget)
      : program_(program), model_(model), file_(file), theta_(theta), lets_(model.lets.size()),
        indices_(model.index_slots), budget_(budget) {}

  /// The evaluation of one process of a split model (see row_plan.hpp): `reduced` empty for
  /// the first stage (the local parts of the reductions over rows), the summed parts for the
  /// second (the objective).
  void split(const RowPlan& plan, std::span<const T> reduced) {
    plan_ = &plan;
    reduced_ = reduced;
    global_rows_ = plan.global_rows;
  }

  /// The objective (a let is evaluated when first used).
  T objective() { return eval(model_.objective)[0]; }

  /// The local parts of the reductions over rows, one after the other.
  std::vector<T> local_parts() {
    std::vector<T> out;
    out.reserve(plan_->reduced_size);
    for (const ExprId cut : plan_->cuts) {
      charge(cut);
      const Value<T> part = attributed(cut, [&] { return local_part(cut); });
      for (std::size_t i = 0; i < part.size(); ++i) out.push_back(part[i]);
    }
    return out;
  }

  Value<T> eval(ExprId id) {
    if (plan_ != nullptr && !reduced_.empty() && plan_->cut_of[id] != RowPlan::kNotACut) return summed(id);
    charge(id);
    return attributed(id, [&] { return dispatch(id); });
  }

 private:
  /// f(), with a domain error inside it reported at node id (on a checked tape): the innermost
  /// expression whose operation failed, whose span is what the user wrote.
  template <class F>
  Value<T> attributed(ExprId id, F f) {
    if constexpr (std::is_same_v<T, Var>) {
      try {
        return f();
      } catch (const DomainError& error) {
        throw EvaluationError(file_, program_[id].span, error.operation(), error.what());
      }
    } else {
      return f();
    }
  }

  Value<T> dispatch(ExprId id) {
    const Expr& expr = program_[id];
    const ExprInfo& info = model_.info[id];
    switch (expr.kind) {
      case ExprKind::Number: return Value<T>::scalar(T(expr.number));
      case ExprKind::Name: return name(info);
      case ExprKind::Negate: return map(eval(expr.operands[0]), [](const auto& x) { return -x; });
      case ExprKind::Binary: return binary(id);
      case ExprKind::Call: return call(expr, info);
      case ExprKind::Index: return index(expr, info);
      case ExprKind::Vector: {
        std::vector<T> items;
        items.reserve(expr.operands.size());
        for (const ExprId element : expr.operands) items.push_back(eval(element)[0]);
        return Value<T>::owned(info.shape, std::move(items));
      }
      case ExprKind::Reduce: return reduce(expr, info);
      case ExprKind::Transpose: return transpose(eval(expr.operands[0]), info.shape);
      case ExprKind::Slice: break;  // only inside an index (the checker makes sure)
      case ExprKind::Condition: {
        const bool condition = slope::value(eval(expr.operands[0])[0]) != 0.0;
        return eval(expr.operands[condition ? 1 : 2]);
      }
    }
    return Value<T>::scalar(T(0.0));
  }

  Value<T> name(const ExprInfo& info) {
    switch (info.symbol) {
      case SymbolKind::Data: return Value<T>::passive(info.shape, model_.data[info.slot]->entries());
      case SymbolKind::Dimension:
        // The row dimension of a split model stands for all rows (its loops run over this
        // process's rows: integer() reads the bound value).
        if (plan_ != nullptr && info.slot == plan_->dimension_slot) {
          return Value<T>::passive(info.shape, std::span<const double>(&global_rows_, 1));
        }
        [[fallthrough]];
      case SymbolKind::Const: return Value<T>::passive(info.shape, model_.consts[info.slot].values);
      case SymbolKind::Param: {
        const ParameterInfo& param = model_.parameters[info.slot];
        return Value<T>::view(info.shape, theta_.subspan(param.offset, param.shape.size()));
      }
      case SymbolKind::Let: {
        if (!lets_[info.slot]) lets_[info.slot] = eval(model_.lets[info.slot].value);
        const Value<T>& let = *lets_[info.slot];
        if (let.is_passive()) {  // a view of data stays one; doubles the let computed live as long as this evaluation
          return let.is_view() ? Value<T>::passive(info.shape, let.doubles())
                               : Value<T>::passive_scoped(info.shape, let.doubles());
        }
        return Value<T>::view(info.shape, let.items());
      }
      case SymbolKind::Index: return Value<T>::scalar(T(static_cast<double>(indices_[info.slot])));
    }
    return Value<T>::scalar(T(0.0));
  }

  /// f of each element; passive stays passive (in checked mode constants are still checked,
  /// since f of a constant Var goes through the rule's checks without recording).
  template <class F>
  Value<T> map(const Value<T>& x, F f) {
    if (x.shape().rank == 0 && !x.is_passive()) return Value<T>::scalar(f(x[0]));
    if (x.is_passive()) {
      std::vector<double> out(x.size());
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = slope::value(f(x[i]));
      return Value<T>::passive_owned(x.shape(), std::move(out));
    }
    std::vector<T> out(x.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = f(x[i]);
    return Value<T>::owned(x.shape(), std::move(out));
  }

  /// f elementwise, broadcasting a scalar against the other side, or a vector [k] over the rows
  /// of a matrix [n, k] (the checker allowed only these): element i of a side of size s is its
  /// element i mod s.
  template <class F>
  Value<T> zip(const Value<T>& a, const Value<T>& b, F f) {
    // The side of higher rank gives the shape (equal ranks: equal shapes), also for an empty vector.
    const Shape shape = a.shape().rank >= b.shape().rank ? a.shape() : b.shape();
    const std::size_t size_a = a.size();
    const std::size_t size_b = b.size();
    auto at = [](std::size_t i, std::size_t size) { return size == 1 ? 0 : i % size; };
    if (a.is_passive() && b.is_passive()) {
      std::vector<double> out(shape.size());
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = slope::value(f(a[at(i, size_a)], b[at(i, size_b)]));
      return Value<T>::passive_owned(shape, std::move(out));
    }
    if (shape.rank == 0) return Value<T>::scalar(f(a[0], b[0]));
    std::vector<T> out(shape.size());
    if (size_a == size_b) {
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = f(a[i], b[i]);
    } else {
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = f(a[at(i, size_a)], b[at(i, size_b)]);
    }
    return Value<T>::owned(shape, std::move(out));
  }

  /// A chain a op b op c ... along its left spine, in a loop: constant stack at any length. Each
  /// operation is charged and names its own span on a domain error, as eval would.
  Value<T> binary(ExprId id) {
    std::vector<ExprId> spine;
    left_spine(program_, id, spine);
    if (plan_ != nullptr && !reduced_.empty()) {  // the outermost reduction over rows in the chain: summed
      for (std::size_t k = 1; k < spine.size(); ++k) {
        if (plan_->cut_of[spine[k]] != RowPlan::kNotACut) return binary_from(id, spine, k, summed(spine[k]));
      }
    }
    const ExprId first = program_[spine.back()].operands[0];
    // X' * b with data X: the product references X instead of a transposed copy of it.
    if constexpr (std::is_same_v<T, Var>) {
      if (program_[first].kind == ExprKind::Transpose && program_[spine.back()].op == BinaryOp::Multiply &&
          model_.info[program_[spine.back()].operands[1]].shape.rank != 0) {
        const ExprId data = program_[first].operands[0];
        if (model_.info[data].shape.rank == 2 && program_[data].kind == ExprKind::Name &&
            model_.info[data].symbol == SymbolKind::Data) {
          charge(first);
          const Value<T> x = eval(data);
          const Value<T> b = eval(program_[spine.back()].operands[1]);
          if (!b.is_passive()) {
            Value<T> left = attributed(spine.back(), [&] { return transposed_data_product(x, b); });
            return binary_from(id, spine, spine.size() - 1, std::move(left));
          }
        }
      }
    }
    return binary_from(id, spine, spine.size(), eval(first));
  }

  /// The rest of a chain: the operations spine[pending - 1], ..., spine[0] applied to `left`.
  Value<T> binary_from(ExprId id, const std::vector<ExprId>& spine, std::size_t pending, Value<T> left) {
    for (auto node = spine.rbegin() + static_cast<std::ptrdiff_t>(spine.size() - pending); node != spine.rend(); ++node) {
      if (*node != id) charge(*node);  // eval charged the outermost
      const Expr& expr = program_[*node];
      const Value<T> b = eval(expr.operands[1]);
      left = attributed(*node, [&] {
        if (expr.op == BinaryOp::Multiply && left.shape().rank != 0 && b.shape().rank != 0) return matrix_product(left, b);
        const BinaryOp op = expr.op;
        return zip(left, b, [op](const auto& x, const auto& y) { return apply(op, x, y); });
      });
    }
    return left;
  }

  /// A log density over its elements: the arguments broadcast (scalars) to one shape, each
  /// element's log density (densities.hpp), then their sum.
  Value<T> log_density(const Expr& expr, Density density) {
    std::vector<Value<T>> args;
    args.reserve(expr.operands.size());
    std::size_t n = 1;
    for (const ExprId operand : expr.operands) {
      args.push_back(eval(operand));
      if (args.back().shape().rank != 0) n = args.back().size();
    }
    std::vector<T> element(args.size());
    std::vector<T> terms(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < args.size(); ++k) element[k] = args[k][args[k].shape().rank == 0 ? 0 : i];
      terms[i] = detail::log_density<T>(density, element);
    }
    return Value<T>::scalar(slope::sum(std::span<const T>(terms)));
  }

  Value<T> call(const Expr& expr, const ExprInfo& info) {
    const FunctionInfo& f = *info.function;
    if (f.reduction == Reduction::LogDensity) return log_density(expr, f.density);
    const Value<T> a = eval(expr.operands[0]);
    if (expr.operands.size() == 2) {
      const Value<T> b = eval(expr.operands[1]);
      if (f.reduction == Reduction::Dot) return Value<T>::scalar(dot(a, b));
      const detail::BinaryFunction<T> fn = detail::binary_function<T>(f.rule);
      return zip(a, b, [fn](const T& x, const T& y) { return fn(x, y); });
    }
    switch (f.reduction) {
      case Reduction::Sum: return Value<T>::scalar(sum(a));
      case Reduction::Mean: return Value<T>::scalar(sum(a) / static_cast<double>(a.size()));
      case Reduction::Norm: return Value<T>::scalar(apply_unary<Sqrt>(dot(a, a)));
      case Reduction::LogSumExp: return Value<T>::scalar(log_sum_exp(a));
      case Reduction::RowSums:
      case Reduction::RowMeans:
      case Reduction::ColSums:
      case Reduction::ColMeans: {
        const bool rows = f.reduction == Reduction::RowSums || f.reduction == Reduction::RowMeans;
        const bool mean = f.reduction == Reduction::RowMeans || f.reduction == Reduction::ColMeans;
        return along(a, rows, mean, [](auto line) { return slope::sum(line); });
      }
      case Reduction::RowLogSumExp: return along(a, true, false, [](auto line) { return slope::log_sum_exp(line); });
      case Reduction::Softmax: return softmax(a, false);
      case Reduction::LogSoftmax: return softmax(a, true);
      case Reduction::None: {
        const detail::UnaryFunction<T> fn = detail::unary_function<T>(f.rule);
        return map(a, [fn](const T& x) { return fn(x); });
      }
      case Reduction::Dot: break;  // two arguments: above
      case Reduction::LogDensity: break;  // above
    }
    throw slope::Error("slope::lang internal error: dot with one argument passed the checker");
  }

  Value<T> index(const Expr& expr, const ExprInfo& info) {
    Value<T> base = eval(expr.operands[0]);
    const Shape& shape = base.shape();
    // The selected rows and columns: [first, first + count) along each dimension.
    std::size_t first[2] = {0, 0};
    std::size_t count[2] = {shape.rows, shape.cols};
    for (std::size_t k = 0; k + 1 < expr.operands.size(); ++k) {
      const ExprId index = expr.operands[k + 1];
      const std::size_t extent = k == 0 ? shape.rows : shape.cols;
      const Expr& slice = program_[index];
      if (slice.kind != ExprKind::Slice) {
        first[k] = checked_index(expr, k + 1, extent);
        count[k] = 1;
      } else if (!slice.operands.empty()) {  // a:b, checked static and in range
        first[k] = static_cast<std::size_t>(integer(slice.operands[0]) - 1);
        count[k] = static_cast<std::size_t>(integer(slice.operands[1])) - first[k];
      }
    }
    if (info.shape.rank == 0) return Value<T>::scalar(base[first[0] * shape.cols + first[1]]);
    const std::size_t begin = first[0] * shape.cols + first[1];
    if (count[1] == shape.cols || count[0] == 1) {  // consecutive elements: a view of a view
      const std::size_t size = count[0] * count[1];
      if (base.is_view()) {
        if (base.is_passive()) return Value<T>::passive(info.shape, base.doubles().subspan(begin, size));
        return Value<T>::view(info.shape, base.items().subspan(begin, size));
      }
      if (base.is_passive()) {
        const auto values = base.doubles().subspan(begin, size);
        return Value<T>::passive_owned(info.shape, std::vector<double>(values.begin(), values.end()));
      }
      const auto items = base.items().subspan(begin, size);
      return Value<T>::owned(info.shape, std::vector<T>(items.begin(), items.end()));
    }
    // a block of columns: gathered
    std::vector<T> items;
    std::vector<double> values;
    for (std::size_t i = first[0]; i < first[0] + count[0]; ++i) {
      for (std::size_t j = first[1]; j < first[1] + count[1]; ++j) {
        if (base.is_passive()) {
          values.push_back(base.doubles()[i * shape.cols + j]);
        } else {
          items.push_back(base[i * shape.cols + j]);
        }
      }
    }
    if (base.is_passive()) return Value<T>::passive_owned(info.shape, std::move(values));
    return Value<T>::owned(info.shape, std::move(items));
  }

  /// This process's part of reduction `cut`: a mean's sum, a norm's squared sum, the rest as
  /// they are (a sum, a dot product, a log density, X' * r, a loop over the rows).
  Value<T> local_part(ExprId cut) {
    const Expr& expr = program_[cut];
    if (expr.kind == ExprKind::Call) {
      const FunctionInfo& f = *model_.info[cut].function;
      switch (f.reduction) {
        case Reduction::Mean: return Value<T>::scalar(sum(eval(expr.operands[0])));
        case Reduction::Norm: {
          const Value<T> a = eval(expr.operands[0]);
          return Value<T>::scalar(dot(a, a));
        }
        case Reduction::ColMeans:
        case Reduction::RowMeans:
          return along(eval(expr.operands[0]), f.reduction == Reduction::RowMeans, false,
                       [](auto line) { return slope::sum(line); });
        case Reduction::None:
        case Reduction::Sum:
        case Reduction::Dot:
        case Reduction::LogSumExp:
        case Reduction::LogDensity:
        case Reduction::RowSums:
        case Reduction::ColSums:
        case Reduction::RowLogSumExp:
        case Reduction::Softmax:
        case Reduction::LogSoftmax: break;  // their value is their local part
      }
    }
    return expr.kind == ExprKind::Binary ? binary(cut) : dispatch(cut);
  }

  /// Reduction `cut` from its parts summed over the processes.
  Value<T> summed(ExprId cut) {
    const std::uint32_t k = plan_->cut_of[cut];
    const Shape& shape = model_.info[cut].shape;
    std::vector<T> out(shape.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = reduced_[plan_->offset[k] + i];
      if (plan_->divisor[k] != 1.0) out[i] = out[i] / plan_->divisor[k];
      if (plan_->square_root[k]) out[i] = apply_unary<Sqrt>(out[i]);
    }
    if (shape.rank == 0) return Value<T>::scalar(out[0]);
    return Value<T>::owned(shape, std::move(out));
  }

  /// Counts the work of evaluating `id` (its number of elements) against the budget, which
  /// bounds the evaluation of consts and initial values during a check.
  void charge(ExprId id) {
    const std::uint64_t work = model_.info[id].shape.size();
    if (work > budget_) {
      throw CheckError(file_, program_[id].span.begin,
                       fmt::format("evaluating this takes more than {} operations; consts and initial values must "
                                   "be cheap to compute",
                                   kFixedEvaluationBudget));
    }
    budget_ -= work;
  }

  /// The 0-based position of index `operand` of `expr`; out of range is an EvaluationError.
  std::size_t checked_index(const Expr& expr, std::size_t operand, std::size_t extent) {
    const std::int64_t k = integer(expr.operands[operand]);
    if (k < 1 || static_cast<std::uint64_t>(k) > extent) {
      const Expr& base = program_[expr.operands[0]];
      const std::string what = base.kind == ExprKind::Name ? fmt::format("'{}'", base.name) : "the expression";
      throw EvaluationError(file_, program_[expr.operands[operand]].span, "index",
                            fmt::format("index {} is out of range for {} {} (indices run from 1 to {}){}", k, what,
                                        describe(model_.info[expr.operands[0]].shape), extent,
                                        data_place(expr.operands[operand])));
    }
    return static_cast<std::size_t>(k - 1);
  }

  Value<T> reduce(const Expr& expr, const ExprInfo& info) {
    const std::int64_t first = integer(expr.operands[0]);
    const std::int64_t last = integer(expr.operands[1]);
    const bool product = expr.name == "prod";
    T accumulator(product ? 1.0 : 0.0);
    if (last < first) return Value<T>::scalar(accumulator);
    // Count in unsigned arithmetic: last - first may not fit in int64.
    const std::uint64_t count = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first) + 1;
    for (std::uint64_t k = 0; k < count; ++k) {
      indices_[info.slot] = static_cast<std::int64_t>(static_cast<std::uint64_t>(first) + k);
      const Value<T> body = eval(expr.operands[2]);
      if (product) {
        accumulator *= body[0];
      } else {
        accumulator += body[0];
      }
    }
    return Value<T>::scalar(accumulator);
  }

  /// Integer arithmetic of indices and ranges; the checker allowed only these forms.
  std::int64_t integer(ExprId id) {
    const Expr& expr = program_[id];
    const ExprInfo& info = model_.info[id];
    std::int64_t result = 0;
    switch (expr.kind) {
      case ExprKind::Number: return static_cast<std::int64_t>(expr.number);
      case ExprKind::Name:
        if (info.symbol == SymbolKind::Index) return indices_[info.slot];
        return integer_value(model_.consts[info.slot]).value_or(0);
      case ExprKind::Negate:
        if (__builtin_sub_overflow(std::int64_t{0}, integer(expr.operands[0]), &result)) overflow(expr);
        return result;
      case ExprKind::Binary: {  // along the left spine, in a loop
        std::vector<ExprId> spine;
        left_spine(program_, id, spine);
        result = integer(program_[spine.back()].operands[0]);
        for (auto node = spine.rbegin(); node != spine.rend(); ++node) {
          const Expr& step = program_[*node];
          const std::int64_t a = result;
          const std::int64_t b = integer(step.operands[1]);
          bool failed = false;
          if (step.op == BinaryOp::Add) failed = __builtin_add_overflow(a, b, &result);
          if (step.op == BinaryOp::Subtract) failed = __builtin_sub_overflow(a, b, &result);
          if (step.op == BinaryOp::Multiply) failed = __builtin_mul_overflow(a, b, &result);
          if (failed) overflow(step);
        }
        return result;
      }
      case ExprKind::Index: return data_integer(expr);
      default: return 0;
    }
  }

  /// An element of integer data used as an index (a class label y[i]): its value, which must
  /// be an integer; an error names the data, its origin, the row and the value.
  std::int64_t data_integer(const Expr& expr) {
    const Value<T> data = eval(expr.operands[0]);
    const Shape& shape = data.shape();
    const std::size_t row = checked_index(expr, 1, shape.rows);
    const std::size_t col = expr.operands.size() == 3 ? checked_index(expr, 2, shape.cols) : 0;
    const double value = data.doubles()[row * shape.cols + col];
    if (!(value == std::trunc(value) && std::fabs(value) <= 9007199254740992.0)) {
      throw EvaluationError(file_, expr.span, "index",
                            fmt::format("{} is {}, which cannot be an index: an index must be an integer",
                                        element_name(expr, row, col), value));
    }
    return static_cast<std::int64_t>(value);
  }

  /// "row 7 of data 'y' (from y.csv)", or "row 2, column 3 of ...".
  std::string element_name(const Expr& expr, std::size_t row, std::size_t col) const {
    const ExprInfo& base = model_.info[expr.operands[0]];
    const Matrix& matrix = *model_.data[base.slot];
    return fmt::format("{} of data '{}' ({})",
                       expr.operands.size() == 3 ? fmt::format("row {}, column {}", matrix.first_row + row + 1, col + 1)
                                                 : fmt::format("row {}", matrix.first_row + row + 1),
                       program_[expr.operands[0]].name,
                       matrix.origin.empty() ? std::string("bound in memory") : "from " + matrix.origin);
  }

  /// For an index read from data: "; it is row 7 of data 'y' (from y.csv)"; else "".
  std::string data_place(ExprId index) {
    const Expr& expr = program_[index];
    if (expr.kind != ExprKind::Index || !model_.info[index].integral) return {};
    const std::size_t rows = model_.info[expr.operands[0]].shape.rows;
    const std::size_t cols = model_.info[expr.operands[0]].shape.cols;
    const std::size_t row = checked_index(expr, 1, rows);
    const std::size_t col = expr.operands.size() == 3 ? checked_index(expr, 2, cols) : 0;
    return "; it is " + element_name(expr, row, col);
  }

  [[noreturn]] void overflow(const Expr& expr) const {
    throw EvaluationError(file_, expr.span, "index", "integer overflow in index arithmetic");
  }

  const Program& program_;
  const CheckedModel& model_;
  const std::string& file_;
  std::span<const T> theta_;
  std::vector<std::optional<Value<T>>> lets_;  // evaluated when first used; never reallocated (views)
  const RowPlan* plan_ = nullptr;              // a split model's plan, or null
  std::span<const T> reduced_;                 // its summed reductions (the second stage)
  double global_rows_ = 0;
  std::vector<std::int64_t> indices_;
  std::uint64_t budget_;
};

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

}  // namespace

std::vector<double> evaluate_fixed(const Program& program, const CheckedModel& model, const std::string& file,
                                   ExprId id, std::uint64_t budget) {
  Evaluator<double> evaluator(program, model, file, {}, budget);
  const Value<double> value = evaluator.eval(id);
  std::vector<double> out(value.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = value[i];
  return out;
}

double evaluate(const Program& program, const CheckedModel& model, const std::string& file,
                std::span<const double> theta) {
  return Evaluator<double>(program, model, file, theta, kUnlimited).objective();
}

Var evaluate(const Program& program, const CheckedModel& model, const std::string& file, std::span<const Var> theta) {
  return Evaluator<Var>(program, model, file, theta, kUnlimited).objective();
}

template <class T>
std::vector<T> evaluate_local_parts(const Program& program, const CheckedModel& model, const std::string& file,
                                    const RowPlan& plan, std::span<const T> theta) {
  Evaluator<T> evaluator(program, model, file, theta, kUnlimited);
  evaluator.split(plan, {});
  return evaluator.local_parts();
}

template <class T>
T evaluate_from_parts(const Program& program, const CheckedModel& model, const std::string& file, const RowPlan& plan,
                      std::span<const T> theta, std::span<const T> reduced) {
  Evaluator<T> evaluator(program, model, file, theta, kUnlimited);
  evaluator.split(plan, reduced);
  return evaluator.objective();
}

template std::vector<double> evaluate_local_parts(const Program&, const CheckedModel&, const std::string&,
                                                  const RowPlan&, std::span<const double>);
template std::vector<Var> evaluate_local_parts(const Program&, const CheckedModel&, const std::string&, const RowPlan&,
                                               std::span<const Var>);
template double evaluate_from_parts(const Program&, const CheckedModel&, const std::string&, const RowPlan&,
                                    std::span<const double>, std::span<const double>);
template Var evaluate_from_parts(const Program&, const CheckedModel&, const std::string&, const RowPlan&,
                                 std::span<const Var>, std::span<const Var>);

}  // namespace slope::lang::detail
