#pragma once
/// \file
/// (internal) The Checker class behind slope::lang::check: statements in check.cpp,
/// expressions in check_expression.cpp.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "slope/lang/check.hpp"

namespace slope::lang::detail {

/// The largest dimension a declaration may name.
inline constexpr std::uint64_t kMaxDimension = std::uint64_t{1} << 31;
/// The most parameter values a model may have: the check allocates the initial point, and each
/// value is a tape input, so a typo such as `param w[1000000000]` must be an error, not an
/// attempt to allocate gigabytes.
inline constexpr std::uint64_t kMaxParameters = std::uint64_t{1} << 26;
/// Loop iterations allowed while evaluating consts and initial values during a check.
inline constexpr std::uint64_t kFixedEvaluationBudget = 10'000'000;

/// Resolves a program's names, shapes and dimensions.
class Checker {
 public:
  /// `shapes_only`: check the bound data's shapes and nothing else (Model::bind_data).
  Checker(const Program& program, const std::string& file, const Bindings& bindings, bool shapes_only);

  /// Runs the check; throws CheckError.
  CheckedModel run();

 private:
  struct Symbol {
    SymbolKind kind;
    std::uint32_t slot;
    SourceSpan span;
    std::string note;  ///< for dimensions: where the value comes from ("the rows of 'X', from data.csv")
  };
  /// What an expression may refer to.
  enum class Context : std::uint8_t { Fixed, Free };

  // statements (check.cpp)
  void declare(const std::string& name, SourceSpan span, Symbol symbol);
  void data(const Statement& statement, std::uint32_t slot);
  void constant(const Statement& statement);
  void param(const Statement& statement);
  /// Checks and stores a param's bounds; returns them as written ("(0, inf)"), "" if none.
  std::string bounds(const Statement& statement, std::size_t offset, std::size_t count);
  void let(const Statement& statement);
  void objective(const Statement& statement);
  std::uint64_t dimension_value(const Dimension& dimension, std::string_view what);
  std::vector<double> evaluate_fixed(ExprId id);

  // expressions (check_expression.cpp)
  const ExprInfo& expression(ExprId id);
  const ExprInfo& name(ExprId id);
  const ExprInfo& call(ExprId id);
  const ExprInfo& binary(ExprId id);
  const ExprInfo& binary_step(ExprId id, const ExprInfo& left);
  const ExprInfo& index(ExprId id);
  /// The length an index of `base` ([n] or [n, d]) selects along dimension `k` (0: rows): 1
  /// for a single index, the extent for `:`, b - a + 1 for `a:b` (whose bounds must be static).
  std::size_t index_length(ExprId base, const Shape& shape, ExprId index, std::size_t k);
  const ExprInfo& transpose(ExprId id);
  const ExprInfo& reduce(ExprId id);
  /// The value of an integral expression without loop indices, or nothing.
  std::optional<std::int64_t> static_integer(ExprId id);
  /// An integral scalar (index, range bound); `what` names it in the error.
  void require_integer(ExprId id, std::string_view what);
  [[noreturn]] void fail(SourceSpan span, std::string message) const;
  [[noreturn]] void fail(SourceLocation where, std::string message) const;
  [[nodiscard]] std::vector<std::string> visible_names() const;

  const Program& program_;
  const std::string& file_;
  const Bindings& bindings_;
  bool shapes_only_;
  CheckedModel model_;
  std::unordered_map<std::string, Symbol> symbols_;
  std::vector<std::pair<std::string, SourceSpan>> indices_;  ///< loop indices in scope, outermost first
  Context context_ = Context::Free;
  std::string context_name_;  ///< "const 'c'" or "the initial value of param 'w'"
  const Statement* objective_ = nullptr;
};

/// "data", "param", "loop index"...
std::string_view kind_name(SymbolKind kind);

/// A dimension's integer value from a const or dimension value, or nothing.
std::optional<std::int64_t> integer_value(const ConstValue& value);

}  // namespace slope::lang::detail
