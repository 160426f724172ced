#pragma once
// The search direction of the bounded L-BFGS (the L-BFGS-B idea of Byrd, Lu, Nocedal & Zhu,
// SIAM J. Sci. Comput. 16, 1995, with the projection of Morales & Nocedal, ACM TOMS 38, 2011):
//  1. the generalized Cauchy point: the first local minimizer of the quadratic model
//     m(z) = g.z + z.B z / 2 along the projected steepest-descent path P(x - t g), found by
//     walking the path's breakpoints (where components meet their bounds) in order; the
//     components met on the way are pinned at their bounds;
//  2. subspace minimization: the model's minimizer over the components still free at that
//     point, from B restricted to them (Sherman-Morrison-Woodbury on the compact form);
//  3. that point, projected onto the box, if the step to it still descends; otherwise the
//     subspace step shortened to stay inside; otherwise the Cauchy point itself.
// The direction d = xbar - x has x + d inside the box.

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "box.hpp"
#include "compact_bfgs.hpp"

namespace slope::detail {

/// The n-long vectors of the bounded direction, reused between iterations.
struct LbfgsbWorkspace {
  explicit LbfgsbWorkspace(std::size_t n) : cauchy(n), path(n) {}
  std::vector<double> cauchy;  // the generalized Cauchy point
  std::vector<double> path;    // -g on the components still moving along the path, 0 once pinned
  std::vector<std::pair<double, std::size_t>> breakpoints;
  std::vector<std::size_t> free, fixed;
  std::vector<double> reduced;  // the model's gradient at the Cauchy point, on the free components
};

/// The bounded L-BFGS direction from x (inside the box) with gradient g into d (see the file
/// comment). Needs bfgs.ready(). Returns false when no descent direction came out (g.d >= 0,
/// which only rounding can cause): the caller then forgets the pairs.
bool lbfgsb_direction(const Box& box, const CompactBfgs& bfgs, std::span<const double> x, std::span<const double> g,
                      std::span<double> d, LbfgsbWorkspace& work);

}  // namespace slope::detail
