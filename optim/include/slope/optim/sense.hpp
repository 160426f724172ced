#pragma once
/// \file
/// slope::Sense, on its own: what the language's syntax tree needs of the optimizer (a leaf
/// header, so that lang/ast.hpp does not pull in the optimizer's result types).

namespace slope {

/// Whether the objective is minimized or maximized. Maximizing f runs exactly the code that
/// minimizes -f; everything reported stays in the user's sense.
enum class Sense { Minimize, Maximize };

}  // namespace slope
