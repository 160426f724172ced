/// \file
/// Binding data read from files that say what their values are (JSON, .npy): the rank check,
/// and binding every value of a JSON file by its name. Only Model's public interface is used.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "slope/lang/check.hpp"
#include "slope/lang/errors.hpp"
#include "slope/lang/model.hpp"

namespace slope::lang {
namespace {

/// "[n, d]", "[3]" or "" (a scalar): a declaration's dimensions as written.
std::string dimensions_text(const DataDeclaration& declaration) {
  if (declaration.dimensions.empty()) return "";
  std::string out = "[";
  for (std::size_t i = 0; i < declaration.dimensions.size(); ++i) {
    out += (i == 0 ? "" : ", ") + declaration.dimensions[i];
  }
  return out + "]";
}

std::string_view kind_name(NameKind kind) {
  switch (kind) {
    case NameKind::Data: return "data";
    case NameKind::Dimension: return "dimension";
    case NameKind::Const: return "const";
    case NameKind::Param: return "param";
    case NameKind::Let: return "let";
  }
  return "name";
}

/// Whether an array of this rank and shape fits a declaration of rank `declared`.
bool fits(int declared, const Array& array) {
  if (declared == array.rank) return true;
  return declared == 1 && array.rank == 2 && array.matrix.cols == 1;  // a column vector
}

}  // namespace

void Model::bind_data(std::string_view name, Array data) {
  const std::vector<DataDeclaration> declarations = data_declarations();
  const auto declaration = std::find_if(declarations.begin(), declarations.end(),
                                        [&](const DataDeclaration& d) { return d.name == name; });
  if (declaration != declarations.end() && !fits(declaration->rank, data)) {
    static constexpr std::string_view kRanks[] = {"a scalar", "a vector", "a matrix"};
    const std::string_view wanted = kRanks[std::clamp(declaration->rank, 0, 2)];
    const std::string dims = dimensions_text(*declaration);
    throw CheckError(file(), declaration->span.begin,
                     fmt::format("data '{}' is declared {}{}, but its data is {} (from {})", name,
                                 dims.empty() ? std::string(wanted) : dims,
                                 dims.empty() ? "" : fmt::format(" ({})", wanted), describe(data),
                                 data.matrix.origin.empty() ? "memory" : data.matrix.origin));
  }
  bind_data(name, std::move(data.matrix));  // an undeclared name: the CheckError of bind_data
}

void Model::bind_all(std::vector<NamedArray> values, std::string_view file) {
  const std::vector<std::pair<std::string, NameKind>> names = declared_names();
  const auto kind_of = [&](const std::string& name) -> std::optional<NameKind> {
    const auto found = std::find_if(names.begin(), names.end(), [&](const auto& entry) { return entry.first == name; });
    return found == names.end() ? std::nullopt : std::optional<NameKind>(found->second);
  };
  const auto fail = [&](const std::string& name, std::string message) {
    throw DataError(std::string(file), kNowhere, fmt::format("{}: {}", name, message));
  };
  // Check every name first, so that a file with an unknown name binds nothing.
  for (const NamedArray& value : values) {
    const std::optional<NameKind> kind = kind_of(value.name);
    if (!kind) {
      std::vector<std::string> candidates;
      for (const auto& [name, k] : names) {
        if (k == NameKind::Data || k == NameKind::Const || k == NameKind::Dimension) candidates.push_back(name);
      }
      const std::optional<std::string> hint = closest_name(value.name, candidates);
      fail(value.name, fmt::format("the model declares no data, const or dimension named '{}'{}", value.name,
                                   hint ? fmt::format("; did you mean '{}'?", *hint) : std::string()));
    }
    if (*kind == NameKind::Param || *kind == NameKind::Let) {
      fail(value.name, fmt::format("'{}' is a {} of the model, not data", value.name, kind_name(*kind)));
    }
    if (*kind != NameKind::Data && value.array.rank != 0) {
      fail(value.name, fmt::format("'{}' is a {} of the model and takes one number, not {}", value.name,
                                   kind_name(*kind), describe(value.array)));
    }
  }
  for (NamedArray& value : values) {
    if (kind_of(value.name) == NameKind::Data) bind_data(value.name, std::move(value.array));
  }
  for (const NamedArray& value : values) {
    const std::optional<NameKind> kind = kind_of(value.name);
    if (kind == NameKind::Data) continue;  // moved from above
    const double number = value.array.matrix.entries()[0];
    if (kind == NameKind::Const) set_constant(value.name, number);
    if (kind != NameKind::Dimension) continue;
    const std::optional<std::size_t> bound = dimension(value.name);
    if (!bound) {
      fail(value.name, fmt::format("'{}' is a dimension of the model's data, but none of the data that declare it is "
                                   "bound yet",
                                   value.name));
    }
    if (number != static_cast<double>(*bound)) {
      fail(value.name, fmt::format("the file gives {} = {}, but the data bound give {} = {}", value.name, number,
                                   value.name, *bound));
    }
  }
}

}  // namespace slope::lang
