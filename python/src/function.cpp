/// \file
/// slope.minimize / slope.maximize for a Python callable fun(x) -> (value, gradient), as scipy's
/// jac=True: the optimizer runs with the GIL released and takes it back to call fun.

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "errors.hpp"
#include "optimize.hpp"

namespace slope::python {
namespace {

/// Sets a Python exception of `type` and unwinds the optimizer.
[[noreturn]] void fail(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw PythonErrorPending{};
}

/// The objective the optimizer calls: takes the GIL, calls fun on a fresh copy of x, checks
/// what it returns. An exception from fun, or a return value of the wrong form, is left set as
/// the Python error and stops the run (PythonErrorPending).
class PythonObjective {
 public:
  explicit PythonObjective(py::handle fun) : fun_(fun) {}

  double operator()(std::span<const double> x, std::span<double> gradient) {
    const py::gil_scoped_acquire gil;
    py::object out;
    try {
      out = fun_(to_array(x));  // a copy: fun may keep or modify its argument
    } catch (py::error_already_set& error) {
      error.restore();
      throw PythonErrorPending{};
    }
    if (!(py::isinstance<py::tuple>(out) || py::isinstance<py::list>(out)) || py::len(out) != 2) {
      fail(PyExc_ValueError, fmt::format("fun must return (value, gradient), as with scipy's jac=True; it returned {}",
                                         py::isinstance<py::tuple>(out) || py::isinstance<py::list>(out)
                                             ? fmt::format("a sequence of {} items", py::len(out))
                                             : type_name(out)));
    }
    const py::object value = out[py::int_(0)];
    const py::object grad = out[py::int_(1)];
    double f = 0.0;
    try {
      const DoubleArray v = as_double_array(value, "the value fun returns");
      if (v.size() != 1) {
        fail(PyExc_ValueError, fmt::format("fun must return a number as its value, not an array of {} numbers", v.size()));
      }
      f = *v.data();
      const DoubleArray g = as_double_array(grad, "the gradient fun returns");
      if (g.ndim() != 1 || static_cast<std::size_t>(g.size()) != x.size()) {
        std::string shape = "(";
        for (py::ssize_t i = 0; i < g.ndim(); ++i) shape += fmt::format("{}{}", i == 0 ? "" : ", ", g.shape(i));
        shape += g.ndim() == 1 ? ",)" : ")";
        fail(PyExc_ValueError,
             fmt::format("fun returned a gradient of shape {} for x of shape ({},)", shape, x.size()));
      }
      std::copy(g.data(), g.data() + g.size(), gradient.begin());
    } catch (py::error_already_set& error) {
      error.restore();
      throw PythonErrorPending{};
    } catch (const py::builtin_exception& error) {
      error.set_error();
      throw PythonErrorPending{};
    }
    return f;
  }

 private:
  py::handle fun_;
};

/// A bound vector: None for none, else one number per component (+-inf for none).
std::vector<double> bound_values(const py::object& values, const char* what) {
  if (values.is_none()) return {};
  const DoubleArray array = as_double_array(values, what);
  return {array.data(), array.data() + array.size()};
}

py::object optimize_function(const py::object& fun, const py::object& x0, const std::string& sense,
                             const py::object& method, const py::object& tol, const py::object& max_iter,
                             const py::object& max_evals, const py::object& step_size, const py::object& trace,
                             const py::object& lower, const py::object& upper) {
  if (!PyCallable_Check(fun.ptr())) throw py::type_error(fmt::format("fun must be callable, not {}", type_name(fun)));
  if (sense != "minimize" && sense != "maximize") throw py::value_error("sense must be 'minimize' or 'maximize'");
  const RunOptions options = run_options(method, tol, max_iter, max_evals, step_size, trace);
  const DoubleArray start = as_double_array(x0, "x0");
  if (start.ndim() > 1) {
    throw py::value_error(fmt::format("x0 must be one-dimensional, not an array with {} dimensions", start.ndim()));
  }
  Bounds bounds{bound_values(lower, "the lower bounds"), bound_values(upper, "the upper bounds")};
  validate(bounds, static_cast<std::size_t>(start.size()));  // slope::ArgumentError: ValueError
  PythonObjective objective(fun);
  std::vector<TraceEntry> rows;
  SignalWatch watch;
  Result result;
  try {
    const py::gil_scoped_release release;
    result = run(ObjectiveRef(objective), values_of(start), sense == "maximize" ? Sense::Maximize : Sense::Minimize,
                 bounds, options, watch, rows);
  } catch (const PythonErrorPending&) {
    throw py::error_already_set();
  }
  if (watch.interrupted()) throw py::error_already_set();
  return make_result(result, rows, options.trace);
}

}  // namespace

void bind_function(py::module_& m) {
  m.def("optimize_function", &optimize_function, py::arg("fun"), py::arg("x0"), py::arg("sense"),
        py::arg("method") = "lbfgs", py::arg("tol") = 1e-6, py::arg("max_iter") = 1000,
        py::arg("max_evals") = py::none(), py::arg("step_size") = py::none(), py::arg("trace") = true,
        py::arg("lower") = py::none(),
        py::arg("upper") = py::none(),
        "Optimizes fun(x) -> (value, gradient) from x0 in `sense` ('minimize' or 'maximize') within the bounds "
        "lower <= x <= upper (None: none); see slope.minimize.");
}

}  // namespace slope::python
