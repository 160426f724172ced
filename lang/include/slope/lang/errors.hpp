#pragma once
/// \file
/// The errors of the language front end. Each names a file, line and column; what() is the
/// one-line form "model.slope:3:14: error: expected ')' to close '(' opened at 3:5, found end of line",
/// and render() adds the source line and a caret under the column, as compilers do.

#include <string>
#include <string_view>

#include "slope/autodiff/errors.hpp"
#include "slope/lang/source.hpp"

namespace slope::lang {

/// Base of every front-end error: a message tied to a place in a file.
class Error : public slope::Error {
 public:
  Error(std::string file, SourceLocation where, std::string message);

  /// The file name as given to Model::parse / Model::load (or a data file's name).
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] SourceLocation location() const noexcept { return where_; }
  /// The message alone, without "file:line:col: error: ".
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  SourceLocation where_;
  std::string message_;
};

/// The text does not follow the grammar: `expected` and `found` as they appear in the
/// message ("')' to close '(' opened at 3:5", "end of line").
class SyntaxError : public Error {
 public:
  SyntaxError(std::string file, SourceLocation where, std::string expected, std::string found);
  SyntaxError(std::string file, SourceLocation where, std::string message);  // e.g. nesting too deep

  [[nodiscard]] const std::string& expected() const noexcept { return expected_; }
  [[nodiscard]] const std::string& found() const noexcept { return found_; }

 private:
  std::string expected_;
  std::string found_;
};

/// The model parses but does not make sense: unknown name, shape mismatch, missing or
/// duplicate objective, data whose shape disagrees with its declaration.
class CheckError : public Error {
 public:
  using Error::Error;
};

/// A data file cannot be read: missing file, non-numeric cell, ragged row, unknown column.
/// location() is the row (line) and column (1-based field number) in the data file.
class DataError : public Error {
 public:
  using Error::Error;
};

/// An operation failed while evaluating the model in checked mode (e.g. log of a negative at
/// the initial values): names the operation and the source span it came from.
class EvaluationError : public Error {
 public:
  EvaluationError(std::string file, SourceSpan span, std::string operation, std::string message);
  [[nodiscard]] const std::string& operation() const noexcept { return operation_; }
  [[nodiscard]] SourceSpan span() const noexcept { return span_; }

 private:
  SourceSpan span_;
  std::string operation_;
};

/// Another process of a model split over processes (Model::split_rows) failed, and reports
/// it itself; this one stops too, without a message of its own.
class PeerFailure : public Error {
 public:
  PeerFailure();
};

/// what() followed by the offending source line and a caret line under the column, e.g.
///
///     model.slope:7:30: error: expected ')' to close '(' opened at 7:20, found end of line
///       let z = log_sigmoid(X * w + b
///                                    ^
///
/// `source` is the text of error.file(); an empty source gives what() alone.
[[nodiscard]] std::string render(const Error& error, std::string_view source);

}  // namespace slope::lang
