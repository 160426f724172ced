#pragma once
/// \file
/// The exceptions Slope throws. Everything derives from slope::Error, so one catch clause
/// handles any problem Slope reports; nothing in Slope aborts the process.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace slope {

/// Base of every exception Slope throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An operation met an argument outside its domain, or produced a non-finite value or
/// derivative, on a tape recording in checked mode. The message names the operation and its
/// arguments, e.g. "log: argument is -1, must be >= 0".
class DomainError : public Error {
 public:
  DomainError(std::string_view operation, std::vector<double> arguments, const std::string& message);

  /// Name of the operation that failed ("log", "pow", ...).
  [[nodiscard]] const std::string& operation() const noexcept { return operation_; }
  /// The operation's arguments, in order.
  [[nodiscard]] const std::vector<double>& arguments() const noexcept { return arguments_; }

 private:
  std::string operation_;
  std::vector<double> arguments_;
};

/// A tape was misused: an operation on a Var with no tape recording on this thread, a Var
/// from another (or a destroyed) tape, a Var from a part of the tape that was rewound.
class TapeError : public Error {
 public:
  using Error::Error;
};

/// An argument or setting outside its range: an optimizer option (a negative tolerance, an L-BFGS
/// memory of 0), a bound that is NaN or crosses its other bound, a matrix whose values do not fill
/// its rows and columns. The message names the setting and what it must be, e.g. "Lbfgs: memory
/// must be >= 1".
class ArgumentError : public Error {
 public:
  using Error::Error;
};

/// Arguments of the wrong size or layout: a gradient buffer that does not match the inputs, vector
/// operands of different lengths, a matrix whose rows and columns are both strided. The message
/// names the function and both sizes, e.g. "dot: b has size 3, expected 2".
class ShapeError : public Error {
 public:
  using Error::Error;
};

}  // namespace slope
