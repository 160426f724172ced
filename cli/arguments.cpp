#include "arguments.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
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
  // Numbers stay text until finish(), which names the flag and the text in its message (CLI11
  // would print "Value abc not in range 0 to 1.79769e+308").
  std::optional<std::string> step_size;
  std::optional<std::string> max_iterations;
  std::optional<std::string> max_evaluations;
  std::optional<std::string> tolerance;
  std::optional<std::string> threads;
  bool json = false;
  bool timing = false;
  std::string trace;
};

/// The options every subcommand takes: the model, --data, --set and --json.
void add_common(CLI::App& command, RawArguments& raw) {
  command.add_option("model", raw.model, "the .slope file")->required()->type_name("MODEL.slope");
  command
      .add_option("--data", raw.data,
                  "bind a data name to a CSV file, optionally to some of its columns by header name or "
                  "1-based number (X=data.csv:1-20, y=data.csv:label), or to a NumPy file (X=X.npy); or bind every "
                  "name a JSON file holds (data.json) (repeatable)")
      ->type_name("NAME=PATH[:COLUMNS]|FILE.json")
      ->allow_extra_args(false);
  command.add_option("--set", raw.constants, "override a const: lambda=0.1 (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  command.add_flag("--json", raw.json, "print one JSON object on stdout");
  command
      .add_option("--threads", raw.threads,
                  "threads that evaluate the operations over data rows (default: one per core; 1: serial); the "
                  "numbers do not depend on it")
      ->type_name("N");
}

void add_at(CLI::App& command, RawArguments& raw) {
  command.add_option("--at", raw.at,
                     "start from these values of a param instead of its initial ones, row-major for a matrix: "
                     "w=0.1,-0.2 (repeatable)")
      ->type_name("NAME=V1,V2,...")
      ->allow_extra_args(false);
}

/// A whole number >= 1 given to `flag`.
std::size_t positive_count(std::string_view flag, std::string_view text) {
  const std::string_view digits = trim(text);
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() || value == 0) {
    throw UsageError(fmt::format("{} \"{}\": expected a whole number >= 1", flag, text));
  }
  return value;
}

/// A finite number given to `flag`, > 0 or >= 0.
double finite_number(std::string_view flag, std::string_view text, bool zero_allowed) {
  const std::optional<double> value = parse_number(text);
  if (!value || !std::isfinite(*value) || *value < 0.0 || (*value == 0.0 && !zero_allowed)) {
    throw UsageError(fmt::format("{} \"{}\": expected a number {} 0", flag, text, zero_allowed ? ">=" : ">"));
  }
  return *value;
}

MethodName method_named(std::string_view name) {
  if (name == "lbfgs") return MethodName::Lbfgs;
  if (name == "gd") return MethodName::GradientDescent;
  if (name == "momentum") return MethodName::Momentum;
  if (name == "adam") return MethodName::Adam;
  throw UsageError(fmt::format("--method \"{}\": expected lbfgs, gd, momentum or adam", name));
}

Arguments finish(Command command, const RawArguments& raw) {
  Arguments out;
  out.command = command;
  out.model = raw.model;
  for (const std::string& text : raw.data) out.data.push_back(parse_data_binding(text));
  for (const std::string& text : raw.constants) out.constants.push_back(parse_constant_setting(text));
  for (const std::string& text : raw.at) out.at.push_back(parse_parameter_setting(text));
  out.method = method_named(raw.method);
  if (raw.step_size) out.step_size = finite_number("--step-size", *raw.step_size, false);
  if (raw.max_iterations) out.max_iterations = positive_count("--max-iter", *raw.max_iterations);
  if (raw.max_evaluations) out.max_evaluations = positive_count("--max-evals", *raw.max_evaluations);
  if (raw.threads) out.threads = positive_count("--threads", *raw.threads);
  if (raw.tolerance) out.tolerance = finite_number("--tol", *raw.tolerance, true);
  out.json = raw.json;
  out.timing = raw.timing;
  if (!raw.trace.empty()) out.trace = raw.trace;
  return out;
}

/// CLI11's message for a usage error, said the way every other error of the command is.
std::string usage_message(const CLI::ParseError& error, int argc, const char* const* argv) {
  std::string message = error.what();
  if (message == "A subcommand is required") return "no command given: expected optimize, gradient or check";
  if (message == "model is required") return "no model given: expected MODEL.slope after the command";
  const std::size_t colon = message.find(": ");
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr && colon != std::string::npos) {
    // CLI11 lists the words last first: list them in the order they were given.
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
      if (message.find(argv[i], colon) != std::string::npos) words.emplace_back(argv[i]);
    }
    std::string list;
    for (const std::string& word : words) list += (list.empty() ? "" : " ") + word;
    return fmt::format("unexpected argument{}: {}", words.size() == 1 ? "" : "s", list);
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr && message.ends_with(" missing")) {
    return fmt::format("{} needs a value", message.substr(0, message.find(':')));  // "--tol: 1 required X missing"
  }
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') message[0] = static_cast<char>(message[0] - 'A' + 'a');
  return message;
}

/// The extension of `path` in lower case, with its dot.
std::string extension_of(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return extension;
}

