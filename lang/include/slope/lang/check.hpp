#pragma once
/// \file
/// The checker: resolves names, shapes and dimensions of a parsed model against its bound
/// data and const overrides, and evaluates its consts and initial values.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "slope/lang/ast.hpp"
#include "slope/lang/data.hpp"
#include "slope/lang/functions.hpp"
#include "slope/lang/model.hpp"

namespace slope::lang {

/// What a name refers to.
enum class SymbolKind : std::uint8_t {
  Data,       ///< slot: index into CheckedModel::data
  Dimension,  ///< a name bound by a data shape; slot: index into CheckedModel::consts
  Const,      ///< slot: index into CheckedModel::consts
  Param,      ///< slot: index into CheckedModel::parameters
  Let,        ///< slot: index into CheckedModel::lets
  Index,      ///< a loop index of sum/prod; slot: its nesting level
};

/// What the checker found out about one expression.
struct ExprInfo {
  Shape shape;
  /// Integer arithmetic (integer literals, integer consts, dimensions and loop indices with
  /// + - *): what indices and ranges are made of.
  bool integral = false;
  SymbolKind symbol = SymbolKind::Const;  ///< Name: what it refers to
  std::uint32_t slot = 0;                 ///< Name: see SymbolKind; Reduce: the loop index's slot
  const FunctionInfo* function = nullptr;  ///< Call: the built-in function called
};

/// A const or dimension, evaluated once per check.
struct ConstValue {
  Shape shape;
  std::vector<double> values;
};

/// A let: its expression and shape.
struct LetInfo {
  ExprId value = kNoExpr;
  Shape shape;
};

/// What evaluation needs: the checked program's annotations and its fixed values.
struct CheckedModel {
  std::vector<ExprInfo> info;                   ///< parallel to Program::expressions
  std::vector<const Matrix*> data;              ///< by data declaration, in source order
  std::vector<Shape> data_shapes;               ///< their shapes as declared (a vector is [rows])
  std::vector<ConstValue> consts;               ///< consts and dimensions
  std::vector<ParameterInfo> parameters;        ///< in source order
  std::vector<double> initial_point;
  std::vector<double> lower;                    ///< per parameter value: its lower bound (-inf: none)
  std::vector<double> upper;                    ///< and its upper bound (+inf: none)
  std::vector<LetInfo> lets;                    ///< in source order
  ExprId objective = kNoExpr;
  Sense sense = Sense::Minimize;
  std::uint32_t index_slots = 0;                ///< the deepest nesting of sum/prod indices
};

/// The data and overrides a model is checked against.
struct Bindings {
  /// By data declaration in source order; null where nothing is bound yet.
  std::vector<const Matrix*> data;
  /// Values set with Model::set_constant.
  std::map<std::string, double, std::less<>> constants;
};

/// Checks `program` (from `file`) with `bindings`; throws CheckError at the first problem.
/// The result refers to the matrices in `bindings`, which must outlive it.
[[nodiscard]] CheckedModel check(const Program& program, const std::string& file, const Bindings& bindings);

/// Checks the shapes of the bound data against their declarations and against each other
/// (the dimension names they share), ignoring dimensions named by consts (check() does
/// those). Model::bind_data calls it so that a disagreement is reported when it is made.
void check_data_shapes(const Program& program, const std::string& file, const Bindings& bindings);

/// The name within `candidates` closest to `name` by edit distance, if at most 2 edits away
/// (and closer than the name is long); for "did you mean" hints.
[[nodiscard]] std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates);

/// "scalar", "[3]" or "[100, 4]".
[[nodiscard]] std::string describe(const Shape& shape);

}  // namespace slope::lang
