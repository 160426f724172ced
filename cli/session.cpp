#include "session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <exception>
#include <string_view>
#include <system_error>
#include <vector>

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

/// How this process reads the data whose rows are split over processes.
struct RowShare {
  std::string dimension;                 ///< the row dimension; empty when nothing is split
  std::vector<std::string> split_names;  ///< the data declared with it as their first dimension
  lang::RowBlock block;                  ///< this process's block
  /// Per split data read from a shared file: the file and its number of rows, which must agree.
  std::vector<std::pair<std::string, std::size_t>> totals;
  /// The row dimension's value as a JSON file gives it (a file, a number), checked against the
  /// rows of all processes once they are known: each process's data give only its own.
  std::optional<std::pair<std::string, double>> stated_rows;

  [[nodiscard]] bool splits(const std::string& name) const {
    return std::find(split_names.begin(), split_names.end(), name) != split_names.end();
  }
};

/// A path with "{rank}" replaced by this process's rank: one file per process.
std::filesystem::path per_process_path(const std::filesystem::path& path, std::size_t rank, bool& per_process) {
  std::string text = path.string();
  const std::size_t at = text.find("{rank}");
  per_process = at != std::string::npos;
  if (per_process) text.replace(at, 6, std::to_string(rank));
  return text;
}

/// This process's rows of `array` (read whole) when its name is split.
lang::Array share_of(lang::Array array, const std::string& name, RowShare& share, bool per_process) {
  if (!share.splits(name) || per_process) return array;
  const std::size_t rows = array.matrix.rows;
  share.totals.emplace_back(array.matrix.origin, rows);
  if (rows < share.block.parts) {
    throw lang::DataError(array.matrix.origin, lang::kNowhere,
                          fmt::format("the file has {} rows, fewer than the {} processes that share its rows", rows,
                                      share.block.parts));
  }
  array.matrix = lang::take_rows(std::move(array.matrix), share.block.begin(rows), share.block.end(rows));
  return array;
}

/// NAME=PATH --data flags that read one CSV file, all split over processes or none.
struct CsvReading {
  std::filesystem::path path;  ///< this process's file
  bool split = false;
  std::vector<const DataBinding*> bindings;
};

/// Binds the data of one CSV file (this process's rows of it, when split): the file is parsed
/// once for the columns of every name (as X=FILE:1-50 and y=FILE:label), on `threads` threads
/// (--threads: 0, one per core).
void bind_csv(lang::Model& model, const CsvReading& reading, RowShare& share, unsigned threads) {
  std::vector<std::string_view> selections;
  for (const DataBinding* binding : reading.bindings) selections.emplace_back(binding->columns);
  std::vector<lang::Matrix> read;
  if (reading.split) {
    std::size_t total = 0;
    read = lang::read_csv_block_selections(reading.path, selections, share.block, total, threads);
    for (const lang::Matrix& rows : read) share.totals.emplace_back(rows.origin, total);
  } else {
    read = lang::read_csv_selections(reading.path, selections, threads);
  }
  for (std::size_t k = 0; k < read.size(); ++k) model.bind_data(reading.bindings[k]->name, std::move(read[k]));
}

/// Binds one NAME=PATH --data of a .npy or JSON file to its data (this process's rows of it,
/// when split).
void bind_named(lang::Model& model, DataBinding binding, RowShare& share, std::size_t rank) {
  bool per_process = false;
  binding.path = per_process_path(binding.path, rank, per_process);
  switch (binding.format) {
    case DataFormat::Csv:
      throw slope::Error("internal error: bind_named: CSV files are bound by bind_csv");
    case DataFormat::Npy:
      model.bind_data(binding.name, share_of(lang::read_npy(binding.path), binding.name, share, per_process));
      return;
    case DataFormat::Json:
      model.bind_data(binding.name, share_of(json_member(binding), binding.name, share, per_process));
      return;
  }
}

/// Data split over processes must have the same rows: every file the same number.
void require_same_rows(const RowShare& share) {
  for (const auto& [origin, rows] : share.totals) {
    if (rows != share.totals.front().second) {
      throw lang::DataError(origin, lang::kNowhere,
                            fmt::format("the file has {} rows, but {} has {}: the data whose rows are split over "
                                        "processes must have the same rows",
                                        rows, share.totals.front().first, share.totals.front().second));
    }
  }
}

/// A --data FILE.json: every value it holds.
struct JsonFile {
  std::size_t position = 0;  ///< among the --data flags
  std::filesystem::path path;
  std::vector<lang::NamedArray> values;
};

}  // namespace

