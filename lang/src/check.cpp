#include "slope/lang/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "checker.hpp"
#include "evaluate.hpp"
#include "slope/lang/errors.hpp"

namespace slope::lang {

namespace detail {

std::string_view kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Data: return "data";
    case SymbolKind::Dimension: return "data dimension";
    case SymbolKind::Const: return "const";
    case SymbolKind::Param: return "param";
    case SymbolKind::Let: return "let";
    case SymbolKind::Index: return "loop index";
  }
  return "name";
}

namespace {

std::string written(const std::vector<Dimension>& dimensions) {
  std::string out = "[";
  for (std::size_t i = 0; i < dimensions.size(); ++i) {
    if (i > 0) out += ", ";
    out += dimensions[i].name.empty() ? fmt::format("{}", dimensions[i].literal) : dimensions[i].name;
  }
  return out + "]";
}

std::string origin(const Matrix& matrix) {
  return matrix.origin.empty() ? "bound in memory" : "from " + matrix.origin;
}

}  // namespace

std::optional<std::int64_t> integer_value(const ConstValue& value) {
  if (value.shape.rank != 0 || value.values.size() != 1) return std::nullopt;
  const double x = value.values[0];
  // Exactly representable integers only: beyond 2^53 "integer" doubles are not exact.
  if (!(std::fabs(x) <= 9007199254740992.0) || x != std::trunc(x)) return std::nullopt;
  return static_cast<std::int64_t>(x);
}

Checker::Checker(const Program& program, const std::string& file, const Bindings& bindings, bool shapes_only)
    : program_(program), file_(file), bindings_(bindings), shapes_only_(shapes_only) {
  model_.info.resize(program.expressions.size());
}

void Checker::fail(SourceLocation where, std::string message) const {
  throw CheckError(file_, where, std::move(message));
}
void Checker::fail(SourceSpan span, std::string message) const { fail(span.begin, std::move(message)); }

CheckedModel Checker::run() {
  std::uint32_t data_slot = 0;
  for (const Statement& statement : program_.statements) {
    if (statement.kind == StatementKind::Data) {
      data(statement, data_slot++);
      continue;
    }
    if (shapes_only_) {
      // Consts may be overridden before check(); remember their names so that data
      // dimensions named by them are left to the full check.
      if (statement.kind == StatementKind::Const && !symbols_.contains(statement.name)) {
        symbols_.emplace(statement.name, Symbol{SymbolKind::Const, UINT32_MAX, statement.name_span, {}});
      }
      continue;
    }
    switch (statement.kind) {
      case StatementKind::Const: constant(statement); break;
      case StatementKind::Param: param(statement); break;
      case StatementKind::Let: let(statement); break;
      case StatementKind::Objective: objective(statement); break;
      case StatementKind::Data: break;
    }
  }
  if (!shapes_only_ && objective_ == nullptr) {
    const SourceLocation where = program_.statements.empty() ? SourceLocation{} : program_.statements.back().span.end;
    fail(where, "the model has no objective: add a 'minimize EXPR' or 'maximize EXPR' statement");
  }
  return std::move(model_);
}

void Checker::declare(const std::string& name, SourceSpan span, Symbol symbol) {
  if (find_function(name) != nullptr || name == "prod") {
    fail(span, fmt::format("'{}' is the name of a built-in function; choose another name", name));
  }
  if (const auto it = symbols_.find(name); it != symbols_.end()) {
    fail(span, fmt::format("'{}' is already declared as {} at {}:{}", name, kind_name(it->second.kind),
                           it->second.span.begin.line, it->second.span.begin.column));
  }
  symbols_.emplace(name, std::move(symbol));
}

