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

/// A number for messages: as fmt writes it, but NaN without a sign ("NaN", not "-nan").
std::string number(double x) { return std::isnan(x) ? std::string("NaN") : fmt::format("{}", x); }

std::string describe_arguments(std::span<const double> args) {
  if (args.size() == 1) return fmt::format("argument {}", number(args[0]));
  if (args.size() == 2) return fmt::format("arguments {} and {}", number(args[0]), number(args[1]));
  std::string list;
  for (const double x : args) list += (list.empty() ? "" : ", ") + number(x);
  return fmt::format("arguments ({})", list);
}

[[noreturn]] void fail(std::string_view op, std::span<const double> args, const std::string& message) {
  throw DomainError(op, std::vector<double>(args.begin(), args.end()), message);
}

}  // namespace

void check_operation(std::string_view op, std::span<const double> args, bool in_domain, std::string_view domain,
                     double value, std::span<const double> partials) {
  if (!in_domain) {
    if (args.size() == 1) fail(op, args, fmt::format("{}: argument is {}, {}", op, number(args[0]), domain));
    fail(op, args, fmt::format("{}: {} are outside its domain: {}", op, describe_arguments(args), domain));
  }
  if (!std::isfinite(value)) {
    // A vector operation passes no scalar arguments: say where a non-finite result comes from.
    if (args.empty()) {
      fail(op, args,
           fmt::format("{}: result is {}: an operand or the data holds a non-finite value", op, number(value)));
    }
    fail(op, args, fmt::format("{}: result is {} for {}", op, number(value), describe_arguments(args)));
  }
  for (const double d : partials) {
    if (!std::isfinite(d)) {
      fail(op, args, fmt::format("{}: derivative is {} at {}", op, number(d), describe_arguments(args)));
    }
  }
}

}  // namespace detail
}  // namespace slope
