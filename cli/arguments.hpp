#pragma once
/// \file
/// The `slope` command line: what each subcommand was asked to do, parsed by CLI11, with the
/// NAME=VALUE forms of --data, --set and --at parsed and checked here.

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "slope/autodiff/errors.hpp"

namespace slope::cli {

/// A command-line mistake: a malformed flag value (--data, --set, --at, --max-iter, ...), an
/// unknown method, or an unreadable model file. Exit status 2.
class UsageError : public slope::Error {
 public:
  using Error::Error;
};

/// The three subcommands.
enum class Command { Optimize, Gradient, Check };

/// The optimization methods --method names.
enum class MethodName { Lbfgs, GradientDescent, Momentum, Adam };

/// What a --data file holds, by its extension: .npy and .json (any case), else CSV.
enum class DataFormat { Csv, Npy, Json };

/// --data NAME=PATH[:COLUMNS], or --data FILE.json for every name the file holds.
struct DataBinding {
  std::string name;     ///< empty for a JSON file that binds every name it holds
  std::filesystem::path path;
  std::string columns;  ///< empty for every column; CSV only
  DataFormat format = DataFormat::Csv;
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
  /// --max-evals: evaluations of the objective and gradient; by default no limit, so that only
  /// --max-iter stops a run (each iteration's line search is bounded on its own).
  std::size_t max_evaluations = std::numeric_limits<std::size_t>::max();
  double tolerance = 1e-6;             ///< optimize: on max |g_i|; check: on the relative error
  std::size_t threads = 0;             ///< --threads; 0: one per core
  bool json = false;
  bool timing = false;                 ///< optimize --timing: phase times on stderr
  std::optional<std::filesystem::path> trace;
};

/// The version of Slope this command was built from (the CMake project version).
[[nodiscard]] std::string_view version() noexcept;

/// Parses the command line. Returns the arguments, or the exit status when the run ends here:
/// 0 after --help or --version (printed on stdout), 2 after a usage error printed on stderr as
/// "slope: error: ..." and a pointer to --help. Throws UsageError for a malformed flag value.
[[nodiscard]] std::variant<Arguments, int> parse_arguments(int argc, const char* const* argv);

/// Splits NAME=PATH[:COLUMNS], or takes FILE.json alone. The text after the last ':' is a
/// column list when the whole PATH[:COLUMNS] is not an existing file and that text has no '/'
/// or '\' in it; so a path that contains ':' works as long as the file exists (or give the
/// columns explicitly). Columns are for CSV files only.
[[nodiscard]] DataBinding parse_data_binding(std::string_view text);
/// Parses NAME=VALUE, VALUE a number (nan and inf spellings included).
[[nodiscard]] ConstantSetting parse_constant_setting(std::string_view text);
/// Parses NAME=V1,V2,...
[[nodiscard]] ParameterSetting parse_parameter_setting(std::string_view text);

}  // namespace slope::cli
