#pragma once
/// \file
/// Slope's C++ exceptions as Python exceptions: slope.Error and its subclasses ModelError (syntax,
/// names, shapes, data: with .file .line .column) and DomainError (a failing operation at a
/// point), defined in slope/_errors.py and raised by one translator.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <exception>
#include <string>

#include "slope/lang/errors.hpp"

namespace slope::python {

namespace py = pybind11;

/// A front-end error with its message as `slope` prints it: the source line and a caret under
/// the column for an error in the model's text. The translator raises ModelError or DomainError.
class LocatedError : public std::exception {
 public:
  enum class Kind { Model, Domain };
  LocatedError(Kind kind, std::string text, const lang::Error& error);

  [[nodiscard]] const char* what() const noexcept override { return text_.c_str(); }
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] lang::SourceLocation location() const noexcept { return where_; }
  [[nodiscard]] const std::string& operation() const noexcept { return operation_; }

 private:
  Kind kind_;
  std::string text_;
  std::string file_;
  lang::SourceLocation where_;
  std::string operation_;  ///< the failing operation of a DomainError
};

/// `error` as the command line prints it for a model whose text is `source` (read from `file`):
/// rendered with its line and caret when it is about that text, what() alone otherwise.
[[nodiscard]] LocatedError located(const lang::Error& error, const std::string& file, const std::string& source);

/// Registers the translator from slope::Error (and LocatedError) to slope.Error and its subclasses.
void register_error_translator();

/// A Python exception is set (by a Python callable, a signal handler, or the binding) and should
/// propagate once the C++ code that met it has unwound: catch it with the GIL held and throw
/// py::error_already_set.
struct PythonErrorPending {};

}  // namespace slope::python