// data NAME[dims]: the bound matrix must have the declared rank; literal dimensions must
// match, and a dimension name is bound by the first data that uses it and checked by the rest.
void Checker::data(const Statement& statement, std::uint32_t slot) {
  declare(statement.name, statement.name_span, Symbol{SymbolKind::Data, slot, statement.name_span, {}});
  const Matrix* matrix = slot < bindings_.data.size() ? bindings_.data[slot] : nullptr;
  model_.data.push_back(matrix);
  model_.data_shapes.emplace_back();
  if (matrix == nullptr) {
    if (shapes_only_) return;
    fail(statement.name_span,
         fmt::format("data '{}' has no values: bind it (--data {}=FILE)", statement.name, statement.name));
  }
  const int rank = static_cast<int>(statement.dimensions.size());
  const Shape actual = matrix->cols == 1 && rank < 2 ? Shape{matrix->rows == 1 && rank == 0 ? 0 : 1, matrix->rows, 1}
                                                     : Shape{2, matrix->rows, matrix->cols};
  const std::string declared = rank == 0 ? "a scalar" : written(statement.dimensions);
  if (actual.rank != rank) {
    fail(statement.name_span, fmt::format("data '{}' is declared {} but its data has shape {} ({})", statement.name,
                                          declared, describe(actual), origin(*matrix)));
  }
  model_.data_shapes.back() = actual;
  for (std::size_t axis = 0; axis < statement.dimensions.size(); ++axis) {
    const Dimension& dim = statement.dimensions[axis];
    const std::size_t extent = axis == 0 ? matrix->rows : matrix->cols;
    if (dim.name.empty()) {
      if (dim.literal != extent) {
        fail(dim.span, fmt::format("data '{}' is declared {} but its data has shape {} ({})", statement.name, declared,
                                   describe(actual), origin(*matrix)));
      }
      continue;
    }
    const auto it = symbols_.find(dim.name);
    if (it == symbols_.end()) {
      const auto value_slot = static_cast<std::uint32_t>(model_.consts.size());
      model_.consts.push_back(ConstValue{Shape{}, {static_cast<double>(extent)}});
      const std::string note = fmt::format("the {} of '{}', {}", axis == 0 ? "rows" : "columns", statement.name,
                                           origin(*matrix));
      declare(dim.name, dim.span, Symbol{SymbolKind::Dimension, value_slot, dim.span, note});
      continue;
    }
    const Symbol& symbol = it->second;
    if (symbol.kind != SymbolKind::Dimension && symbol.kind != SymbolKind::Const) {
      fail(dim.span, fmt::format("'{}' is a {}, not a dimension", dim.name, kind_name(symbol.kind)));
    }
    if (symbol.slot == UINT32_MAX) continue;  // a const, checked by the full check
    const auto value = integer_value(model_.consts[symbol.slot]);
    if (!value) fail(dim.span, fmt::format("dimension '{}' must be an integer const", dim.name));
    if (static_cast<std::uint64_t>(*value) != extent || *value < 0) {
      const std::string note = symbol.kind == SymbolKind::Dimension
                                   ? symbol.note
                                   : fmt::format("const at {}:{}", symbol.span.begin.line, symbol.span.begin.column);
      fail(dim.span, fmt::format("data '{}' is declared {} with {} = {} ({}), but its data has shape {} ({})",
                                 statement.name, declared, dim.name, *value, note, describe(actual), origin(*matrix)));
    }
  }
}

std::vector<double> Checker::evaluate_fixed(ExprId id) {
  return detail::evaluate_fixed(program_, model_, file_, id, kFixedEvaluationBudget);
}

// const NAME = EXPR: evaluated now (or taken from set_constant, for a scalar const).
void Checker::constant(const Statement& statement) {
  context_ = Context::Fixed;
  context_name_ = fmt::format("const '{}'", statement.name);
  const Shape shape = expression(statement.value).shape;
  context_ = Context::Free;
  ConstValue value{shape, {}};
  if (const auto it = bindings_.constants.find(statement.name); it != bindings_.constants.end()) {
    if (shape.rank != 0) {
      fail(statement.name_span, fmt::format("const '{}' has shape {}; only a scalar const can be set",
                                            statement.name, describe(shape)));
    }
    value.values = {it->second};
  } else {
    value.values = evaluate_fixed(statement.value);
  }
  const auto slot = static_cast<std::uint32_t>(model_.consts.size());
  model_.consts.push_back(std::move(value));
  declare(statement.name, statement.name_span, Symbol{SymbolKind::Const, slot, statement.name_span, {}});
}

