#pragma once
/// \file
/// One L-BFGS run of each library on a Problem, with settings matched as far as each allows:
/// Slope (hand-written gradient, or taped from the Var template), LBFGSpp's LBFGSSolver and
/// liblbfgs's lbfgs(). Every run is given the same hand-written gradient function.
///
/// Matched settings (SolverSettings; each peer's default in brackets where it differs):
///  - memory m = 8                                  [LBFGSpp 6, liblbfgs 6]
///  - a strong-Wolfe line search, c1 = 1e-4, c2 = 0.9, at most 40 trials, first trial step
///    1/|g0|₂ then 1:
///      Slope     Moré–Thuente (its only L-BFGS search; + Hager–Zhang approximate Wolfe)
///      liblbfgs  LBFGS_LINESEARCH_MORETHUENTE, its port of MINPACK-2 dcsrch (the default)
///      LBFGSpp   LineSearchNocedalWright (bracketing and zoom, Nocedal & Wright alg. 3.5/3.6)
///                with LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE   [LineSearchBacktracking,
///                Armijo; max_linesearch 20], the only strong-Wolfe search its 0.1.0
///                LBFGSSolver takes. Its LineSearchMoreThuente serves only L-BFGS-B (it takes
///                LBFGSBParam); a shim passing it LBFGSSolver's parameters fails on Rosenbrock
///                ("the line search step became smaller than the minimum value allowed").
///                NocedalWright returns its last trial, Wolfe or not, after 40 trials.
///  - the stop, the same test for all three: max_i |g_i| <= 1e-6 after an iteration.
///      Slope     its own test (StopOptions::gradient_tolerance is on max_i |g_i|).
///      liblbfgs  the test in its progress callback (its own ‖g‖₂ / max(1, ‖x‖₂) <= epsilon
///                test is off: epsilon = 0).
///      LBFGSpp   0.1.0 tests only ‖g‖₂ <= epsilon or ‖g‖₂ <= epsilon_rel ‖x‖₂ [both 1e-5] and
///                has no callback, and ‖g‖₂ <= 1e-6 is stricter than max_i |g_i| <= 1e-6 by up
///                to sqrt(n). So its gradient test is turned off (epsilon = epsilon_rel = 0)
///                and its iteration limit set to K, the first iteration whose iterate has
///                max_i |g_i| <= 1e-6, found before timing by rerunning it with limits
///                k = 1, 2, ... (lbfgspp_max_gradient_stop: the runs are deterministic and the
///                limit does not change the path; the search starts at the iteration where
///                ‖g‖₂ <= sqrt(n)·1e-6 first holds, which max_i |g_i| <= 1e-6 implies). LBFGSpp
///                then stops at the same iterate as a max_i |g_i| test would, having done the
///                same work (it still computes ‖g‖₂ at every iteration). When no such K is found
///                (a run throws first), it keeps its own test ‖g‖₂ <= 1e-6, and says so.
///  - at most 10000 iterations                      [LBFGSpp, liblbfgs: no limit]

#include <LBFGS.h>
#include <lbfgs.h>
#include <Eigen/Core>
#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "problems/problem.hpp"

