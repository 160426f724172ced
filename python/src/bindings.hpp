#pragma once
/// \file
/// The parts of the slope._core module, each defined in its own file.

#include <pybind11/pybind11.h>

namespace slope::python {

/// slope.Model (model.cpp).
void bind_model(pybind11::module_& m);
/// optimize_function, behind slope.minimize / slope.maximize (function.cpp).
void bind_function(pybind11::module_& m);

}  // namespace slope::python
