#include "session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "slope/lang/data.hpp"
#include "slope/lang/errors.hpp"
#include "slope/lang/json_data.hpp"
#include "slope/lang/npy.hpp"

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

namespace {

/// The value named `name` of a JSON file given as NAME=FILE.json.
lang::Array json_member(const DataBinding& binding) {
  std::vector<lang::NamedArray> values = lang::read_json_data(binding.path);
  for (lang::NamedArray& value : values) {
    if (value.name == binding.name) return std::move(value.array);
  }
  std::string names;
  for (const lang::NamedArray& value : values) names += fmt::format("{}{}", names.empty() ? "" : ", ", value.name);
  throw lang::DataError(binding.path.string(), lang::kNowhere,
                        fmt::format("no value named \"{}\" (the file has {})", binding.name,
                                    names.empty() ? "none" : names));
}

/// Binds one NAME=PATH --data to the file's data.
void bind_named(lang::Model& model, const DataBinding& binding) {
  switch (binding.format) {
    case DataFormat::Csv: model.bind_data(binding.name, lang::read_csv(binding.path, binding.columns)); return;
    case DataFormat::Npy: model.bind_data(binding.name, lang::read_npy(binding.path)); return;
    case DataFormat::Json: model.bind_data(binding.name, json_member(binding)); return;
  }
}

/// A --data FILE.json: every value it holds.
struct JsonFile {
  std::size_t position = 0;  ///< among the --data flags
  std::filesystem::path path;
  std::vector<lang::NamedArray> values;
};

}  // namespace

lang::Model load_model(const Arguments& arguments, const std::string& source) {
  lang::Model model = lang::Model::parse(source, arguments.model.string());
  const std::vector<lang::DataDeclaration> declared = model.data_declarations();
  const auto is_declared = [&](const std::string& name) {
    return std::any_of(declared.begin(), declared.end(), [&](const auto& d) { return d.name == name; });
  };
  for (const DataBinding& binding : arguments.data) {
    if (!binding.name.empty() && !is_declared(binding.name)) {
      std::string names;
      for (const auto& d : declared) names += fmt::format("{}{}", names.empty() ? "" : ", ", d.name);
      throw UsageError(fmt::format("--data {}: {} declares no data named \"{}\" ({})", binding.name, model.file(),
                                   binding.name, names.empty() ? "it declares no data" : "its data: " + names));
    }
  }
  std::vector<JsonFile> json_files;
  for (std::size_t i = 0; i < arguments.data.size(); ++i) {
    if (arguments.data[i].name.empty()) {
      json_files.push_back({i, arguments.data[i].path, lang::read_json_data(arguments.data[i].path)});
    }
  }
  // Each data name is bound from the last --data that gives it, as the last --set wins; only
  // that one is read (a JSON file is read whole, to know its names).
  std::map<std::string, std::size_t, std::less<>> source_of;
  for (std::size_t i = 0; i < arguments.data.size(); ++i) {
    if (!arguments.data[i].name.empty()) source_of[arguments.data[i].name] = i;
    for (const JsonFile& file : json_files) {
      if (file.position != i) continue;
      for (const lang::NamedArray& value : file.values) {
        if (is_declared(value.name)) source_of[value.name] = i;
      }
    }
  }
  for (const lang::DataDeclaration& declaration : declared) {
    if (!source_of.contains(declaration.name)) {
      throw lang::CheckError(model.file(), declaration.span.begin,
                             fmt::format("no data for \"{}\": pass --data {}=FILE.csv[:COLUMNS]", declaration.name,
                                         declaration.name));
    }
  }
  for (std::size_t i = 0; i < arguments.data.size(); ++i) {
    const DataBinding& binding = arguments.data[i];
    if (!binding.name.empty() && source_of[binding.name] == i) bind_named(model, binding);
  }
  // All the data first, then the consts and dimensions of the JSON files, so that a dimension
  // is compared with data bound from any file.
  std::vector<std::vector<lang::NamedArray>> rest(json_files.size());
  for (std::size_t f = 0; f < json_files.size(); ++f) {
    std::vector<lang::NamedArray> data;
    for (lang::NamedArray& value : json_files[f].values) {
      if (!is_declared(value.name)) {
        rest[f].push_back(std::move(value));
      } else if (source_of[value.name] == json_files[f].position) {
        data.push_back(std::move(value));
      }
    }
    model.bind_all(std::move(data), json_files[f].path.string());
  }
  for (std::size_t f = 0; f < json_files.size(); ++f) model.bind_all(std::move(rest[f]), json_files[f].path.string());
  for (const ConstantSetting& setting : arguments.constants) {
    try {
      model.set_constant(setting.name, setting.value);
    } catch (const lang::CheckError& error) {
      throw as_usage_error("--set", setting.name, error);
    }
  }
  model.check();
  model.set_threads(arguments.threads);
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