DataFormat format_of(const std::filesystem::path& path) {
  const std::string extension = extension_of(path);
  return extension == ".json" ? DataFormat::Json : extension == ".npy" ? DataFormat::Npy : DataFormat::Csv;
}

}  // namespace

DataBinding parse_data_binding(std::string_view text) {
  constexpr std::string_view form = "NAME=PATH[:COLUMNS] or FILE.json, e.g. X=data.csv:1-20";
  if (text.find('=') == std::string_view::npos && format_of(std::filesystem::path(trim(text))) == DataFormat::Json) {
    return DataBinding{{}, std::filesystem::path(trim(text)), {}, DataFormat::Json};
  }
  auto [name, rest] = split_name(text, "--data", form);
  rest = trim(rest);
  if (rest.empty()) throw UsageError(fmt::format("--data \"{}\": expected {}", text, form));
  DataBinding binding{std::move(name), std::filesystem::path(rest), {}, DataFormat::Csv};
  const std::size_t colon = rest.rfind(':');
  std::error_code ignored;
  const std::string_view columns = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  if (colon != std::string_view::npos && !std::filesystem::exists(binding.path, ignored) &&
      columns.find_first_of("/\\") == std::string_view::npos) {
    if (trim(columns).empty() || colon == 0) {
      throw UsageError(fmt::format("--data \"{}\": nothing {} the ':'; expected {}", text,
                                   colon == 0 ? "before" : "after", form));
    }
    binding.path = std::filesystem::path(rest.substr(0, colon));
    binding.columns = std::string(trim(columns));
  }
  binding.format = format_of(binding.path);
  if (binding.format != DataFormat::Csv && !binding.columns.empty()) {
    throw UsageError(fmt::format("--data \"{}\": columns (\"{}\") are for CSV files; {}", text, binding.columns,
                                 binding.format == DataFormat::Npy ? "a .npy file holds one array"
                                                                   : "a JSON file binds values by name"));
  }
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

std::string_view version() noexcept { return SLOPE_VERSION; }

std::variant<Arguments, int> parse_arguments(int argc, const char* const* argv) {
  CLI::App app{"Optimize, differentiate and check the objectives of .slope models.", "slope"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("slope {}", version()), "print the version of slope and exit");
  app.footer(
      "Exit status: 0 converged (or the gradient or check succeeded), 1 the optimizer stopped without "
      "converging or the check found a mismatch, 2 bad input.\n");
  RawArguments raw;

  CLI::App* optimize = app.add_subcommand("optimize", "minimize or maximize the model's objective");
  add_common(*optimize, raw);
  add_at(*optimize, raw);
  optimize->add_option("--method", raw.method, "the optimizer: lbfgs (default), gd, momentum or adam")
      ->type_name("METHOD");
  optimize->add_option("--step-size", raw.step_size, "the step of gd (first trial step), momentum or adam")
      ->type_name("X");
  optimize->add_option("--max-iter", raw.max_iterations, "iteration limit (default 1000)")->type_name("N");
  optimize
      ->add_option("--max-evals", raw.max_evaluations,
                   "limit on evaluations of the objective and gradient (default: none, --max-iter stops the run)")
      ->type_name("N");
  optimize->add_option("--tol", raw.tolerance, "converged when max |gradient component| <= X (default 1e-6)")
      ->type_name("X");
  optimize->add_option("--trace", raw.trace,
                       "write iteration,objective,gradient_norm,step and the params per iteration to a CSV file")
      ->type_name("FILE.csv");
  optimize->add_flag("--timing", raw.timing,
                     "print on stderr the seconds spent reading and checking, and optimizing (rank 0's, under mpirun)");

  CLI::App* gradient = app.add_subcommand("gradient", "the objective and its gradient at the initial values");
  add_common(*gradient, raw);
  add_at(*gradient, raw);

  CLI::App* check = app.add_subcommand("check", "the tape's gradient against central finite differences");
  add_common(*check, raw);
  add_at(*check, raw);
  check->add_option("--tol", raw.tolerance, "largest relative error accepted (default 1e-6)")->type_name("X");

  const auto usage_error = [](std::string_view message) {
    std::fputs(fmt::format("slope: error: {}\nRun with --help for more information.\n", message).c_str(), stderr);
    return 2;
  };
  // CLI11 would only say that a subcommand is required; name the word it did not know.
  const std::string_view first = argc > 1 ? argv[1] : "-";
  if (!first.starts_with('-') && first != "optimize" && first != "gradient" && first != "check") {
    return usage_error(fmt::format("unknown command \"{}\": expected optimize, gradient or check", first));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& request) {
    return app.exit(request);
  } catch (const CLI::CallForAllHelp& request) {
    return app.exit(request);
  } catch (const CLI::CallForVersion& request) {
    return app.exit(request);
  } catch (const CLI::ParseError& error) {
    return usage_error(usage_message(error, argc, argv));
  }
  const Command command = optimize->parsed() ? Command::Optimize
                          : gradient->parsed() ? Command::Gradient
                                               : Command::Check;
  return finish(command, raw);
}

}  // namespace slope::cli
