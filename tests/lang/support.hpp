#pragma once
/// \file
/// Helpers of the language tests: parse-and-print, and the message of the error a model throws.

#include <functional>
#include <string>
#include <string_view>

#include <slope/lang/errors.hpp>
#include <slope/lang/model.hpp>
#include <slope/lang/parser.hpp>
#include <slope/lang/print.hpp>

namespace slope::lang::test {

/// The statements of `source` as s-expressions, one per line.
inline std::string sexpr(std::string_view source) { return to_sexpr(parse(source, "model.slope")); }

/// The expression of `maximize EXPR` as an s-expression.
inline std::string expr(std::string_view expression) {
  const std::string source = "maximize " + std::string(expression);
  const Program program = parse(source, "model.slope");
  return to_sexpr(program, program.statements.at(0).value);
}

/// what() of the lang::Error of type E that `action` throws, "" when it throws nothing; any
/// other exception fails the test.
template <class E>
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& error) {
    return error.what();
  }
  return "";
}

/// render() of the SyntaxError or CheckError that parsing and checking `source` throws.
inline std::string rendered(std::string_view source) {
  try {
    Model model = Model::parse(source, "model.slope");
    model.check();
  } catch (const Error& error) {
    return render(error, source);
  }
  return "";
}

/// what() of the SyntaxError that parsing `source` throws.
inline std::string syntax_error(std::string_view source) {
  return error_of<SyntaxError>([&] { (void)Model::parse(source, "model.slope"); });
}

/// what() of the CheckError that checking `source` (with no data) throws.
inline std::string check_error(std::string_view source) {
  return error_of<CheckError>([&] { Model::parse(source, "model.slope").check(); });
}

}  // namespace slope::lang::test
