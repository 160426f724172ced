#include "session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <system_error>

#include "slope/lang/data.hpp"
#include "slope/lang/errors.hpp"

namespace slope::cli {
namespace {

/// A flag's mistake reported by the model (no such const, wrong number of values): about the
/// command line, so it is not shown under a line of the model.
UsageError as_usage_error(std::string_view flag, std::string_view name, const lang::CheckError& error) {
  return UsageError(fmt::format("{} {}: {}", flag, name, error.message()));
}

}  // namespace

std::string read_model_text(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw UsageError(fmt::format("cannot read the model {}: it is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(
        fmt::format("cannot read the model {}: {}", path.string(), std::generic_category().message(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

lang::Model load_model(const Arguments& arguments, const std::string& source) {
  lang::Model model = lang::Model::parse(source, arguments.model.string());
  const std::vector<lang::DataDeclaration> declared = model.data_declarations();
  const auto is_declared = [&](const std::string& name) {
    return std::any_of(declared.begin(), declared.end(), [&](const auto& d) { return d.name == name; });
  };
  for (const DataBinding& binding : arguments.data) {
    if (!is_declared(binding.name)) {
      std::string names;
      for (const auto& d : declared) names += fmt::format("{}{}", names.empty() ? "" : ", ", d.name);
      throw UsageError(fmt::format("--data {}: {} declares no data named \"{}\" ({})", binding.name, model.file(),
                                   binding.name, names.empty() ? "it declares no data" : "its data: " + names));
    }
  }
  for (const lang::DataDeclaration& declaration : declared) {
    const auto bound = std::find_if(arguments.data.begin(), arguments.data.end(),
                                    [&](const DataBinding& b) { return b.name == declaration.name; });
    if (bound == arguments.data.end()) {
      throw lang::CheckError(model.file(), declaration.span.begin,
                             fmt::format("no data for \"{}\": pass --data {}=FILE.csv[:COLUMNS]", declaration.name,
                                         declaration.name));
    }
  }
  // The last --data for a name wins, as the last --set does; only it is read.
  for (std::size_t i = 0; i < arguments.data.size(); ++i) {
    const DataBinding& binding = arguments.data[i];
    const bool later = std::any_of(arguments.data.begin() + static_cast<std::ptrdiff_t>(i) + 1, arguments.data.end(),
                                   [&](const DataBinding& b) { return b.name == binding.name; });
    if (!later) model.bind_data(binding.name, lang::read_csv(binding.path, binding.columns));
  }
  for (const ConstantSetting& setting : arguments.constants) {
    try {
      model.set_constant(setting.name, setting.value);
    } catch (const lang::CheckError& error) {
      throw as_usage_error("--set", setting.name, error);
    }
  }
  model.check();
  return model;
}

std::vector<double> starting_point(const lang::Model& model, const Arguments& arguments) {
  std::vector<double> theta = model.initial_point();
  for (const ParameterSetting& setting : arguments.at) {
    try {
      model.set_parameter(theta, setting.name, setting.values);
    } catch (const lang::CheckError& error) {
      throw as_usage_error("--at", setting.name, error);
    }
  }
  return theta;
}

double evaluate_checked(const lang::Model& model, std::span<const double> theta, std::span<double> gradient) {
  return model.value_and_gradient(theta, gradient, /*checked=*/true);
}

}  // namespace slope::cli
