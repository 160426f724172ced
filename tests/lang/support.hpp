#pragma once
/// \file
/// Helpers of the language tests: parse-and-print, and the message of the error a model throws.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <slope/lang/errors.hpp>
#include <slope/lang/model.hpp>
#include <slope/lang/parser.hpp>
#include <slope/lang/print.hpp>

namespace slope::lang::test {

/// A file in the temporary directory, removed at the end of the test.
struct TempFile {
  std::filesystem::path path;
  TempFile(std::string_view name, std::string_view content)
      : path(std::filesystem::temp_directory_path() / std::string(name)) {
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

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

/// The head of the models whose rows are split (by processes or by blocks): data X[n, d] and
/// y[n] (labels 1..3), and params of every shape an objective over them may use.
inline const std::string kRowsHead = "data X[n, d]\ndata y[n]\nparam w[d] = 0.1\nparam b = 0.2\nparam s > 0 = 1.5\n"
                                     "param W[d, 3] = 0.05\nparam c[3] = 0\n";

/// Three points near the model's initial point, each component moved by a different amount.
inline std::vector<std::vector<double>> points_near_start(const Model& model) {
  std::vector<std::vector<double>> points;
  for (int k = 0; k < 3; ++k) {
    std::vector<double> theta = model.initial_point();
    for (std::size_t j = 0; j < theta.size(); ++j) theta[j] += 0.4 * std::cos(1.3 * static_cast<double>(j) + k);
    points.push_back(theta);
  }
  return points;
}

}  // namespace slope::lang::test
