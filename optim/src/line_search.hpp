#pragma once
// Line searches along a direction d from x: phi(t) = f(x + t d), phi'(t) = g(x + t d).d.

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "run.hpp"
#include "slope/optim/line_search/backtracking.hpp"
#include "slope/optim/line_search/more_thuente.hpp"

namespace slope::detail {

/// phi along one direction; keeps the last trial point and gradient. With a bounded box, the
/// trial point is x + t d projected onto the box (Box::step): the projected path, along which
/// components stop at their bounds, exactly on them.
class LineFunction {
 public:
  LineFunction(Run& run, std::span<const double> x, std::span<const double> d, std::span<double> trial_x,
               std::span<double> trial_g, const Box* box = nullptr)
      : run_(run), x_(x), d_(d), trial_x_(trial_x), trial_g_(trial_g),
        box_(box != nullptr && box->bounded() ? box : nullptr) {}

  /// phi(t), with phi'(t) into slope; the trial point and gradient stay in trial_x/trial_g.
  double operator()(double t, double& slope) {
    if (box_ != nullptr) {
      box_->step(x_, t, d_, trial_x_);
    } else {
      for (std::size_t i = 0; i < x_.size(); ++i) trial_x_[i] = x_[i] + t * d_[i];
    }
    const double f = run_.evaluate(trial_x_, trial_g_);
    slope = dot(trial_g_, d_);
    return f;
  }
  [[nodiscard]] bool out_of_evaluations() const noexcept { return run_.out_of_evaluations(); }

 private:
  Run& run_;
  std::span<const double> x_;
  std::span<const double> d_;
  std::span<double> trial_x_;
  std::span<double> trial_g_;
  const Box* box_;
};

/// Hager & Zhang's approximate Wolfe test: the slope at t shows progress,
/// curvature * slope0 <= slope <= (2 * 0.1 - 1) * slope0, and f(t) exceeds f(0) by at most
/// noise * |f(0)|.
inline bool approximately_wolfe(double phi0, double slope0, double f, double slope, double curvature,
                                double noise) noexcept {
  constexpr double kDelta = 0.1;
  return noise > 0.0 && f <= phi0 + noise * std::fabs(phi0) && slope >= curvature * slope0 &&
         slope <= (2.0 * kDelta - 1.0) * slope0;
}

/// Outcome of a line search. On success the LineFunction's trial point is at `step`.
struct LineSearchResult {
  enum Outcome { Accepted, Failed, OutOfEvaluations } outcome = Failed;
  double step = 0.0;
  double value = 0.0;
  std::string why;  ///< for Failed
};

/// Armijo backtracking from initial_step; phi0 = phi(0), slope0 = phi'(0) < 0.
LineSearchResult search(const Backtracking& params, LineFunction& phi, double phi0, double slope0,
                        double initial_step);
/// Moré–Thuente from initial_step; phi0 = phi(0), slope0 = phi'(0) < 0.
LineSearchResult search(const MoreThuente& params, LineFunction& phi, double phi0, double slope0,
                        double initial_step);

}  // namespace slope::detail
