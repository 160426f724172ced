// Moré & Thuente, "Line search algorithms with guaranteed sufficient decrease", ACM TOMS 20
// (1994): the search keeps an interval [stx, sty] that is known to contain steps satisfying
// the strong Wolfe conditions once "bracketed", and picks each trial by safeguarded cubic or
// quadratic interpolation of phi and phi' at the interval's ends.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "line_search.hpp"
#include "slope/autodiff/errors.hpp"

namespace slope {

void validate(const MoreThuente& s) {
  if (!(s.c1 > 0.0 && s.c1 < 1.0)) throw slope::ArgumentError("MoreThuente: c1 must be in (0, 1)");
  if (!(s.c2 > s.c1 && s.c2 < 1.0)) throw slope::ArgumentError("MoreThuente: c2 must be in (c1, 1)");
  if (!(s.step_tolerance >= 0.0)) throw slope::ArgumentError("MoreThuente: step_tolerance must be >= 0");
  if (!(s.min_step > 0.0 && s.max_step > s.min_step))
    throw slope::ArgumentError("MoreThuente: need 0 < min_step < max_step");
  if (s.max_trials == 0) throw slope::ArgumentError("MoreThuente: max_trials must be > 0");
  if (!(s.noise >= 0.0)) throw slope::ArgumentError("MoreThuente: noise must be >= 0");
}

namespace detail {

namespace {

/// One end of the interval: a step and phi, phi' there.
struct End {
  double t, f, g;
};

/// Minimizer of the cubic through (a.t, a.f, a.g) and (b.t, b.f, b.g); `clip` keeps the
/// square root real when the cubic has no interior minimizer.
double cubic_minimizer(const End& a, const End& b, bool clip) {
  const double theta = 3.0 * (a.f - b.f) / (b.t - a.t) + a.g + b.g;
  const double s = std::max({std::fabs(theta), std::fabs(a.g), std::fabs(b.g)});
  double radicand = (theta / s) * (theta / s) - (a.g / s) * (b.g / s);
  if (clip) radicand = std::max(0.0, radicand);
  double gamma = s * std::sqrt(radicand);
  if (b.t < a.t) gamma = -gamma;
  const double p = (gamma - a.g) + theta;
  const double q = ((gamma - a.g) + gamma) + b.g;
  return a.t + (p / q) * (b.t - a.t);
}

/// The safeguarded step of the paper's Section 4: given the best end x, the other end y and
/// the trial p, returns the next trial and updates the interval.
double next_step(End& x, End& y, const End& p, bool& bracketed, double lo, double hi) {
  const double sign = p.g * (x.g / std::fabs(x.g));
  double next = 0.0;
  if (p.f > x.f) {
    // Case 1: higher value. The minimum is bracketed; prefer the cubic step unless the
    // quadratic one (from f and x.g only) is closer to x.
    const double cubic = cubic_minimizer(x, p, false);
    const double quadratic = x.t + ((x.g / ((x.f - p.f) / (p.t - x.t) + x.g)) / 2.0) * (p.t - x.t);
    next = std::fabs(cubic - x.t) < std::fabs(quadratic - x.t) ? cubic : cubic + (quadratic - cubic) / 2.0;
    bracketed = true;
  } else if (sign < 0.0) {
    // Case 2: lower value, derivatives of opposite sign. Bracketed; take the step farther
    // from p between the cubic and the secant step.
    const double cubic = cubic_minimizer(p, x, false);
    const double secant = p.t + (p.g / (p.g - x.g)) * (x.t - p.t);
    next = std::fabs(cubic - p.t) > std::fabs(secant - p.t) ? cubic : secant;
    bracketed = true;
  } else if (std::fabs(p.g) < std::fabs(x.g)) {
    // Case 3: lower value, same sign, |phi'| decreasing. The cubic may have no minimizer in
    // the direction of the step; then go to the interval's edge.
    const double theta = 3.0 * (x.f - p.f) / (p.t - x.t) + x.g + p.g;
    const double s = std::max({std::fabs(theta), std::fabs(x.g), std::fabs(p.g)});
    double gamma = s * std::sqrt(std::max(0.0, (theta / s) * (theta / s) - (x.g / s) * (p.g / s)));
    if (p.t > x.t) gamma = -gamma;
    const double r = ((gamma - p.g) + theta) / ((gamma + (x.g - p.g)) + gamma);
    const double cubic = (r < 0.0 && gamma != 0.0) ? p.t + r * (x.t - p.t) : (p.t > x.t ? hi : lo);
    const double secant = p.t + (p.g / (p.g - x.g)) * (x.t - p.t);
    if (bracketed) {
      next = std::fabs(cubic - p.t) < std::fabs(secant - p.t) ? cubic : secant;
      const double limit = p.t + 0.66 * (y.t - p.t);
      next = p.t > x.t ? std::min(limit, next) : std::max(limit, next);
    } else {
      next = std::fabs(cubic - p.t) > std::fabs(secant - p.t) ? cubic : secant;
      next = std::clamp(next, lo, hi);
    }
  } else {
    // Case 4: lower value, same sign, |phi'| not decreasing: the minimum is beyond p.
    if (bracketed) {
      next = cubic_minimizer(p, y, false);
    } else {
      next = p.t > x.t ? hi : lo;
    }
  }
  // The new interval keeps the end with the lowest value as x.
  if (p.f > x.f) {
    y = p;
  } else {
    if (sign < 0.0) y = x;
    x = p;
  }
  return next;
}

}  // namespace

LineSearchResult search(const MoreThuente& params, LineFunction& phi, double phi0, double slope0,
                        double initial_step) {
  constexpr double kExtrapolateLow = 1.1;
  constexpr double kExtrapolateHigh = 4.0;
  const double decrease = params.c1 * slope0;  // phi'(0) scaled: the sufficient-decrease slope
  double max_step = params.max_step;           // lowered when a trial is not finite
  double t = std::clamp(initial_step, params.min_step, max_step);
  bool bracketed = false;
  bool stage_one = true;
  End x{0.0, phi0, slope0};
  End y{0.0, phi0, slope0};
  double lo = 0.0;
  double hi = t + kExtrapolateHigh * t;
  double width = max_step - params.min_step;
  double previous_width = 2.0 * width;
  End best_accepted{0.0, phi0, slope0};  // lowest value meeting sufficient decrease so far
  double last_evaluated = 0.0;           // the step the LineFunction's trial point holds

  for (std::size_t trial = 0; trial < params.max_trials; ++trial) {
    if (phi.out_of_evaluations()) return {LineSearchResult::OutOfEvaluations, t, phi0, ""};
    double g = 0.0;
    const double f = phi(t, g);
    last_evaluated = t;
    if (!std::isfinite(f) || !std::isfinite(g)) {
      // Too long: never come back this far, and retreat towards the best end.
      max_step = t;
      t = x.t + 0.5 * (t - x.t);
      if (bracketed) hi = std::min(hi, max_step);
      if (t <= params.min_step || t == x.t) break;
      continue;
    }
    const double sufficient = phi0 + t * decrease;
    if (f <= sufficient && std::fabs(g) <= params.c2 * -slope0) {
      return {LineSearchResult::Accepted, t, f, ""};  // strong Wolfe
    }
    if (approximately_wolfe(phi0, slope0, f, g, params.c2, params.noise)) {
      return {LineSearchResult::Accepted, t, f, ""};  // f too flat to judge; the slope shows progress
    }
    if (f <= sufficient && f < best_accepted.f) best_accepted = {t, f, g};
    if (bracketed && (t <= lo || t >= hi)) break;             // rounding errors stop progress
    if (bracketed && hi - lo <= params.step_tolerance * hi) break;  // interval too small
    if (t >= max_step && f <= sufficient && g <= decrease) break;   // at the largest step
    if (t <= params.min_step && (f > sufficient || g >= decrease)) break;

    // Stage one works on psi(t) = phi(t) - t phi'(0) c1 until a step with psi <= 0 and
    // phi' >= 0 appears; this keeps the search from stopping at a point with little decrease.
    if (stage_one && f <= sufficient && g >= 0.0) stage_one = false;
    const End p{t, f, g};
    if (stage_one && f <= x.f && f > sufficient) {
      End xm{x.t, x.f - x.t * decrease, x.g - decrease};
      End ym{y.t, y.f - y.t * decrease, y.g - decrease};
      const End pm{p.t, p.f - p.t * decrease, p.g - decrease};
      t = next_step(xm, ym, pm, bracketed, lo, hi);
      x = {xm.t, xm.f + xm.t * decrease, xm.g + decrease};
      y = {ym.t, ym.f + ym.t * decrease, ym.g + decrease};
    } else {
      t = next_step(x, y, p, bracketed, lo, hi);
    }
    if (bracketed) {
      // Force enough shrinkage of the interval: bisect when it did not shrink by 1/3.
      if (std::fabs(y.t - x.t) >= 0.66 * previous_width) t = x.t + 0.5 * (y.t - x.t);
      previous_width = width;
      width = std::fabs(y.t - x.t);
      lo = std::min(x.t, y.t);
      hi = std::max(x.t, y.t);
    } else {
      lo = t + kExtrapolateLow * (t - x.t);
      hi = t + kExtrapolateHigh * (t - x.t);
    }
    t = std::clamp(t, params.min_step, max_step);
    if (bracketed && (t <= lo || t >= hi || hi - lo <= params.step_tolerance * hi)) t = x.t;
    if (t == 0.0) break;
  }
  // No strong-Wolfe step, but a step with sufficient decrease is still progress: take it.
  if (best_accepted.t > 0.0 && best_accepted.t == last_evaluated) {
    return {LineSearchResult::Accepted, best_accepted.t, best_accepted.f, ""};
  }
  if (best_accepted.t > 0.0 && !phi.out_of_evaluations()) {
    double g = 0.0;
    const double f = phi(best_accepted.t, g);
    if (std::isfinite(f) && f <= phi0 + best_accepted.t * decrease) return {LineSearchResult::Accepted, best_accepted.t, f, ""};
  }
  if (phi.out_of_evaluations()) return {LineSearchResult::OutOfEvaluations, t, phi0, ""};
  return {LineSearchResult::Failed, t, phi0,
          fmt::format("no step along the search direction met the Wolfe conditions (last trial {:.3g})", t)};
}

}  // namespace detail
}  // namespace slope
