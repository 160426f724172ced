#include "slope/autodiff/errors.hpp"

#include <fmt/format.h>

#include <cmath>
#include <span>

#include "slope/autodiff/recording.hpp"

namespace slope {

DomainError::DomainError(std::string_view operation, std::vector<double> arguments, const std::string& message)
    : Error(message), operation_(operation), arguments_(std::move(arguments)) {}

namespace detail {

namespace {

std::string describe_arguments(std::span<const double> args) {
  if (args.size() == 1) return fmt::format("argument {}", args[0]);
  if (args.size() == 2) return fmt::format("arguments {} and {}", args[0], args[1]);
  return fmt::format("arguments ({})", fmt::join(args, ", "));
}

[[noreturn]] void fail(std::string_view op, std::span<const double> args, const std::string& message) {
  throw DomainError(op, std::vector<double>(args.begin(), args.end()), message);
}

}  // namespace

void check_operation(std::string_view op, std::span<const double> args, bool in_domain, std::string_view domain,
                     double value, std::span<const double> partials) {
  if (!in_domain) {
    if (args.size() == 1) fail(op, args, fmt::format("{}: argument is {}, {}", op, args[0], domain));
    fail(op, args, fmt::format("{}: {} are outside its domain: {}", op, describe_arguments(args), domain));
  }
  if (!std::isfinite(value)) {
    // A vector operation passes no scalar arguments: say where a non-finite result comes from.
    if (args.empty()) fail(op, args, fmt::format("{}: result is {}: an operand or the data holds a non-finite value", op, value));
    fail(op, args, fmt::format("{}: result is {} for {}", op, value, describe_arguments(args)));
  }
  for (const double d : partials) {
    if (!std::isfinite(d)) {
      fail(op, args, fmt::format("{}: derivative is {} at {}", op, d, describe_arguments(args)));
    }
  }
}

}  // namespace detail
}  // namespace slope
