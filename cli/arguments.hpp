#pragma once
/// \file
/// The `slope` command line: what each subcommand was asked to do, parsed by CLI11, with the
/// NAME=VALUE forms of --data, --set and --at parsed and checked here.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "slope/autodiff/errors.hpp"

namespace slope::cli {

/// A command-line mistake found after CLI11 accepted the words: a malformed --data, --set or
/// --at, or an unreadable model file. Exit status 2.
class UsageError : public slope::Error {
 public:
  using Error::Error;
};

/// The three subcommands.
enum class Command { Optimize, Gradient, Check };

/// The optimization methods --method names.
enum class MethodName { Lbfgs, GradientDescent, Momentum, Adam };

/// --data NAME=PATH[:COLUMNS].
struct DataBinding {
  std::string name;
  std::filesystem::path path;
  std::string columns;  ///< empty for every column
};

/// --set NAME=VALUE: a `const` overridden.
struct ConstantSetting {
  std::string name;
  double value = 0.0;
};

/// --at NAME=V1,V2,...: a `param`'s values (row-major for a matrix).
struct ParameterSetting {
  std::string name;
  std::vector<double> values;
};

/// Everything a run needs, whatever the subcommand (fields a subcommand lacks keep defaults).
struct Arguments {
  Command command = Command::Optimize;
  std::filesystem::path model;
  std::vector<DataBinding> data;
  std::vector<ConstantSetting> constants;
  std::vector<ParameterSetting> at;
  MethodName method = MethodName::Lbfgs;
  std::optional<double> step_size;     ///< --step-size, for gd, momentum and adam
  std::size_t max_iterations = 1000;
  double tolerance = 1e-6;             ///< optimize: on max |g_i|; check: on the relative error
  bool json = false;
  std::optional<std::filesystem::path> trace;
};

/// Parses the command line. Returns the arguments, or the exit status when CLI11 already
/// handled the run: 0 after --help, 2 after a usage message on stderr. Throws UsageError for a
/// malformed --data, --set or --at.
[[nodiscard]] std::variant<Arguments, int> parse_arguments(int argc, const char* const* argv);

/// Splits NAME=PATH[:COLUMNS]. The text after the last ':' is a column list when the whole
/// PATH[:COLUMNS] is not an existing file and that text has no '/' or '\' in it; so a path
/// that contains ':' works as long as the file exists (or give the columns explicitly).
[[nodiscard]] DataBinding parse_data_binding(std::string_view text);
/// Parses NAME=VALUE, VALUE a number (nan and inf spellings included).
[[nodiscard]] ConstantSetting parse_constant_setting(std::string_view text);
/// Parses NAME=V1,V2,...
[[nodiscard]] ParameterSetting parse_parameter_setting(std::string_view text);

}  // namespace slope::cli
