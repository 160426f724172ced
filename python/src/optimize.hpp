#pragma once
/// \file
/// What Model.optimize and slope.minimize / slope.maximize share: the method and stopping
/// options as the command line takes them, a run with the GIL released that Ctrl-C can stop,
/// and the result object.

#include <pybind11/pybind11.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "slope/optim.hpp"

namespace slope::python {

namespace py = pybind11;

/// The optimizer and when it stops: `slope optimize --method --step-size --tol --max-iter`.
struct RunOptions {
  std::string method = "lbfgs";         ///< lbfgs, gd, momentum or adam
  std::optional<double> step_size;      ///< gd (first trial step), momentum, adam
  double tolerance = 1e-6;              ///< converged when max_i |g_i| <= tolerance
  std::size_t max_iterations = 1000;
  std::size_t max_evaluations = SIZE_MAX;  ///< none by default (max_iterations stops the run), as --max-evals
  bool trace = true;                    ///< keep one row per iteration for Result.trace
};

/// Checks the options as the command line checks its flags; throws ValueError or TypeError.
[[nodiscard]] RunOptions run_options(const py::object& method, const py::object& tol, const py::object& max_iter,
                                     const py::object& max_evals, const py::object& step_size, const py::object& trace);

/// The optimizer's iteration callback: every 50 ms at most it takes the GIL and lets Python run
/// its signal handlers; when one raises (KeyboardInterrupt for Ctrl-C) it stops the run, and the
/// exception stays set for the caller to raise once it holds the GIL again.
class SignalWatch {
 public:
  bool operator()(const IterationInfo& info);
  [[nodiscard]] bool interrupted() const noexcept { return interrupted_; }

 private:
  std::chrono::steady_clock::time_point next_check_ = std::chrono::steady_clock::now();
  bool interrupted_ = false;
};

/// Runs `options.method` on `f` from `x0` inside `bounds`. Call it with the GIL released: `f`
/// takes the GIL itself if it calls Python. Afterwards, with the GIL held, raise the pending
/// Python error when watch.interrupted().
[[nodiscard]] Result run(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& bounds,
                         const RunOptions& options, SignalWatch& watch, std::vector<TraceEntry>& trace);

/// A slope.OptimizeResult with the fields both entry points share: x, objective, status,
/// converged, sense, message, criterion, iterations, evaluations, gradient_norm, active_bounds and trace
/// (None unless traced: iteration, objective, gradient_norm, step, evaluations and the points x,
/// one row each); `extra` adds more (Model.optimize's params).
[[nodiscard]] py::object make_result(const Result& result, const std::vector<TraceEntry>& trace, bool traced,
                                     py::dict extra = {});

}  // namespace slope::python
