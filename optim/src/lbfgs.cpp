#include "slope/optim/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "line_search.hpp"
#include "slope/optim/optimize.hpp"
#include "run.hpp"

namespace slope {

void validate(const Lbfgs& method) {
  if (method.memory == 0) throw std::invalid_argument("Lbfgs: memory must be >= 1");
  validate(method.line_search);
}

namespace detail {

namespace {

double norm2(std::span<const double> v) { return std::sqrt(dot(v, v)); }

/// The last `memory` pairs (s, y) = (x_{k+1} - x_k, g_{k+1} - g_k) in a ring, and the
/// two-loop recursion that applies the implied inverse Hessian to a vector.
class History {
 public:
  History(std::size_t memory, std::size_t n) : n_(n), s_(memory * n), y_(memory * n), rho_(memory), alpha_(memory) {}

  void clear() noexcept { size_ = 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Stores s = x_new - x_old and y = g_new - g_old unless s.y is too small to keep the
  /// implicit Hessian positive definite (then the pair is skipped).
  void push(std::span<const double> x_new, std::span<const double> x_old, std::span<const double> g_new,
            std::span<const double> g_old) {
    const std::size_t slot = (first_ + size_) % rho_.size();
    double* s = &s_[slot * n_];
    double* y = &y_[slot * n_];
    double sy = 0.0;
    double yy = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      s[i] = x_new[i] - x_old[i];
      y[i] = g_new[i] - g_old[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (!(sy > std::numeric_limits<double>::epsilon() * yy) || !std::isfinite(sy)) return;
    rho_[slot] = 1.0 / sy;
    gamma_ = sy / yy;
    if (size_ < rho_.size()) {
      ++size_;
    } else {
      first_ = (first_ + 1) % rho_.size();
    }
  }

  /// d = -H g (two-loop recursion, H0 = gamma I with gamma = s.y / y.y of the newest pair).
  void direction(std::span<const double> g, std::span<double> d) {
    for (std::size_t i = 0; i < n_; ++i) d[i] = -g[i];
    const std::size_t m = rho_.size();
    for (std::size_t k = size_; k-- > 0;) {
      const std::size_t slot = (first_ + k) % m;
      const std::span<const double> s(&s_[slot * n_], n_);
      const std::span<const double> y(&y_[slot * n_], n_);
      // Scalars are copied to locals: d could alias the members as far as the compiler knows,
      // and reloading them every element keeps these loops from vectorizing.
      const double alpha = rho_[slot] * dot(s, d);
      alpha_[slot] = alpha;
      for (std::size_t i = 0; i < n_; ++i) d[i] -= alpha * y[i];
    }
    const double gamma = gamma_;
    for (double& di : d) di *= gamma;
    for (std::size_t k = 0; k < size_; ++k) {
      const std::size_t slot = (first_ + k) % m;
      const std::span<const double> s(&s_[slot * n_], n_);
      const std::span<const double> y(&y_[slot * n_], n_);
      const double step = alpha_[slot] - rho_[slot] * dot(y, d);
      for (std::size_t i = 0; i < n_; ++i) d[i] += step * s[i];
    }
  }

 private:
  std::size_t n_;
  std::vector<double> s_, y_, rho_, alpha_;
  std::size_t first_ = 0;
  std::size_t size_ = 0;
  double gamma_ = 1.0;
};

}  // namespace

Result optimize(ObjectiveRef objective, std::span<const double> x0, Sense sense, const Lbfgs& method,
                const StopOptions& options) {
  validate(method);
  const std::size_t n = x0.size();
  Run run(objective, sense, options, x0);
  std::vector<double> x(x0.begin(), x0.end()), g(n), d(n), trial_x(n), trial_g(n);
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

}  // namespace detail
}  // namespace slope