namespace slope::bench {

/// The settings every library is given (see the file comment for how each maps them).
struct SolverSettings {
  std::size_t memory = 8;
  double gradient_tolerance = 1e-6;  ///< on max_i |g_i|, for every library (see the file comment)
  std::size_t max_iterations = 10000;
  std::size_t max_line_search = 40;  ///< trials per line search
};

/// How a run ended, in a form common to the libraries.
struct RunOutcome {
  bool converged = false;        ///< the run stopped by its convergence test
  std::string status;            ///< the library's own word for why it stopped
  std::size_t iterations = 0;    ///< accepted steps
  bool iterations_known = true;  ///< false when LBFGSpp threw: it does not say after how many
  std::size_t evaluations = 0;   ///< value-and-gradient calls, including the one at x0
  double value = std::numeric_limits<double>::quiet_NaN();  ///< f at x, as the solver reports it
  std::vector<double> x;
};

/// Slope's L-BFGS on any objective form, with the settings.
template <class F>
RunOutcome run_slope_on(F& objective, const std::vector<double>& x0, const SolverSettings& settings) {
  const slope::Lbfgs method{.memory = settings.memory, .line_search = {.max_trials = settings.max_line_search}};
  slope::StopOptions stop;
  stop.max_iterations = settings.max_iterations;
  stop.max_evaluations = std::numeric_limits<std::size_t>::max();
  stop.gradient_tolerance = settings.gradient_tolerance;
  slope::Result result = slope::minimize(objective, x0, method, stop);
  RunOutcome out;
  out.converged = result.converged();
  out.status = slope::to_string(result.status);
  out.iterations = result.iterations;
  out.evaluations = result.evaluations;
  out.value = result.value;
  out.x = std::move(result.x);
  return out;
}

/// Slope's L-BFGS with the problem's hand-written gradient.
template <Problem P>
RunOutcome run_slope(const P& problem, const SolverSettings& settings) {
  auto objective = [&problem](std::span<const double> x, std::span<double> grad) { return problem.gradient(x, grad); };
  return run_slope_on(objective, problem.x0, settings);
}

/// Slope's L-BFGS with the gradient taken by the tape from the problem's Var template, as
/// slope::minimize(lambda) takes it: taped for the first evaluations
/// (TapedObjective::kTapedFirst), then recorded once into a Function and replayed.
template <Problem P>
RunOutcome run_slope_taped(const P& problem, const SolverSettings& settings) {
  auto objective = [&problem](std::span<const slope::Var> x) { return problem.evaluate(x); };
  return run_slope_on(objective, problem.x0, settings);
}

/// LBFGSpp's LBFGSSolver with LineSearchNocedalWright (strong Wolfe). With `stop_after` = K > 0
/// (from lbfgspp_max_gradient_stop) its gradient test is off and it stops after K iterations,
/// at its first iterate with max_i |g_i| <= gradient_tolerance; with 0, it stops on its own
/// test ‖g‖₂ <= gradient_tolerance. A failed line search throws; the outcome then says
/// "exception: ..." and keeps the point the solver left.
template <Problem P>
RunOutcome run_lbfgspp(const P& problem, const SolverSettings& settings, std::size_t stop_after = 0) {
  LBFGSpp::LBFGSParam<double> param;
  param.m = static_cast<int>(settings.memory);
  param.epsilon = stop_after > 0 ? 0.0 : settings.gradient_tolerance;
  param.epsilon_rel = 0.0;
  param.max_iterations = static_cast<int>(stop_after > 0 ? stop_after : settings.max_iterations);
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
  param.max_linesearch = static_cast<int>(settings.max_line_search);
  LBFGSpp::LBFGSSolver<double, LBFGSpp::LineSearchNocedalWright> solver(param);

  RunOutcome out;
  auto objective = [&problem, &out](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
    ++out.evaluations;
    return problem.gradient(std::span<const double>(x.data(), static_cast<std::size_t>(x.size())),
                            std::span<double>(grad.data(), static_cast<std::size_t>(grad.size())));
  };
  const auto n = static_cast<Eigen::Index>(problem.x0.size());
  Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(problem.x0.data(), n);
  double value = std::numeric_limits<double>::quiet_NaN();
  try {
    const int iterations = solver.minimize(objective, x, value);
    out.iterations = static_cast<std::size_t>(iterations);
    if (stop_after > 0) {
      // The limit is the iteration of the first iterate with max_i |g_i| <= tolerance (or the
      // gradient is exactly 0, ‖g‖₂ <= epsilon = 0, earlier).
      out.converged = true;
      out.status = "converged (max|g|)";
    } else {
      // minimize returns on the gradient test or, after it, on the iteration limit.
      out.converged = iterations < param.max_iterations;
      out.status = out.converged ? "converged (|g|_2)" : "max_iterations";
    }
  } catch (const std::exception& error) {
    out.status = std::string("exception: ") + error.what();
    out.iterations_known = false;
  }
  out.value = value;
  out.x.assign(x.data(), x.data() + n);
  return out;
}

/// Where LBFGSpp stops under the test max_i |g_i| <= tolerance, and under its own ‖g‖₂ test.
struct LbfgsppStop {
  std::size_t max_gradient_iterations = 0;  ///< K for run_lbfgspp's stop_after; 0 if not found
  std::size_t norm2_iterations = 0;         ///< iterations of its own test ‖g‖₂ <= tolerance
  bool norm2_converged = false;             ///< whether that run stopped on its test
};

/// The largest |g_i| of the problem's gradient at x (the hand-written gradient).
template <Problem P>
double max_abs_gradient(const P& problem, std::span<const double> x) {
  std::vector<double> grad(x.size());
  static_cast<void>(problem.gradient(x, grad));
  double largest = 0.0;
  for (const double g : grad) largest = std::max(largest, std::abs(g));
  return largest;
}

/// Finds K, the first iteration after which LBFGSpp's iterate has max_i |g_i| <= tolerance, by
/// running it with its gradient test off and iteration limits k = k0, k0 + 1, ... (untimed; runs
/// are deterministic, and the limit only ends the same path earlier). k0 is the first iteration
/// with ‖g‖₂ <= sqrt(n)·tolerance, which max_i |g_i| <= tolerance implies; LBFGSpp's own test
/// ‖g‖₂ <= tolerance implies it in turn, so K is at most that run's iterations (also returned).
template <Problem P>
LbfgsppStop lbfgspp_max_gradient_stop(const P& problem, const SolverSettings& settings) {
  LbfgsppStop stop;
  const RunOutcome own = run_lbfgspp(problem, settings);
  stop.norm2_converged = own.converged;
  stop.norm2_iterations = own.iterations;
  SolverSettings loose = settings;
  loose.gradient_tolerance = settings.gradient_tolerance * std::sqrt(static_cast<double>(problem.x0.size()));
  const RunOutcome first = run_lbfgspp(problem, loose);
  const std::size_t from = first.converged ? std::max<std::size_t>(1, first.iterations) : 1;
  for (std::size_t k = from; k <= settings.max_iterations; ++k) {
    const RunOutcome run = run_lbfgspp(problem, settings, k);
    if (!run.iterations_known) return stop;  // it threw before reaching the test
    if (max_abs_gradient(problem, run.x) <= settings.gradient_tolerance) {
      stop.max_gradient_iterations = k;
      return stop;
    }
    if (run.iterations < k) return stop;  // stopped early (a zero gradient) without meeting it
  }
  return stop;
}

/// liblbfgs's status codes by name.
[[nodiscard]] inline std::string liblbfgs_status(int code) {
  switch (code) {
    case LBFGS_SUCCESS: return "LBFGS_SUCCESS";
    case LBFGS_STOP: return "LBFGS_STOP";
    case LBFGS_ALREADY_MINIMIZED: return "LBFGS_ALREADY_MINIMIZED";
    case LBFGSERR_OUTOFINTERVAL: return "LBFGSERR_OUTOFINTERVAL";
    case LBFGSERR_INCORRECT_TMINMAX: return "LBFGSERR_INCORRECT_TMINMAX";
    case LBFGSERR_ROUNDING_ERROR: return "LBFGSERR_ROUNDING_ERROR";
    case LBFGSERR_MINIMUMSTEP: return "LBFGSERR_MINIMUMSTEP";
    case LBFGSERR_MAXIMUMSTEP: return "LBFGSERR_MAXIMUMSTEP";
    case LBFGSERR_MAXIMUMLINESEARCH: return "LBFGSERR_MAXIMUMLINESEARCH";
    case LBFGSERR_MAXIMUMITERATION: return "LBFGSERR_MAXIMUMITERATION";
    case LBFGSERR_WIDTHTOOSMALL: return "LBFGSERR_WIDTHTOOSMALL";
    case LBFGSERR_INVALIDPARAMETERS: return "LBFGSERR_INVALIDPARAMETERS";
    case LBFGSERR_INCREASEGRADIENT: return "LBFGSERR_INCREASEGRADIENT";
    default: return "liblbfgs code " + std::to_string(code);
  }
}

/// liblbfgs's lbfgs() with its Moré–Thuente line search; the stop max_i |g_i| <= tolerance is
/// tested in the progress callback, which lbfgs() calls after every iteration.
template <Problem P>
RunOutcome run_liblbfgs(const P& problem, const SolverSettings& settings) {
  struct Context {
    const P* problem;
    double tolerance;
    std::size_t evaluations = 0;
    int iterations = 0;
    bool converged = false;
  } context{&problem, settings.gradient_tolerance};

  const auto evaluate = [](void* instance, const lbfgsfloatval_t* x, lbfgsfloatval_t* grad, int n,
                           lbfgsfloatval_t /*step*/) -> lbfgsfloatval_t {
    auto& c = *static_cast<Context*>(instance);
    ++c.evaluations;
    const auto size = static_cast<std::size_t>(n);
    return c.problem->gradient(std::span<const double>(x, size), std::span<double>(grad, size));
  };
  const auto progress = [](void* instance, const lbfgsfloatval_t* /*x*/, const lbfgsfloatval_t* grad,
                           lbfgsfloatval_t /*fx*/, lbfgsfloatval_t /*xnorm*/, lbfgsfloatval_t /*gnorm*/,
                           lbfgsfloatval_t /*step*/, int n, int k, int /*ls*/) -> int {
    auto& c = *static_cast<Context*>(instance);
    c.iterations = k;
    double largest = 0.0;
    for (int i = 0; i < n; ++i) largest = std::max(largest, std::abs(grad[i]));
    c.converged = largest <= c.tolerance;
    return c.converged ? 1 : 0;  // nonzero stops lbfgs(), which returns this value
  };

  lbfgs_parameter_t param;
  lbfgs_parameter_init(&param);
  param.m = static_cast<int>(settings.memory);
  param.epsilon = 0.0;
  param.max_iterations = static_cast<int>(settings.max_iterations);
  param.linesearch = LBFGS_LINESEARCH_MORETHUENTE;
  param.max_linesearch = static_cast<int>(settings.max_line_search);

  const int n = static_cast<int>(problem.x0.size());
  lbfgsfloatval_t* x = lbfgs_malloc(n);
  std::copy(problem.x0.begin(), problem.x0.end(), x);
  lbfgsfloatval_t value = std::numeric_limits<double>::quiet_NaN();
  const int code = lbfgs(n, x, &value, evaluate, progress, &context, &param);

  RunOutcome out;
  out.converged = context.converged || code == LBFGS_ALREADY_MINIMIZED;
  out.status = context.converged ? "converged" : liblbfgs_status(code);
  out.iterations = static_cast<std::size_t>(context.iterations);
  out.evaluations = context.evaluations;
  out.value = value;
  out.x.assign(x, x + n);
  lbfgs_free(x);
  return out;
}

}  // namespace slope::bench
