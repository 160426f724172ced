#pragma once
/// \file
/// Conversions between Python values and what the C++ API takes: NumPy arrays of float64 in C
/// order are used in place, everything else is converted once.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "slope/lang/model.hpp"

namespace slope::python {

namespace py = pybind11;

/// A float64 array in C order.
using DoubleArray = py::array_t<double, py::array::c_style>;

/// `value` itself when it is a float64 C-contiguous array (no copy), else a float64 C-contiguous
/// copy of it. Throws TypeError naming `what` for None or anything that is not numbers (strings,
/// complex numbers, objects, ragged lists).
[[nodiscard]] DoubleArray as_double_array(py::handle value, std::string_view what);

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
