#pragma once
/// \file
/// Conversions between Python values and what the C++ API takes: NumPy arrays of float64 in C
/// order are used in place, everything else is converted once.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slope/lang/model.hpp"

namespace slope::python {

namespace py = pybind11;

/// A float64 array in C order.
using DoubleArray = py::array_t<double, py::array::c_style>;

/// `value` itself when it is a float64 C-contiguous array (no copy), else a float64 C-contiguous
/// copy of it. Throws TypeError naming `what` for None or anything that is not numbers (strings,
/// complex numbers, objects, ragged lists), and ValueError for an integer a double cannot hold
/// exactly (above 2^53 in magnitude), as the command line refuses one in a .npy file.
[[nodiscard]] DoubleArray as_double_array(py::handle value, std::string_view what);

/// Arguments of the module's functions, taken as Python objects and checked here, so that a
/// value of the wrong type raises slope.ArgumentTypeError naming the argument (pybind11's own
/// check would raise a bare TypeError listing signatures). `name` is the argument's name.
/// A str.
[[nodiscard]] std::string text_argument(const py::handle& value, std::string_view name);
/// An int or a float (a NumPy scalar too), not a bool or a str.
[[nodiscard]] double number_argument(const py::handle& value, std::string_view name);
/// A bool (or NumPy bool).
[[nodiscard]] bool flag_argument(const py::handle& value, std::string_view name);
/// An int >= 1 (an int, numpy.int64: what operator.index takes, not a bool or a float), or
/// None when `none_is` is given, which is then returned; past what a long long holds: SIZE_MAX.
[[nodiscard]] std::size_t count_argument(const py::handle& value, std::string_view name, std::size_t none_is = 0,
                                         bool none_allowed = false);
/// The type name of a value, for messages: "str", "list", "ndarray".
[[nodiscard]] std::string type_name(py::handle value);

/// The array's values as a span (the array must outlive it).
[[nodiscard]] inline std::span<const double> values_of(const DoubleArray& array) {
  return {array.data(), static_cast<std::size_t>(array.size())};
}

/// An array that owns a copy of `values`, shaped as `shape` (a scalar gives a Python float).
[[nodiscard]] py::object to_python(std::span<const double> values, const lang::Shape& shape);
/// A new 1-D float64 array holding a copy of `values`.
[[nodiscard]] py::array_t<double> to_array(std::span<const double> values);

/// {name: float | ndarray} for the params of `parameters`, read from the flat vector `theta`;
/// `names` holds their names as Python strings, made once per model.
[[nodiscard]] py::dict params_dict(const std::vector<lang::ParameterInfo>& parameters, const std::vector<py::str>& names,
                                   std::span<const double> theta);

}  // namespace slope::python
