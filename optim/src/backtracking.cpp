#include <fmt/format.h>

#include <cmath>

#include "line_search.hpp"
#include "slope/autodiff/errors.hpp"

namespace slope {

void validate(const Backtracking& s) {
  if (!(s.c1 > 0.0 && s.c1 < 1.0)) throw slope::ArgumentError("Backtracking: c1 must be in (0, 1)");
  if (!(s.shrink > 0.0 && s.shrink < 1.0)) throw slope::ArgumentError("Backtracking: shrink must be in (0, 1)");
  if (s.max_trials == 0) throw slope::ArgumentError("Backtracking: max_trials must be > 0");
  if (!(s.noise >= 0.0)) throw slope::ArgumentError("Backtracking: noise must be >= 0");
}

namespace detail {

LineSearchResult search(const Backtracking& params, LineFunction& phi, double phi0, double slope0,
                        double initial_step) {
  double t = initial_step;
  for (std::size_t trial = 0; trial < params.max_trials; ++trial) {
    if (phi.out_of_evaluations()) return {LineSearchResult::OutOfEvaluations, t, phi0, ""};
    double slope = 0.0;
    const double f = phi(t, slope);
    // A non-finite trial is a step too long: shrink like any rejected step.
    if (std::isfinite(f) && std::isfinite(slope) &&
        (f <= phi0 + params.c1 * t * slope0 || approximately_wolfe(phi0, slope0, f, slope, 0.9, params.noise))) {
      return {LineSearchResult::Accepted, t, f, ""};
    }
    t *= params.shrink;
  }
  return {LineSearchResult::Failed, t, phi0,
          fmt::format("no sufficient decrease after {} trials (last step {:.3g})", params.max_trials, t)};
}

}  // namespace detail
}  // namespace slope
