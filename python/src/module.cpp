/// \file
/// slope._core: the compiled half of the `slope` package (python/slope/__init__.py re-exports it).

#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "errors.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "Slope's C++ core: models of the .slope language and the optimizer (use the `slope` package).";
  slope::python::register_error_translator();
  slope::python::bind_model(m);
  slope::python::bind_function(m);
}
