#include "optimize.hpp"

#include <fmt/format.h>
#include <pybind11/numpy.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "convert.hpp"

namespace slope::python {

RunOptions run_options(const py::object& method, const py::object& tol, const py::object& max_iter,
                       const py::object& max_evals, const py::object& step_size, const py::object& trace) {
  RunOptions options;
  options.method = text_argument(method, "method");
  if (options.method != "lbfgs" && options.method != "gd" && options.method != "momentum" && options.method != "adam") {
    throw py::value_error(fmt::format(
        "method must be 'lbfgs', 'gd', 'momentum' or 'adam' (as slope optimize --method), not '{}'", options.method));
  }
  options.tolerance = number_argument(tol, "tol");
  if (!(options.tolerance >= 0.0)) throw py::value_error(fmt::format("tol must be >= 0, not {}", options.tolerance));
  options.max_iterations = count_argument(max_iter, "max_iter");
  options.max_evaluations = count_argument(max_evals, "max_evals", SIZE_MAX, /*none_allowed=*/true);
  if (!step_size.is_none()) {
    if (options.method == "lbfgs") {
      throw py::value_error("step_size applies to method 'gd', 'momentum' or 'adam'; L-BFGS finds its steps by line search");
    }
    const double step = number_argument(step_size, "step_size");
    if (!(step > 0.0) || !std::isfinite(step)) throw py::value_error(fmt::format("step_size must be > 0, not {}", step));
    options.step_size = step;
  }
  options.trace = flag_argument(trace, "trace");
  return options;
}

bool SignalWatch::operator()(const IterationInfo& /*info*/) {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return true;
  next_check_ = now + std::chrono::milliseconds(50);
  const py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) {
    interrupted_ = true;
    return false;
  }
  return true;
}

Result run(ObjectiveRef f, std::span<const double> x0, Sense sense, const Bounds& bounds, const RunOptions& options,
           SignalWatch& watch, std::vector<TraceEntry>& trace) {
  StopOptions stop;
  stop.max_iterations = options.max_iterations;
  stop.max_evaluations = options.max_evaluations;
  stop.gradient_tolerance = options.tolerance;
  stop.callback = [&watch](const IterationInfo& info) { return watch(info); };
  if (options.trace) stop.trace = &trace;
  if (options.method == "gd") {
    GradientDescent method;
    if (options.step_size) method.step_size = *options.step_size;
    return optimize(f, x0, sense, bounds, method, stop);
  }
  if (options.method == "momentum") {
    Momentum method;
    if (options.step_size) method.step_size = *options.step_size;
    return optimize(f, x0, sense, bounds, method, stop);
  }
  if (options.method == "adam") {
    Adam method;
    if (options.step_size) method.step_size = *options.step_size;
    return optimize(f, x0, sense, bounds, method, stop);
  }
  return optimize(f, x0, sense, bounds, Lbfgs{}, stop);
}

namespace {

template <class T, class Field>
py::array_t<T> column(const std::vector<TraceEntry>& trace, Field field) {
  py::array_t<T> out(static_cast<py::ssize_t>(trace.size()));
  T* data = out.mutable_data();
  for (std::size_t i = 0; i < trace.size(); ++i) data[i] = static_cast<T>(trace[i].*field);
  return out;
}

/// The point of each row, one row each: shape (rows, n).
py::array_t<double> points(const std::vector<TraceEntry>& trace, std::size_t n) {
  py::array_t<double> out({static_cast<py::ssize_t>(trace.size()), static_cast<py::ssize_t>(n)});
  double* data = out.mutable_data();
  for (const TraceEntry& entry : trace) data = std::copy(entry.x.begin(), entry.x.end(), data);
  return out;
}

}  // namespace

py::object make_result(const Result& result, const std::vector<TraceEntry>& trace, bool traced, py::dict extra) {
  const py::module_ module = py::module_::import("slope._result");
  py::dict fields;
  fields["x"] = to_array(result.x);
  fields["objective"] = result.value;
  fields["status"] = std::string(to_string(result.status));
  fields["converged"] = result.converged();
  fields["sense"] = std::string(to_string(result.sense));
  fields["message"] = result.message;
  fields["criterion"] = std::string(to_string(result.criterion));
  fields["iterations"] = result.iterations;
  fields["evaluations"] = result.evaluations;
  fields["gradient_norm"] = result.gradient_norm;
  py::list active;
  for (const BoundState state : result.active_bounds) active.append(py::str(std::string(to_string(state))));
  fields["active_bounds"] = active;
  if (traced) {
    fields["trace"] = module.attr("Trace")(
        py::arg("iteration") = column<std::int64_t>(trace, &TraceEntry::iteration),
        py::arg("objective") = column<double>(trace, &TraceEntry::value),
        py::arg("gradient_norm") = column<double>(trace, &TraceEntry::gradient_norm),
        py::arg("step") = column<double>(trace, &TraceEntry::step_size),
        py::arg("evaluations") = column<std::int64_t>(trace, &TraceEntry::evaluations),
        py::arg("x") = points(trace, result.x.size()));
  } else {
    fields["trace"] = py::none();
  }
  for (const auto& [key, value] : extra) fields[key] = value;
  return module.attr("OptimizeResult")(**fields);
}

}  // namespace slope::python