std::uint64_t Checker::dimension_value(const Dimension& dim, std::string_view what) {
  std::uint64_t value = dim.literal;
  if (!dim.name.empty()) {
    const auto it = symbols_.find(dim.name);
    if (it == symbols_.end()) {
      const auto hint = closest_name(dim.name, visible_names());
      fail(dim.span, fmt::format("unknown dimension '{}'{}", dim.name,
                                 hint ? fmt::format("; did you mean '{}'?", *hint) : std::string()));
    }
    if (it->second.kind != SymbolKind::Const && it->second.kind != SymbolKind::Dimension) {
      fail(dim.span, fmt::format("'{}' is a {}, not a dimension", dim.name, kind_name(it->second.kind)));
    }
    const auto integer = integer_value(model_.consts[it->second.slot]);
    if (!integer || *integer < 0) {
      fail(dim.span, fmt::format("dimension '{}' of {} must be a non-negative integer", dim.name, what));
    }
    value = static_cast<std::uint64_t>(*integer);
  }
  if (value > kMaxDimension) fail(dim.span, fmt::format("dimension {} of {} is too large", value, what));
  return value;
}

// param NAME[dims] = INIT: a scalar initial value broadcasts; a vector must match.
void Checker::param(const Statement& statement) {
  const std::string what = fmt::format("param '{}'", statement.name);
  Shape shape{static_cast<int>(statement.dimensions.size()), 1, 1};
  if (shape.rank >= 1) shape.rows = dimension_value(statement.dimensions[0], what);
  if (shape.rank == 2) shape.cols = dimension_value(statement.dimensions[1], what);
  const std::size_t offset = model_.initial_point.size();
  if (shape.size() > kMaxParameters - offset) {
    fail(statement.name_span, fmt::format("{} has {} values, more than the {} parameter values a model may have "
                                          "in all",
                                          what, shape.size(), kMaxParameters));
  }
  context_ = Context::Fixed;
  context_name_ = fmt::format("the initial value of param '{}'", statement.name);
  const Shape init = expression(statement.value).shape;
  context_ = Context::Free;
  if (init.rank != 0 && !(init.size() == shape.size() && (init == shape || init.rank == 1))) {
    const std::string expected =
        shape.rank == 0 ? fmt::format("a scalar (declare it as param {}[{}] for a vector)", statement.name, init.size())
                        : fmt::format("{} or a scalar", describe(shape));
    fail(program_[statement.value].span, fmt::format("the initial value of param '{}' has shape {}, expected {}",
                                                     statement.name, describe(init), expected));
  }
  const std::vector<double> values = evaluate_fixed(statement.value);
  if (values.size() == 1) {
    model_.initial_point.insert(model_.initial_point.end(), shape.size(), values[0]);
  } else {
    model_.initial_point.insert(model_.initial_point.end(), values.begin(), values.end());
  }
  std::string written_bounds = bounds(statement, offset, shape.size());
  const auto slot = static_cast<std::uint32_t>(model_.parameters.size());
  model_.parameters.push_back(ParameterInfo{statement.name, shape, offset, std::move(written_bounds)});
  declare(statement.name, statement.name_span, Symbol{SymbolKind::Param, slot, statement.name_span, {}});
}

