#pragma once
/// \file
/// Limited-memory BFGS with a strong-Wolfe (Moré–Thuente) line search.

#include <cstddef>

#include "slope/optim/line_search/more_thuente.hpp"

namespace slope {

/// L-BFGS (Nocedal 1980; Liu & Nocedal 1989): a quasi-Newton direction from the last
/// `memory` pairs of steps and gradient changes (two-loop recursion, initial scaling
/// s.y / y.y), then a Moré–Thuente line search. Pairs with s.y <= 0 are skipped so the
/// implicit Hessian stays positive definite; a direction that is not a descent direction
/// restarts from the steepest descent.
///
/// With bounds (bounds.hpp) it is a projected L-BFGS in the L-BFGS-B way (Byrd, Lu, Nocedal &
/// Zhu 1995): the generalized Cauchy point along the projected steepest-descent path, the
/// model's minimizer over the components left free there (the compact form of the same
/// pairs), and a Moré–Thuente search that never leaves the box. Bounds that are all infinite
/// run the code above, with exactly its iterates.
struct Lbfgs {
  std::size_t memory = 8;  ///< pairs kept, >= 1
  MoreThuente line_search{};
};

/// Throws slope::ArgumentError naming the first parameter out of range.
void validate(const Lbfgs& method);

}  // namespace slope
