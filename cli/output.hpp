#pragma once
/// \file
/// How the commands print params and gradients: as JSON (scalars as numbers, vectors as
/// arrays, matrices as arrays of rows) or as aligned text for people.

#include <nlohmann/json.hpp>

#include <span>
#include <string>

#include "slope/lang/model.hpp"

namespace slope::cli {

using lang::component_name;

/// One JSON member per param, in source order, cut from the flat vector `flat` (the params
/// themselves, or a gradient laid out like them).
[[nodiscard]] nlohmann::ordered_json params_json(const lang::Model& model, std::span<const double> flat);

/// One line per param, "  w = [0.1, -0.4]", a matrix as one bracketed row per line.
[[nodiscard]] std::string params_text(const lang::Model& model, std::span<const double> flat);

/// A number for people: up to 10 significant digits.
[[nodiscard]] std::string number_text(double value);

}  // namespace slope::cli
