/// \file
/// slope.Model: a slope::lang::Model with its data bound from NumPy arrays (without a copy when
/// they are float64 in C order), evaluated and optimized with the GIL released.

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "errors.hpp"
#include "optimize.hpp"
#include "slope/lang/check.hpp"
#include "slope/lang/data.hpp"
#include "slope/lang/errors.hpp"
#include "slope/lang/model.hpp"

namespace slope::python {
namespace {

/// Requires a mapping (dict) for `what`; returns its items as a dict.
py::dict as_dict(const py::object& value, const char* what, const char* form) {
  if (value.is_none()) return {};
  const py::object mapping = py::module_::import("collections.abc").attr("Mapping");
  if (!py::isinstance(value, mapping)) {
    throw py::type_error(fmt::format("{} must be a dict {}, not {}", what, form, type_name(value)));
  }
  return py::dict(value);
}

std::string key_name(py::handle key, const char* what) {
  if (!py::isinstance<py::str>(key)) {
    throw py::type_error(fmt::format("the keys of {} must be names (str), not {}", what, type_name(key)));
  }
  return key.cast<std::string>();
}

/// The shape of an array as NumPy prints it: (3,), (2, 3), ().
std::string numpy_shape(const DoubleArray& array) {
  std::string out = "(";
  for (py::ssize_t i = 0; i < array.ndim(); ++i) out += fmt::format("{}{}", i == 0 ? "" : ", ", array.shape(i));
  return out + (array.ndim() == 1 ? ",)" : ")");
}

/// Model::parse, with a syntax error rendered as the command line renders it.
lang::Model parse(const std::string& source, const std::string& file) {
  try {
    return lang::Model::parse(source, file);
  } catch (const lang::Error& error) {
    throw located(error, file, source);
  }
}

/// Model::load, with a syntax error rendered as the command line renders it.
lang::Model load(const std::filesystem::path& path) {
  try {
    return lang::Model::load(path);
  } catch (const lang::Error& error) {
    std::string source;
    if (error.location() != lang::kNowhere) {
      std::ifstream in(path, std::ios::binary);
      source.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    throw located(error, path.string(), source);
  }
}

/// The most threads a model takes (more than any machine's cores; a typo's million threads would
/// exhaust the process before the first evaluation).
constexpr std::size_t kMostThreads = 1024;

/// A model, the arrays it refers to, and a lock: a Model is evaluated by one thread at a time,
/// and with the GIL released two Python threads could otherwise share it.
class PyModel {
 public:
  PyModel(lang::Model model, const py::object& data, const py::object& consts) : model_(std::move(model)) {
    // All cores, as `slope optimize`: threads start only when a model has rows to split.
    model_.set_threads(0);
    guarded([&] {
      bind(data);
      for (const auto& [key, value] : as_dict(consts, "consts", "{name: number}")) {
        const std::string name = key_name(key, "consts");
        double number = 0.0;
        try {
          number = value.cast<double>();
        } catch (const py::cast_error&) {
          throw py::type_error(fmt::format("const '{}' must be a number, not {}", name, type_name(value)));
        }
        model_.set_constant(name, number);
      }
      model_.check();
      parameters_ = model_.parameters();
      // Interned, as the keys of a dict literal are, so that looking a key up is a pointer test.
      for (const lang::ParameterInfo& info : parameters_) {
        PyObject* name = PyUnicode_InternFromString(info.name.c_str());
        if (name == nullptr) throw py::error_already_set();
        names_.push_back(py::reinterpret_steal<py::str>(name));
      }
      initial_ = model_.initial_point();
      sense_ = model_.sense();
    });
  }

  PyModel(const PyModel&) = delete;
  PyModel& operator=(const PyModel&) = delete;

  [[nodiscard]] py::list params() const {
    py::list names;
    for (const lang::ParameterInfo& info : parameters_) names.append(info.name);
    return names;
  }
  [[nodiscard]] py::dict initial() const { return params_dict(parameters_, names_, initial_); }
  [[nodiscard]] std::string sense() const { return std::string(to_string(sense_)); }
  [[nodiscard]] const std::string& file() const noexcept { return model_.file(); }

  double value(const py::object& p) {
    std::vector<double> theta;
    point(p, "p", theta);
    return locked([&] { return model_.value(theta); });
  }

  py::dict gradient(const py::object& p) { return value_and_gradient(p)[1].cast<py::dict>(); }

  py::tuple value_and_gradient(const py::object& p) {
    // Per-thread buffers: for a small model, allocating them would cost a tenth of the call. Not
    // for a call made while converting another's p (an array-like whose __array__ calls the
    // model again): that one has buffers of its own.
    struct Buffers {
      std::vector<double> theta;
      std::vector<double> gradient;
      bool in_use = false;
    };
    thread_local Buffers shared;  // one thread-local access: each costs a call in a shared library
    Buffers own;
    Buffers& buffers = shared.in_use ? own : shared;
    std::vector<double>& theta = buffers.theta;
    std::vector<double>& gradient = buffers.gradient;
    buffers.in_use = true;
    struct Release {
      Buffers& buffers;
      ~Release() { buffers.in_use = false; }
    } const release{buffers};
    point(p, "p", theta);
    gradient.resize(theta.size());
    const double value = locked([&] { return model_.value_and_gradient(theta, gradient); });
    return py::make_tuple(value, params_dict(parameters_, names_, gradient));
  }

  /// f(x) -> (value, gradient) in the minimize sense, for flat().
  py::tuple minimize_sense(const py::object& x) {
    const DoubleArray array = flat_point(x, "x");
    std::vector<double> gradient(static_cast<std::size_t>(array.size()));
    const double value = locked([&] { return model_.value_and_gradient(values_of(array), gradient); });
    const double sign = sense_ == Sense::Maximize ? -1.0 : 1.0;
    py::array_t<double> g = to_array(gradient);
    if (sign < 0.0) std::for_each(g.mutable_data(), g.mutable_data() + g.size(), [](double& v) { v = -v; });
    return py::make_tuple(sign * value, std::move(g));
  }

  py::dict unflatten(const py::object& x) {
    const DoubleArray array = flat_point(x, "x");
    return params_dict(parameters_, names_, values_of(array));
  }

  [[nodiscard]] py::array_t<double> initial_flat() const { return to_array(initial_); }

  py::object optimize(const py::object& method, const py::object& tol, const py::object& max_iter,
                      const py::object& start, const py::object& max_evals, const py::object& step_size,
                      const py::object& trace) {
    const RunOptions options = run_options(method, tol, max_iter, max_evals, step_size, trace);
    std::vector<double> theta;
    if (start.is_none()) {
      theta = initial_;
    } else if (py::isinstance(start, py::module_::import("collections.abc").attr("Mapping"))) {
      point(start, "start", theta);
    } else {
      const DoubleArray array = flat_point(start, "start");
      theta.assign(array.data(), array.data() + array.size());
    }
    const Bounds bounds = model_.bounds();  // the params' bounds (`param sigma > 0`); empty: none
    if (!bounds.unbounded()) {
      for (const lang::ParameterInfo& info : parameters_) {
        for (std::size_t i = 0; i < info.shape.size(); ++i) {
          const std::size_t k = info.offset + i;
          if (theta[k] >= bounds.lower[k] && theta[k] <= bounds.upper[k]) continue;
          // The bounds as the model writes them: `sigma > 0` is (0, inf), not the closest double
          // above 0 that the optimizer keeps as its closed bound.
          throw py::value_error(fmt::format("start: {} = {} is outside its bounds {}", lang::component_name(info, i),
                                            theta[k], info.bounds.empty() ? "(-inf, inf)" : info.bounds));
        }
      }
    }
    std::vector<TraceEntry> rows;
    SignalWatch watch;
    const Result result = locked([&] {
      // A domain error at the start (log of a negative, NaN in the data) is a DomainError naming
      // its place in the model, as with `slope optimize`. That takes a checked evaluation, which
      // records the model on a tape (about three replays' time: a sixth of a 200,000 x 50
      // logistic fit), so it is made only when the optimizer's first evaluation, at the start, is
      // not finite, which is what a domain error leaves in a replay.
      const auto replay = model_.objective();
      bool first = true;
      bool start_finite = true;
      auto objective = [&](std::span<const double> x, std::span<double> g) {
        const double value = replay(x, g);
        if (first) {
          first = false;
          start_finite = std::isfinite(value) &&
                         std::all_of(g.begin(), g.end(), [](double v) { return std::isfinite(v); });
        }
        return value;
      };
      Result out = run(ObjectiveRef(objective), theta, sense_, bounds, options, watch, rows);
      if (!start_finite) {
        std::vector<double> gradient(theta.size());
        (void)model_.value_and_gradient(theta, gradient, /*checked=*/true);  // throws the located error
      }
      return out;
    });
    if (watch.interrupted()) throw py::error_already_set();
    py::dict extra;
    extra["params"] = params_dict(parameters_, names_, result.x);
    return make_result(result, rows, options.trace, extra);
  }

  [[nodiscard]] std::string repr() const {
    std::string params;
    for (const lang::ParameterInfo& info : parameters_) {
      params += fmt::format("{}{}{}", params.empty() ? "" : ", ", info.name,
                            info.shape.rank == 0 ? std::string() : lang::describe(info.shape));
    }
    return fmt::format("<slope.Model {} ({}; params {})>", model_.file(), to_string(sense_), params);
  }

  /// Sets the thread count, once no other thread evaluates the model.
  void set_threads(const py::object& threads) {
    if (!PyIndex_Check(threads.ptr()) || PyBool_Check(threads.ptr())) {
      throw py::type_error(fmt::format("threads must be an int, not {}", type_name(threads)));
    }
    const auto count = threads.cast<long long>();
    if (count < 0 || count > static_cast<long long>(kMostThreads)) {
      throw py::value_error(
          fmt::format("threads must be between 0 (one per core) and {}, not {}", kMostThreads, count));
    }
    locked([&] { model_.set_threads(static_cast<std::size_t>(count)); });
  }

  /// The C++ model (for settings such as its thread count).
  lang::Model& model() noexcept { return model_; }
  [[nodiscard]] const lang::Model& model() const noexcept { return model_; }

 private:
  /// Runs `f` on the model, turning a front-end error into a LocatedError rendered as the
  /// command line renders it.
  template <class F>
  auto guarded(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const lang::Error& error) {
      throw located(error, model_.file(), model_.source());
    }
  }

  /// guarded(f) with the GIL released and the model locked (in that order, so that a thread
  /// waiting for the lock never holds the GIL that the thread holding the lock may need). While
  /// another thread holds the model, the wait lets Python run its signal handlers every 50 ms,
  /// so that Ctrl-C stops a main thread waiting for a long optimize with KeyboardInterrupt.
  template <class F>
  auto locked(F&& f) -> decltype(f()) {
    std::unique_lock lock(mutex_, std::try_to_lock);  // free, the usual case: no clock read
    while (!lock.owns_lock()) {
      {
        const py::gil_scoped_release release;
        if (lock.try_lock_for(std::chrono::milliseconds(50))) break;
      }
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    const py::gil_scoped_release release;
    return guarded(std::forward<F>(f));
  }

  /// The rank a `data` declaration gives `name` (0 for an undeclared name: bind_data reports it).
  [[nodiscard]] int declared_rank(const std::string& name) const {
    for (const lang::DataDeclaration& declaration : model_.data_declarations()) {
      if (declaration.name == name) return declaration.rank;
    }
    return 0;
  }

  /// Binds every data array; a declared name left without data is an error at its declaration.
  void bind(const py::object& data) {
    const py::dict items = as_dict(data, "data", "{name: array}");
    for (const auto& [key, value] : items) {
      const std::string name = key_name(key, "data");
      DoubleArray array = as_double_array(value, fmt::format("data '{}'", name));
      std::size_t rows = 1;
      std::size_t cols = 1;
      if (array.ndim() == 1) rows = static_cast<std::size_t>(array.shape(0));
      if (array.ndim() == 2) {
        rows = static_cast<std::size_t>(array.shape(0));
        cols = static_cast<std::size_t>(array.shape(1));
      }
      if (array.ndim() > 2) {
        throw lang::CheckError(model_.file(), lang::kNowhere,
                               fmt::format("data '{}' has shape {}, but data is a scalar, a vector or a matrix", name,
                                           numpy_shape(array)));
      }
      lang::Matrix matrix = lang::Matrix::view(values_of(array), rows, cols);
      // An array of fewer dimensions than declared (a 1-D array or a number for `data X[n, d]`)
      // is refused with its rank, as a .npy file's is, not read as one column; any other shape
      // is checked as a CSV file's, with the same messages.
      const int rank = static_cast<int>(array.ndim());
      if (rank < declared_rank(name)) {
        model_.bind_data(name, lang::Array{rank, std::move(matrix)});
      } else {
        model_.bind_data(name, std::move(matrix));
      }
      arrays_.append(std::move(array));  // the model refers to its values: keep it alive
    }
    for (const lang::DataDeclaration& declaration : model_.data_declarations()) {
      if (!items.contains(py::str(declaration.name))) {
        throw lang::CheckError(model_.file(), declaration.span.begin,
                               fmt::format("no data for '{}': pass data={{'{}': array}}", declaration.name,
                                           declaration.name));
      }
    }
  }

  /// The flat parameter vector for {name: value}: the initial values, with the given ones over
  /// them (as `slope gradient --at`). Each value must have its param's shape.
  void point(const py::object& p, const char* what, std::vector<double>& theta) {
    // A plain dict of Python numbers is the common case, and for a small model its conversion
    // costs as much as the evaluation: walk it with the C API and read floats directly.
    py::dict converted;
    PyObject* items = p.ptr();
    if (!PyDict_Check(items)) {
      converted = as_dict(p, what, "{param name: number or array}");
      items = converted.ptr();
    }
    theta.assign(initial_.begin(), initial_.end());
    Py_ssize_t position = 0;
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    while (PyDict_Next(items, &position, &key, &value)) {
      auto info = parameters_.end();
      for (std::size_t i = 0; i < names_.size(); ++i) {
        if (names_[i].ptr() == key) info = parameters_.begin() + static_cast<std::ptrdiff_t>(i);
      }
      if (info != parameters_.end() && info->shape.rank == 0 && PyFloat_Check(value)) {
        theta[info->offset] = PyFloat_AS_DOUBLE(value);
        continue;
      }
      if (!PyUnicode_Check(key)) {
        throw py::type_error(fmt::format("the keys of {} must be names (str), not {}", what, type_name(key)));
      }
      Py_ssize_t length = 0;
      const char* text = PyUnicode_AsUTF8AndSize(key, &length);
      if (text == nullptr) throw py::error_already_set();
      const std::string_view name(text, static_cast<std::size_t>(length));
      if (info == parameters_.end()) {
        info = std::find_if(parameters_.begin(), parameters_.end(),
                            [&](const lang::ParameterInfo& i) { return i.name == name; });
      }
      if (info != parameters_.end() && info->shape.rank == 0 && PyFloat_Check(value)) {
        theta[info->offset] = PyFloat_AS_DOUBLE(value);
        continue;
      }
      const DoubleArray array = as_double_array(value, fmt::format("param '{}'", name));
      if (info == parameters_.end() || static_cast<std::size_t>(array.size()) != info->shape.size()) {
        // An unknown name or a wrong length: the model's own message.
        locked([&] { model_.set_parameter(theta, name, values_of(array)); });
        continue;
      }
      const bool same = array.ndim() == info->shape.rank &&
                        (info->shape.rank < 1 || static_cast<std::size_t>(array.shape(0)) == info->shape.rows) &&
                        (info->shape.rank < 2 || static_cast<std::size_t>(array.shape(1)) == info->shape.cols);
      if (!same) {
        throw located(lang::CheckError(model_.file(), lang::kNowhere,
                                       fmt::format("param '{}' has shape {}, but a value of shape {} was given", name,
                                                   lang::describe(info->shape), numpy_shape(array))),
                      model_.file(), model_.source());
      }
      std::copy(array.data(), array.data() + array.size(), theta.begin() + static_cast<std::ptrdiff_t>(info->offset));
    }
  }

  /// A flat parameter vector given as an array (1-D or a number).
  DoubleArray flat_point(const py::object& x, const char* what) {
    DoubleArray array = as_double_array(x, what);
    if (array.ndim() > 1) {
      throw py::value_error(fmt::format("{} must be a flat vector of the {} parameter values, not an array of shape {}",
                                        what, initial_.size(), numpy_shape(array)));
    }
    if (static_cast<std::size_t>(array.size()) != initial_.size()) {
      throw located(lang::CheckError(model_.file(), lang::kNowhere,
                                     fmt::format("the model has {} parameter values, but {} {} given",
                                                 initial_.size(), array.size(), array.size() == 1 ? "was" : "were")),
                    model_.file(), model_.source());
    }
    return array;
  }

  lang::Model model_;
  py::list arrays_;
  std::timed_mutex mutex_;
  std::vector<lang::ParameterInfo> parameters_;
  std::vector<py::str> names_;  ///< the param names as Python strings, the keys of every dict returned
  std::vector<double> initial_;
  Sense sense_ = Sense::Minimize;
};

/// True when `self` is a slope.Model whose __init__ ran (Model.__new__ alone makes one without
/// a C++ model behind it).
bool initialized(py::handle self) {
  if (!py::isinstance<PyModel>(self)) return false;
  return reinterpret_cast<py::detail::instance*>(self.ptr())->get_value_and_holder().holder_constructed();
}

/// The C++ model of `self`; an ArgumentTypeError, not a crash, for one never initialized.
PyModel& model_of(py::handle self) {
  if (!initialized(self)) {
    throw py::type_error("this slope.Model was not initialized: make one with slope.Model(source, ...) or "
                         "slope.Model.load(path, ...)");
  }
  return *reinterpret_cast<py::detail::instance*>(self.ptr())->get_value_and_holder().value_ptr<PyModel>();
}

/// m.value_and_gradient(p) as a CPython method: for a small model, pybind11's dispatch (argument
/// loading, type lookups) costs about as much as the evaluation itself. Only the plain call
/// m.value_and_gradient(p) that succeeds is served here; any other call, and any error, goes to
/// the pybind11 method _value_and_gradient, which does the same and raises the translated
/// exception.
PyObject* fast_value_and_gradient(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  const py::detail::value_and_holder v_h = reinterpret_cast<py::detail::instance*>(self)->get_value_and_holder();
  if (nargs == 1 && kwnames == nullptr && v_h.holder_constructed()) {
    try {
      return v_h.value_ptr<PyModel>()->value_and_gradient(py::reinterpret_borrow<py::object>(args[0])).release().ptr();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the slow path raises it properly
    }
  }
  PyObject* method = PyObject_GetAttrString(self, "_value_and_gradient");
  if (method == nullptr) return nullptr;
  PyObject* result = PyObject_Vectorcall(method, args, static_cast<std::size_t>(nargs), kwnames);
  Py_DECREF(method);
  return result;
}

PyMethodDef fast_value_and_gradient_def{
    "value_and_gradient", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&fast_value_and_gradient)),
    METH_FASTCALL | METH_KEYWORDS,
    "value_and_gradient($self, /, p)\n--\n\n(value, gradient) of the objective as written at p = {name: float | array-like}, "
    "in one evaluation."};

}  // namespace

