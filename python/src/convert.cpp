#include "convert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace slope::python {

DoubleArray as_double_array(py::handle value, std::string_view what) {
  if (py::isinstance<DoubleArray>(value)) return py::reinterpret_borrow<DoubleArray>(value);
  if (value.is_none()) throw py::type_error(fmt::format("{} must be a number or an array of numbers, not None", what));
  // Ask NumPy for an array of whatever type the value holds first, so that strings and objects
  // are refused instead of being parsed or turned into NaN by a cast to float64.
  const py::array array = py::array::ensure(value);
  if (!array) {
    throw py::type_error(fmt::format("{} must be a number or an array of numbers, not {}", what,
                                     py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>()));
  }
  const char kind = array.dtype().kind();
  if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f') {
    throw py::type_error(fmt::format("{} must be a number or an array of numbers, not an array of dtype {}", what,
                                     py::str(array.dtype()).cast<std::string>()));
  }
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
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
