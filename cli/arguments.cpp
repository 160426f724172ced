#include "arguments.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <system_error>

namespace slope::cli {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// A number as the CSV reader reads one: a leading '+' allowed, nan and inf spellings too.
std::optional<double> parse_number(std::string_view text) noexcept {
  text = trim(text);
  if (text.starts_with('+')) {
    text.remove_prefix(1);  // from_chars takes no '+', and after one no second sign
    if (text.starts_with('+') || text.starts_with('-')) return std::nullopt;
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// Splits "NAME=REST" at the first '='; the name must be non-empty.
std::pair<std::string, std::string_view> split_name(std::string_view text, std::string_view flag,
                                                    std::string_view form) {
  const std::size_t equals = text.find('=');
  const std::string_view name = equals == std::string_view::npos ? std::string_view{} : trim(text.substr(0, equals));
  if (name.empty()) throw UsageError(fmt::format("{} \"{}\": expected {}", flag, text, form));
  return {std::string(name), text.substr(equals + 1)};
}

/// The raw strings CLI11 collects; parsed into Arguments after CLI11 is done.
struct RawArguments {
  std::string model;
  std::vector<std::string> data;
  std::vector<std::string> constants;
  std::vector<std::string> at;
  std::string method = "lbfgs";
  std::optional<double> step_size;
  std::size_t max_iterations = 1000;
  double tolerance = 1e-6;
  bool json = false;
  std::string trace;
};

/// The options every subcommand takes: the model, --data, --set and --json.
void add_common(CLI::App& command, RawArguments& raw) {
  command.add_option("model", raw.model, "the .slope file")->required()->type_name("MODEL.slope");
  command
      .add_option("--data", raw.data,
                  "bind a data name to a CSV file, optionally to some of its columns by header name or "
                  "1-based number: X=data.csv:1-20, y=data.csv:label (repeatable)")
      ->type_name("NAME=PATH[:COLUMNS]")
      ->allow_extra_args(false);
  command.add_option("--set", raw.constants, "override a const: lambda=0.1 (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  command.add_flag("--json", raw.json, "print one JSON object on stdout");
}

void add_at(CLI::App& command, RawArguments& raw) {
  command.add_option("--at", raw.at,
                     "start from these values of a param instead of its initial ones, row-major for a matrix: "
                     "w=0.1,-0.2 (repeatable)")
      ->type_name("NAME=V1,V2,...")
      ->allow_extra_args(false);
}

Arguments finish(Command command, const RawArguments& raw) {
  Arguments out;
  out.command = command;
  out.model = raw.model;
  for (const std::string& text : raw.data) out.data.push_back(parse_data_binding(text));
  for (const std::string& text : raw.constants) out.constants.push_back(parse_constant_setting(text));
  for (const std::string& text : raw.at) out.at.push_back(parse_parameter_setting(text));
  out.method = raw.method == "gd"         ? MethodName::GradientDescent
               : raw.method == "momentum" ? MethodName::Momentum
               : raw.method == "adam"     ? MethodName::Adam
                                          : MethodName::Lbfgs;
  out.step_size = raw.step_size;
  out.max_iterations = raw.max_iterations;
  out.tolerance = raw.tolerance;
  out.json = raw.json;
  if (!raw.trace.empty()) out.trace = raw.trace;
  return out;
}

}  // namespace

DataBinding parse_data_binding(std::string_view text) {
  constexpr std::string_view form = "NAME=PATH[:COLUMNS], e.g. X=data.csv:1-20";
  auto [name, rest] = split_name(text, "--data", form);
  rest = trim(rest);
  if (rest.empty()) throw UsageError(fmt::format("--data \"{}\": expected {}", text, form));
  DataBinding binding{std::move(name), std::filesystem::path(rest), {}};
  const std::size_t colon = rest.rfind(':');
  std::error_code ignored;
  if (colon == std::string_view::npos || std::filesystem::exists(binding.path, ignored)) return binding;
  const std::string_view columns = rest.substr(colon + 1);
  if (columns.find_first_of("/\\") != std::string_view::npos) return binding;
  if (trim(columns).empty() || colon == 0) {
    throw UsageError(fmt::format("--data \"{}\": nothing {} the ':'; expected {}", text,
                                 colon == 0 ? "before" : "after", form));
  }
  binding.path = std::filesystem::path(rest.substr(0, colon));
  binding.columns = std::string(trim(columns));
  return binding;
}

ConstantSetting parse_constant_setting(std::string_view text) {
  const auto [name, rest] = split_name(text, "--set", "NAME=VALUE, e.g. lambda=0.1");
  const std::optional<double> value = parse_number(rest);
  if (!value) throw UsageError(fmt::format("--set \"{}\": \"{}\" is not a number", text, trim(rest)));
  return {name, *value};
}

ParameterSetting parse_parameter_setting(std::string_view text) {
  const auto [name, rest] = split_name(text, "--at", "NAME=V1,V2,..., e.g. w=0.5,-1");
  ParameterSetting setting{name, {}};
  std::string_view list = rest;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    const std::optional<double> value = parse_number(item);
    if (!value) throw UsageError(fmt::format("--at \"{}\": \"{}\" is not a number", text, trim(item)));
    setting.values.push_back(*value);
    if (comma == std::string_view::npos) return setting;
    list.remove_prefix(comma + 1);
  }
}

std::variant<Arguments, int> parse_arguments(int argc, const char* const* argv) {
  CLI::App app{"Optimize, differentiate and check the objectives of .slope models.", "slope"};
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 converged (or the gradient or check succeeded), 1 the optimizer stopped without "
      "converging or the check found a mismatch, 2 bad input.\n");
  RawArguments raw;

  CLI::App* optimize = app.add_subcommand("optimize", "minimize or maximize the model's objective");
  add_common(*optimize, raw);
  add_at(*optimize, raw);
  optimize->add_option("--method", raw.method, "the optimizer (default lbfgs)")
      ->check(CLI::IsMember({"lbfgs", "gd", "momentum", "adam"}));
  optimize->add_option("--step-size", raw.step_size, "the step of gd (first trial step), momentum or adam")
      ->check(CLI::PositiveNumber);
  optimize->add_option("--max-iter", raw.max_iterations, "iteration limit (default 1000)")->check(CLI::PositiveNumber);
  optimize->add_option("--tol", raw.tolerance, "converged when max |gradient component| <= X (default 1e-6)")
      ->check(CLI::NonNegativeNumber);
  optimize->add_option("--trace", raw.trace,
                       "write iteration,objective,gradient_norm,step and the params per iteration to a CSV file")
      ->type_name("FILE.csv");

  CLI::App* gradient = app.add_subcommand("gradient", "the objective and its gradient at the initial values");
  add_common(*gradient, raw);
  add_at(*gradient, raw);

  CLI::App* check = app.add_subcommand("check", "the tape's gradient against central finite differences");
  add_common(*check, raw);
  add_at(*check, raw);
  check->add_option("--tol", raw.tolerance, "largest relative error accepted (default 1e-6)")
      ->check(CLI::NonNegativeNumber);

  // CLI11 would only say that a subcommand is required; name the word it did not know.
  const std::string_view first = argc > 1 ? argv[1] : "-";
  if (!first.starts_with('-') && first != "optimize" && first != "gradient" && first != "check") {
    std::fputs(fmt::format("slope: error: unknown command \"{}\": expected optimize, gradient or check\n"
                           "Run with --help for more information.\n", argv[1]).c_str(),
               stderr);
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  const Command command = optimize->parsed() ? Command::Optimize
                          : gradient->parsed() ? Command::Gradient
                                               : Command::Check;
  return finish(command, raw);
}

}  // namespace slope::cli