void bind_model(py::module_& m) {
  py::class_<PyModel> cls(m, "Model", R"doc(A .slope model with its data bound, ready to evaluate and optimize.

    Model(source, data=None, consts=None, file="<string>")   parses the text `source`;
    Model.load(path, data=None, consts=None)                 reads a .slope file.

`data` maps each `data` name to an array (float64 in C order is used without a copy: the model
keeps a reference, so do not modify it while the model is in use; anything else is converted
once); `consts` overrides scalar `const`s. Errors in the model raise slope.ModelError with the
message `slope` prints.)doc");
  cls
      .def(py::init([](const py::object& source, const py::object& data, const py::object& consts,
                       const py::object& file) {
             return std::make_unique<PyModel>(parse(text_argument(source, "source"), text_argument(file, "file")),
                                              data, consts);
           }),
           py::arg("source"), py::arg("data") = py::none(), py::arg("consts") = py::none(),
           py::arg("file") = "<string>")
      .def_static(
          "load",
          [](const py::object& path, const py::object& data, const py::object& consts) {
            const py::object os_path = py::module_::import("os").attr("PathLike");
            if (!py::isinstance<py::str>(path) && !py::isinstance(path, os_path)) {
              throw py::type_error(fmt::format("path must be a str or an os.PathLike, not {}", type_name(path)));
            }
            return std::make_unique<PyModel>(load(path.cast<std::filesystem::path>()), data, consts);
          },
          py::arg("path"), py::arg("data") = py::none(), py::arg("consts") = py::none(),
          "Reads and parses the .slope file at `path`, then binds `data` and `consts`.")
      .def_property_readonly(
          "params", [](py::handle self) { return model_of(self).params(); }, "The param names in declaration order.")
      .def_property_readonly(
          "initial", [](py::handle self) { return model_of(self).initial(); },
          "{name: float or ndarray of the param's shape}: the initial values.")
      .def_property_readonly(
          "sense", [](py::handle self) { return model_of(self).sense(); },
          "'minimize' or 'maximize', as the model says.")
      .def_property_readonly(
          "file", [](py::handle self) { return model_of(self).file(); }, "The file name used in messages.")
      .def_property(
          "threads", [](py::handle self) { return model_of(self).model().threads(); },
          [](py::handle self, const py::object& threads) { model_of(self).set_threads(threads); },
          "Threads that evaluate the operations over data rows (0, the default: one per core; 1: the "
          "calling thread only; at most 1024). The numbers do not depend on it. Setting it waits for an "
          "evaluation on another thread to end.")
      .def(
          "value", [](py::handle self, const py::object& p) { return model_of(self).value(p); }, py::arg("p"),
          "The objective as written at p = {name: float | array-like} (params left out keep their initial "
          "values).")
      .def(
          "gradient", [](py::handle self, const py::object& p) { return model_of(self).gradient(p); }, py::arg("p"),
          "{name: float | ndarray}: the gradient of the objective as written (of what is maximized, for a "
          "maximize model).")
      .def(
          "_value_and_gradient",
          [](py::handle self, const py::object& p) { return model_of(self).value_and_gradient(p); }, py::arg("p"),
          "value_and_gradient through pybind11 (see value_and_gradient).")
      .def(
          "optimize",
          [](py::handle self, const py::object& method, const py::object& tol, const py::object& max_iter,
             const py::object& start, const py::object& max_evals, const py::object& step_size,
             const py::object& trace) {
            return model_of(self).optimize(method, tol, max_iter, start, max_evals, step_size, trace);
          },
          py::arg("method") = "lbfgs", py::arg("tol") = 1e-6, py::arg("max_iter") = 1000, py::arg("start") = py::none(),
          py::kw_only(), py::arg("max_evals") = py::none(), py::arg("step_size") = py::none(), py::arg("trace") = true,
          R"doc(Minimizes or maximizes the objective, as the model says, from the initial values or `start`
({name: value} over the initial values, or a flat vector). method: 'lbfgs', 'gd', 'momentum' or
'adam' (with step_size for the last three); tol bounds max_i |g_i|; max_iter limits the iterations
and max_evals the evaluations (None: no limit). A domain error at the starting point raises
slope.DomainError. Ctrl-C raises KeyboardInterrupt. Returns a slope.OptimizeResult: status,
converged, sense, objective, params, x, iterations, evaluations, gradient_norm, message, trace.)doc")
      .def(
          "flat",
          [](const py::object& self) {
            PyModel& model = model_of(self);
            // The function keeps the model (and its data) alive.
            const py::cpp_function f([self](const py::object& x) { return model_of(self).minimize_sense(x); },
                                     py::arg("x"));
            return py::make_tuple(f, model.initial_flat());
          },
          R"doc((f, x0): f(x) -> (value, gradient ndarray) in the minimize sense (negated for a maximize
model) of a flat vector x, and the flat initial point: scipy.optimize.minimize(f, x0, jac=True).)doc")
      .def(
          "unflatten", [](py::handle self, const py::object& x) { return model_of(self).unflatten(x); }, py::arg("x"),
          "{name: float | ndarray} from a flat vector.")
      .def("__repr__", [](py::handle self) {
        if (!initialized(self)) return std::string("<slope.Model, not initialized>");
        return model_of(self).repr();
      });
  const py::object method = py::reinterpret_steal<py::object>(
      PyDescr_NewMethod(reinterpret_cast<PyTypeObject*>(cls.ptr()), &fast_value_and_gradient_def));
  if (!method) throw py::error_already_set();
  py::setattr(cls, "value_and_gradient", method);
}

}  // namespace slope::python