namespace {

/// Binds every --data: this process's rows of the split data, the rest whole.
void bind_files(lang::Model& model, const Arguments& arguments, const std::vector<lang::DataDeclaration>& declared,
                RowShare& share, std::size_t rank) {
  const auto is_declared = [&](const std::string& name) {
    return std::any_of(declared.begin(), declared.end(), [&](const auto& d) { return d.name == name; });
  };
  std::vector<JsonFile> json_files;
  for (std::size_t i = 0; i < arguments.data.size(); ++i) {
    if (arguments.data[i].name.empty()) {
      bool per_process = false;
      const std::filesystem::path path = per_process_path(arguments.data[i].path, rank, per_process);
      json_files.push_back({i, path, lang::read_json_data(path)});
      for (lang::NamedArray& value : json_files.back().values) {
        value.array = share_of(std::move(value.array), value.name, share, per_process);
      }
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
  std::vector<CsvReading> csv_files;  // in the order of their first --data
  for (std::size_t i = 0; i < arguments.data.size(); ++i) {
    const DataBinding& binding = arguments.data[i];
    if (binding.name.empty() || source_of[binding.name] != i) continue;
    if (binding.format != DataFormat::Csv) {
      bind_named(model, binding, share, rank);
      continue;
    }
    bool per_process = false;
    std::filesystem::path path = per_process_path(binding.path, rank, per_process);
    const bool split = share.splits(binding.name) && !per_process;
    const auto same = std::find_if(csv_files.begin(), csv_files.end(),
                                   [&](const CsvReading& r) { return r.path == path && r.split == split; });
    if (same != csv_files.end()) {
      same->bindings.push_back(&binding);
    } else {
      csv_files.push_back({std::move(path), split, {&binding}});
    }
  }
  for (const CsvReading& reading : csv_files) bind_csv(model, reading, share, static_cast<unsigned>(arguments.threads));
  // All the data first, then the consts and dimensions of the JSON files, so that a dimension
  // is compared with data bound from any file.
  std::vector<std::vector<lang::NamedArray>> rest(json_files.size());
  for (std::size_t f = 0; f < json_files.size(); ++f) {
    std::vector<lang::NamedArray> data;
    for (lang::NamedArray& value : json_files[f].values) {
      if (value.name == share.dimension && value.array.rank == 0) {
        share.stated_rows.emplace(json_files[f].path.string(), value.array.matrix.entries()[0]);
      } else if (!is_declared(value.name)) {
        rest[f].push_back(std::move(value));
      } else if (source_of[value.name] == json_files[f].position) {
        data.push_back(std::move(value));
      }
    }
    model.bind_all(std::move(data), json_files[f].path.string());
  }
  for (std::size_t f = 0; f < json_files.size(); ++f) model.bind_all(std::move(rest[f]), json_files[f].path.string());
  require_same_rows(share);
}

}  // namespace

lang::Model load_model(const Arguments& arguments, const std::string& source, const Processes& processes) {
  lang::Model model = lang::Model::parse(source, arguments.model.string());
  const std::vector<lang::DataDeclaration> declared = model.data_declarations();
  RowShare share;
  share.block = lang::RowBlock{processes.rank(), processes.size()};
  if (processes.distributed()) {
    const std::optional<std::string> rows = model.row_dimension();
    if (!rows) {
      throw UsageError(fmt::format("{} cannot be split over {} processes: its first data declaration has no named row "
                                   "dimension (write data X[n, d], not data X[100, d])",
                                   model.file(), processes.size()));
    }
    share.dimension = *rows;
    for (const lang::DataDeclaration& d : declared) {
      if (!d.dimensions.empty() && d.dimensions[0] == *rows) share.split_names.push_back(d.name);
    }
  }
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
  // Reading the rows may fail on some processes only (a bad cell in one block): every process
  // gets through it, then they learn together whether to stop.
  std::exception_ptr failure;
  try {
    bind_files(model, arguments, declared, share, processes.rank());
  } catch (...) {
    failure = std::current_exception();
  }
  processes.settle(failure);
  for (const ConstantSetting& setting : arguments.constants) {
    try {
      model.set_constant(setting.name, setting.value);
    } catch (const lang::CheckError& error) {
      throw as_usage_error("--set", setting.name, error);
    }
  }
  try {
    model.check();  // the shapes of a process's rows: may fail on one only
  } catch (...) {
    failure = std::current_exception();
  }
  processes.settle(failure);
  model.set_threads(arguments.threads);
  if (processes.distributed()) {
    const std::optional<std::size_t> local = model.dimension(share.dimension);
    std::vector<double> rows{static_cast<double>(local.value_or(0))};
    processes.all_reduce(rows, 0);
    if (share.stated_rows && share.stated_rows->second != rows[0]) {
      throw lang::DataError(share.stated_rows->first, lang::kNowhere,
                            fmt::format("{}: the file gives {} = {}, but the data of all processes have {} rows",
                                        share.dimension, share.dimension, share.stated_rows->second, rows[0]));
    }
    model.split_rows(lang::RowSplit{share.dimension, static_cast<std::size_t>(rows[0]),
                                    [&processes](std::span<double> values, int status) {
                                      return processes.all_reduce(values, status);
                                    }});
  }
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
