#pragma once
/// \file
/// Printing a Var prints its value, with iostreams or fmt (all of fmt's double format specs).

#include <fmt/format.h>

#include <ostream>

#include "slope/autodiff/var.hpp"

namespace slope {
/// Writes x's value, as for a double.
inline std::ostream& operator<<(std::ostream& out, const Var& x) { return out << x.value(); }
}  // namespace slope

/// `fmt::format("{:.3f}", x)` formats x's value.
template <>
struct fmt::formatter<slope::Var> : fmt::formatter<double> {
  template <class FormatContext>
  auto format(const slope::Var& x, FormatContext& ctx) const {
    return fmt::formatter<double>::format(x.value(), ctx);
  }
};
