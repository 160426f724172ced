#include "slope/optim/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "box.hpp"
#include "compact_bfgs.hpp"
#include "lbfgsb_direction.hpp"
#include "line_search.hpp"
#include "run.hpp"
#include "slope/autodiff/errors.hpp"
#include "slope/optim/optimize.hpp"

namespace slope {

void validate(const Lbfgs& method) {
  if (method.memory == 0) throw slope::ArgumentError("Lbfgs: memory must be >= 1");
  validate(method.line_search);
}

namespace detail {

namespace {

double norm2(std::span<const double> v) { return std::sqrt(dot(v, v)); }

/// The last `memory` pairs (s, y) = (x_{k+1} - x_k, g_{k+1} - g_k) in a ring, and the
/// two-loop recursion that applies the implied inverse Hessian to a vector.
class History {
 public:
  // One slot more than the memory: a new pair is written to the spare slot while its products
  // are summed (one pass over the four vectors), so a pair that is skipped overwrites none of
  // the held ones.
  History(std::size_t memory, std::size_t n)
      : n_(n), memory_(memory), s_((memory + 1) * n), y_((memory + 1) * n), rho_(memory + 1), alpha_(memory + 1) {}

  void clear() noexcept { size_ = 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Stores s = x_new - x_old and y = g_new - g_old unless s.y is too small to keep the
  /// implicit Hessian positive definite (then the pair is skipped).
  void push(std::span<const double> x_new, std::span<const double> x_old, std::span<const double> g_new,
            std::span<const double> g_old) {
    const std::size_t slot = ring_slot(size_);
    double* s = &s_[slot * n_];
    double* y = &y_[slot * n_];
    Curvature c;
    for (std::size_t i = 0; i < n_; ++i) {
      const double si = x_new[i] - x_old[i];
      const double yi = g_new[i] - g_old[i];
      s[i] = si;
      y[i] = yi;
      c.sy += si * yi;
      c.yy += yi * yi;
    }
    if (!enough_curvature(c)) return;
    rho_[slot] = 1.0 / c.sy;
    gamma_ = c.sy / c.yy;
    if (size_ < memory_) {
      ++size_;
    } else {
      first_ = ring_slot(1);
    }
  }

  /// d = -H g (two-loop recursion, H0 = gamma I with gamma = s.y / y.y of the newest pair).
  void direction(std::span<const double> g, std::span<double> d) {
    for (std::size_t i = 0; i < n_; ++i) d[i] = -g[i];
    for (std::size_t k = size_; k-- > 0;) {
      const std::size_t slot = ring_slot(k);
      const std::span<const double> s(&s_[slot * n_], n_);
      const std::span<const double> y(&y_[slot * n_], n_);
      const double alpha = rho_[slot] * dot(s, d);
      alpha_[slot] = alpha;
      add_scaled(-alpha, y, d);
    }
    const double gamma = gamma_;
    for (double& di : d) di *= gamma;
    for (std::size_t k = 0; k < size_; ++k) {
      const std::size_t slot = ring_slot(k);
      const std::span<const double> s(&s_[slot * n_], n_);
      const std::span<const double> y(&y_[slot * n_], n_);
      add_scaled(alpha_[slot] - rho_[slot] * dot(y, d), s, d);
    }
  }

 private:
  [[nodiscard]] std::size_t slots() const noexcept { return memory_ + 1; }
  /// The slot of the k-th pair from the oldest (k < slots()): a compare, not a division (two
  /// loops of the recursion ask for every pair, each a 64-bit division otherwise).
  [[nodiscard]] std::size_t ring_slot(std::size_t k) const noexcept {
    const std::size_t slot = first_ + k;
    return slot >= slots() ? slot - slots() : slot;
  }

  std::size_t n_;
  std::size_t memory_;
  std::vector<double> s_, y_, rho_, alpha_;
  std::size_t first_ = 0;
  std::size_t size_ = 0;
  double gamma_ = 1.0;
};

/// L-BFGS without bounds, from x.
Result minimize_free(Run& run, const Lbfgs& method, std::vector<double> x) {
  const std::size_t n = x.size();
  std::vector<double> g(n), d(n), trial_x(n), trial_g(n);
  double f = run.evaluate(x, g);
  if (auto stop = run.start(x, f, g)) return run.finish(*stop, x, f, g);

  History history(method.memory, n);
  for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
  double first_step = 1.0 / norm2(d);  // the first step moves x by 1 (in 2-norm)
  while (true) {
    double slope = dot(g, d);
    if (!(slope < 0.0)) {
      // Rounding can spoil the quasi-Newton direction; the steepest descent never is.
      history.clear();
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
      slope = dot(g, d);
      first_step = 1.0 / norm2(d);
    }
    LineFunction phi(run, x, d, trial_x, trial_g);
    LineSearchResult found = search(method.line_search, phi, f, slope, first_step);
    if (found.outcome == LineSearchResult::Failed && history.size() > 0) {
      // Forget the curvature pairs and retry once along the steepest descent.
      history.clear();
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
      LineFunction steepest(run, x, d, trial_x, trial_g);
      found = search(method.line_search, steepest, f, dot(g, d), 1.0 / norm2(d));
    }
    if (found.outcome == LineSearchResult::OutOfEvaluations) return run.finish(run.evaluations_exhausted(), x, f, g);
    if (found.outcome == LineSearchResult::Failed) return run.finish(Run::line_search_failed(found.why), x, f, g);

    history.push(trial_x, x, trial_g, g);
    const double previous_f = f;
    std::swap(x, trial_x);  // trial_x now holds the previous point
    std::swap(g, trial_g);
    f = found.value;
    if (auto stop = run.after_iteration(trial_x, previous_f, x, f, g)) return run.finish(*stop, x, f, g);
    history.direction(g, d);
    first_step = 1.0;
  }
}

/// The bounded L-BFGS from x (inside the box): the loop above with the direction of
/// lbfgsb_direction.hpp, the steepest descent replaced by the projected one, and steps that
/// stop at the largest one keeping x + t d inside the box.
Result minimize_in_box(Run& run, const Box& box, const Lbfgs& method, std::vector<double> x) {
  const std::size_t n = x.size();
  std::vector<double> g(n), d(n), trial_x(n), trial_g(n);
  double f = run.evaluate(x, g);
  if (auto stop = run.start(x, f, g)) return run.finish(*stop, x, f, g);

  CompactBfgs bfgs(method.memory, n);
  LbfgsbWorkspace work(n);
  // The search along d: the steepest step is scaled to move x by 1 (in 2-norm) at first, as
  // without bounds; a quasi-Newton step is tried whole. Either may not leave the box.
  const auto search_along = [&](bool steepest) {
    const double largest = std::max(1.0, box.max_step(x, d));  // x + d is inside the box
    MoreThuente params = method.line_search;
    params.max_step = std::min(params.max_step, largest);
    const double first_step = steepest ? std::min(1.0 / norm2(d), params.max_step) : 1.0;
    LineFunction phi(run, x, d, trial_x, trial_g, &box);
    return search(params, phi, f, dot(g, d), first_step);
  };
  while (true) {
    bool steepest = !bfgs.ready() || !lbfgsb_direction(box, bfgs, x, g, d, work);
    if (steepest) {
      // No pairs yet, or rounding spoiled the quasi-Newton direction: start over.
      bfgs.clear();
      box.projected_steepest(x, g, d);
    }
    LineSearchResult found = search_along(steepest);
    if (found.outcome == LineSearchResult::Failed && !steepest) {
      // Forget the curvature pairs and retry once along the projected steepest descent.
      bfgs.clear();
      box.projected_steepest(x, g, d);
      steepest = true;
      found = search_along(steepest);
    }
    if (found.outcome == LineSearchResult::OutOfEvaluations) return run.finish(run.evaluations_exhausted(), x, f, g);
    if (found.outcome == LineSearchResult::Failed) return run.finish(Run::line_search_failed(found.why), x, f, g);

    bfgs.push(trial_x, x, trial_g, g);
    const double previous_f = f;
    std::swap(x, trial_x);  // trial_x now holds the previous point
    std::swap(g, trial_g);
    f = found.value;
    if (auto stop = run.after_iteration(trial_x, previous_f, x, f, g)) return run.finish(*stop, x, f, g);
  }
}

}  // namespace

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Bounds& bounds,
                const Lbfgs& method, const StopOptions& options) {
  validate(method);
  const Box box(bounds, x0.size());
  std::vector<double> x(x0.begin(), x0.end());
  if (!box.bounded()) {
    Run run(objective, sense, options, x);
    return minimize_free(run, method, std::move(x));
  }
  box.project(x);  // a start outside the box begins at its projection
  Run run(objective, sense, options, x, &box);
  return minimize_in_box(run, box, method, std::move(x));
}

}  // namespace detail
}  // namespace slope
