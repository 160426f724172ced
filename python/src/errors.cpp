#include "errors.hpp"

#include <exception>
#include <utility>

#include "slope/autodiff/errors.hpp"

namespace slope::python {
namespace {

py::object optional_number(std::uint32_t n) { return n == 0 ? py::object(py::none()) : py::object(py::int_(n)); }

/// Raises slope.<name>(message, file, line, column[, operation]) as the current Python error.
void raise(const char* name, const char* message, py::object file, py::object line, py::object column,
           py::object operation = py::none()) {
  const py::object type = py::module_::import("slope._errors").attr(name);
  const py::object error = type(message, file, line, column);
  if (!operation.is_none()) error.attr("operation") = operation;
  PyErr_SetObject(type.ptr(), error.ptr());
}

}  // namespace

LocatedError::LocatedError(Kind kind, std::string text, const lang::Error& error)
    : kind_(kind), text_(std::move(text)), file_(error.file()), where_(error.location()) {
  if (const auto* evaluation = dynamic_cast<const lang::EvaluationError*>(&error)) operation_ = evaluation->operation();
}

LocatedError located(const lang::Error& error, const std::string& file, const std::string& source) {
  const bool domain = dynamic_cast<const lang::EvaluationError*>(&error) != nullptr;
  // As cli/main.cpp: an error in the model shows its line with a caret; any other file's error
  // (a data file's row and field) is the one-line message.
  std::string text = error.file() == file ? lang::render(error, source) : std::string(error.what());
  return {domain ? LocatedError::Kind::Domain : LocatedError::Kind::Model, std::move(text), error};
}

void register_error_translator() {
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const LocatedError& e) {
      raise(e.kind() == LocatedError::Kind::Domain ? "DomainError" : "ModelError", e.what(), py::str(e.file()),
            optional_number(e.location().line), optional_number(e.location().column),
            e.operation().empty() ? py::object(py::none()) : py::object(py::str(e.operation())));
    } catch (const lang::Error& e) {
      const auto* evaluation = dynamic_cast<const lang::EvaluationError*>(&e);
      raise(evaluation != nullptr ? "DomainError" : "ModelError", e.what(), py::str(e.file()),
            optional_number(e.location().line), optional_number(e.location().column),
            evaluation != nullptr ? py::object(py::str(evaluation->operation())) : py::object(py::none()));
    } catch (const slope::DomainError& e) {
      raise("DomainError", e.what(), py::none(), py::none(), py::none(), py::str(e.operation()));
    } catch (const slope::ArgumentError& e) {  // the optimizer's checks (bounds, options)
      raise("ArgumentError", e.what(), py::none(), py::none(), py::none());
    } catch (const slope::Error& e) {
      raise("Error", e.what(), py::none(), py::none(), py::none());
    } catch (const py::value_error& e) {  // the module's argument checks: raised as slope errors
      raise("ArgumentError", e.what(), py::none(), py::none(), py::none());
    } catch (const py::type_error& e) {
      raise("ArgumentTypeError", e.what(), py::none(), py::none(), py::none());
    }
  });
}

}  // namespace slope::python