// param NAME >= a, > a, <= b, < b, in [a, b]: scalar bounds on every element, checked against
// each other and against the initial values (in flat order, which set these just before).
std::string Checker::bounds(const Statement& statement, std::size_t offset, std::size_t count) {
  const auto bound = [&](const Bound& b, const char* which, double none) {
    if (b.value == kNoExpr) return none;
    context_ = Context::Fixed;
    context_name_ = fmt::format("the {} bound of param '{}'", which, statement.name);
    const Shape shape = expression(b.value).shape;
    context_ = Context::Free;
    if (shape.rank != 0) {
      fail(program_[b.value].span, fmt::format("the {} bound of param '{}' has shape {}, expected a scalar (it "
                                               "bounds every element)",
                                               which, statement.name, describe(shape)));
    }
    const double value = evaluate_fixed(b.value)[0];
    if (std::isnan(value)) fail(program_[b.value].span, fmt::format("the {} bound of param '{}' is NaN", which, statement.name));
    return value;
  };
  const double written_lower = bound(statement.lower, "lower", -std::numeric_limits<double>::infinity());
  const double written_upper = bound(statement.upper, "upper", std::numeric_limits<double>::infinity());
  // A strict bound excludes its value: the closest number inside it is the closed bound the
  // optimizer keeps (so `param sigma > 0` never reaches 0).
  const double lower = statement.lower.strict ? std::nextafter(written_lower, written_upper) : written_lower;
  const double upper = statement.upper.strict ? std::nextafter(written_upper, written_lower) : written_upper;
  // An infinite end is open, as in mathematics: (-inf, 1], [0, inf).
  const std::string interval =
      fmt::format("{}{}, {}{}", statement.lower.strict || std::isinf(written_lower) ? '(' : '[', written_lower,
                  written_upper, statement.upper.strict || std::isinf(written_upper) ? ')' : ']');
  if (!(lower <= upper) || lower == std::numeric_limits<double>::infinity() ||
      upper == -std::numeric_limits<double>::infinity() || (written_lower == written_upper && (statement.lower.strict || statement.upper.strict))) {
    const ExprId at = statement.lower.value != kNoExpr ? statement.lower.value : statement.upper.value;
    fail(program_[at].span,
         fmt::format("param '{}' has no admissible value: its bounds {} are empty", statement.name, interval));
  }
  model_.lower.resize(offset, -std::numeric_limits<double>::infinity());
  model_.upper.resize(offset, std::numeric_limits<double>::infinity());
  model_.lower.insert(model_.lower.end(), count, lower);
  model_.upper.insert(model_.upper.end(), count, upper);
  for (std::size_t k = 0; k < count; ++k) {
    const double v = model_.initial_point[offset + k];
    if (v >= lower && v <= upper) continue;
    const std::string element = count == 1 ? std::string() : fmt::format("element {} of ", k + 1);
    fail(program_[statement.value].span,
         fmt::format("{}the initial value of param '{}' is {}, outside its bounds {}", element, statement.name, v,
                     interval));
  }
  return statement.lower.value == kNoExpr && statement.upper.value == kNoExpr ? std::string() : interval;
}

void Checker::let(const Statement& statement) {
  const Shape shape = expression(statement.value).shape;
  const auto slot = static_cast<std::uint32_t>(model_.lets.size());
  model_.lets.push_back(LetInfo{statement.value, shape});
  declare(statement.name, statement.name_span, Symbol{SymbolKind::Let, slot, statement.name_span, {}});
}

void Checker::objective(const Statement& statement) {
  if (objective_ != nullptr) {
    fail(statement.span, fmt::format("a second objective: the model already has one at {}:{}",
                                     objective_->span.begin.line, objective_->span.begin.column));
  }
  objective_ = &statement;
  const Shape shape = expression(statement.value).shape;
  if (shape.rank != 0) {
    fail(program_[statement.value].span, fmt::format("the objective must be a scalar, found {}", describe(shape)));
  }
  model_.objective = statement.value;
  model_.sense = statement.sense;
}

}  // namespace detail

CheckedModel check(const Program& program, const std::string& file, const Bindings& bindings) {
  return detail::Checker(program, file, bindings, false).run();
}

void check_data_shapes(const Program& program, const std::string& file, const Bindings& bindings) {
  (void)detail::Checker(program, file, bindings, true).run();
}

std::string describe(const Shape& shape) {
  if (shape.rank == 0) return "scalar";
  if (shape.rank == 1) return fmt::format("[{}]", shape.rows);
  return fmt::format("[{}, {}]", shape.rows, shape.cols);
}

}  // namespace slope::lang
