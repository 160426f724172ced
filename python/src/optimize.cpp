#include "optimize.hpp"

#include <fmt/format.h>
#include <pybind11/numpy.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "convert.hpp"

namespace slope::python {

RunOptions run_options(const std::string& method, double tol, const py::object& max_iter, const py::object& step_size,
                       bool trace) {
  RunOptions options;
  if (method != "lbfgs" && method != "gd" && method != "momentum" && method != "adam") {
    throw py::value_error(fmt::format(
        "method must be 'lbfgs', 'gd', 'momentum' or 'adam' (as slope optimize --method), not '{}'", method));
  }
  options.method = method;
  if (!(tol >= 0.0)) throw py::value_error(fmt::format("tol must be >= 0, not {}", tol));
  options.tolerance = tol;
  // Any integer (int, numpy.int64: what operator.index takes), but not a bool or a float.
  if (!PyIndex_Check(max_iter.ptr()) || py::isinstance<py::bool_>(max_iter)) {
    throw py::type_error(fmt::format("max_iter must be an int, not {}",
                                     py::str(py::type::handle_of(max_iter).attr("__name__")).cast<std::string>()));
  }
  const auto index = py::reinterpret_steal<py::object>(PyNumber_Index(max_iter.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long iterations = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (iterations == -1 && PyErr_Occurred() != nullptr) throw py::error_already_set();
  if (overflow < 0 || (overflow == 0 && iterations < 1)) {
    throw py::value_error(fmt::format("max_iter must be >= 1, not {}", py::str(index).cast<std::string>()));
  }
  // Past what a long long holds: as good as no limit.
  options.max_iterations = overflow > 0 ? SIZE_MAX : static_cast<std::size_t>(iterations);
  if (!step_size.is_none()) {
    if (method == "lbfgs") {
      throw py::value_error("step_size applies to method 'gd', 'momentum' or 'adam'; L-BFGS finds its steps by line search");
    }
    double step = 0.0;
    try {
      step = step_size.cast<double>();
    } catch (const py::cast_error&) {
      throw py::type_error("step_size must be a number");
    }
    if (!(step > 0.0) || !std::isfinite(step)) throw py::value_error(fmt::format("step_size must be > 0, not {}", step));
    options.step_size = step;
  }
  options.trace = trace;
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
