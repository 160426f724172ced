#include "convert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <string>

namespace slope::python {

std::string type_name(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

namespace {

/// The position (row-major, from 1) of the first integer above 2^53 in magnitude, or 0.
template <class T>
std::size_t first_inexact(const py::array& array) {
  const auto values = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(array);
  constexpr auto kExact = static_cast<T>(std::uint64_t{1} << 53);
  for (py::ssize_t i = 0; i < values.size(); ++i) {
    const T v = values.data()[i];
    if constexpr (std::is_signed_v<T>) {
      if (v > kExact || v < -kExact) return static_cast<std::size_t>(i) + 1;
    } else if (v > kExact) {
      return static_cast<std::size_t>(i) + 1;
    }
  }
  return 0;
}

}  // namespace

DoubleArray as_double_array(py::handle value, std::string_view what) {
  if (py::isinstance<DoubleArray>(value)) return py::reinterpret_borrow<DoubleArray>(value);
  if (value.is_none()) throw py::type_error(fmt::format("{} must be a number or an array of numbers, not None", what));
  if (py::isinstance<py::str>(value) || py::isinstance<py::bytes>(value)) {
    throw py::type_error(fmt::format("{} must be a number or an array of numbers, not {}", what, type_name(value)));
  }
  // Ask NumPy for an array of whatever type the value holds first, so that strings and objects
  // are refused instead of being parsed or turned into NaN by a cast to float64.
  const py::array array = py::array::ensure(value);
  if (!array) {
    PyErr_Clear();
    throw py::type_error(fmt::format("{} must be a number or an array of numbers, not {}", what, type_name(value)));
  }
  const char kind = array.dtype().kind();
  if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f') {
    throw py::type_error(fmt::format("{} must be a number or an array of numbers, not an array of dtype {}", what,
                                     py::str(array.dtype()).cast<std::string>()));
  }
  if ((kind == 'i' || kind == 'u') && array.dtype().itemsize() == 8) {
    const std::size_t at = kind == 'i' ? first_inexact<std::int64_t>(array) : first_inexact<std::uint64_t>(array);
    if (at != 0) {
      throw py::value_error(fmt::format("{}: element {} is an integer of magnitude above 2^53, which a double cannot "
                                        "hold exactly",
                                        what, at));
    }
  }
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
}

std::string text_argument(const py::handle& value, std::string_view name) {
  if (!py::isinstance<py::str>(value)) {
    throw py::type_error(fmt::format("{} must be a str, not {}", name, type_name(value)));
  }
  return value.cast<std::string>();
}

double number_argument(const py::handle& value, std::string_view name) {
  const bool number = PyFloat_Check(value.ptr()) || (PyIndex_Check(value.ptr()) && !PyBool_Check(value.ptr())) ||
                      py::isinstance(value, py::module_::import("numpy").attr("floating"));
  if (!number) throw py::type_error(fmt::format("{} must be a number, not {}", name, type_name(value)));
  const double x = PyFloat_AsDouble(value.ptr());
  if (x == -1.0 && PyErr_Occurred() != nullptr) throw py::error_already_set();  // an int too large for a double
  return x;
}

bool flag_argument(const py::handle& value, std::string_view name) {
  if (!PyBool_Check(value.ptr()) && !py::isinstance(value, py::module_::import("numpy").attr("bool_"))) {
    throw py::type_error(fmt::format("{} must be True or False, not {}", name, type_name(value)));
  }
  return PyObject_IsTrue(value.ptr()) == 1;
}

std::size_t count_argument(const py::handle& value, std::string_view name, std::size_t none_is, bool none_allowed) {
  if (none_allowed && value.is_none()) return none_is;
  // Any integer (int, numpy.int64: what operator.index takes), but not a bool or a float.
  if (!PyIndex_Check(value.ptr()) || PyBool_Check(value.ptr())) {
    throw py::type_error(
        fmt::format("{} must be an int{}, not {}", name, none_allowed ? " or None" : "", type_name(value)));
  }
  const auto index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long count = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (count == -1 && PyErr_Occurred() != nullptr) throw py::error_already_set();
  if (overflow < 0 || (overflow == 0 && count < 1)) {
    throw py::value_error(fmt::format("{} must be >= 1, not {}", name, py::str(index).cast<std::string>()));
  }
  return overflow > 0 ? SIZE_MAX : static_cast<std::size_t>(count);  // past a long long: as good as no limit
}

py::array_t<double> to_array(std::span<const double> values) {
  py::array_t<double> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

py::object to_python(std::span<const double> values, const lang::Shape& shape) {
  if (shape.rank == 0) return py::float_(values[0]);
  std::vector<py::ssize_t> dims{static_cast<py::ssize_t>(shape.rows)};
  if (shape.rank == 2) dims.push_back(static_cast<py::ssize_t>(shape.cols));
  py::array_t<double> out(dims);
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

py::dict params_dict(const std::vector<lang::ParameterInfo>& parameters, const std::vector<py::str>& names,
                     std::span<const double> theta) {
  py::dict out;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const lang::ParameterInfo& info = parameters[i];
    const py::object value = to_python(theta.subspan(info.offset, info.shape.size()), info.shape);
    if (PyDict_SetItem(out.ptr(), names[i].ptr(), value.ptr()) != 0) throw py::error_already_set();
  }
  return out;
}

}  // namespace slope::python
