#pragma once
/// \file
/// Running the built `slope` binary on the example models and on models written to a
/// temporary directory.

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "run_process.hpp"

namespace slope::test {

/// The folder of the example models and their data.
inline std::filesystem::path models() { return SLOPE_EXAMPLE_MODELS; }
/// An example model or data file, as an absolute path.
inline std::string model(std::string_view name) { return (models() / name).string(); }

/// Runs `slope` with these arguments.
inline ProcessResult run_slope(const std::vector<std::string>& arguments, const RunOptions& options = {}) {
  return run_process(SLOPE_EXECUTABLE, arguments, options);
}

/// The arguments that bind the logistic example's data after `command`.
inline std::vector<std::string> logistic(std::string_view command, std::vector<std::string> more = {}) {
  std::vector<std::string> args{std::string(command), model("logistic.slope"), "--data",
                                "X=" + model("logistic.csv") + ":x1-x3", "--data", "y=" + model("logistic.csv") + ":label"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

/// stdout as one JSON object.
inline nlohmann::json json_of(const ProcessResult& result) { return nlohmann::json::parse(result.out); }

/// A temporary folder for one test's files, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("slope_cli_test_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `content` to `name` in the folder and returns its path.
  std::string write(std::string_view name, std::string_view content) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }
  [[nodiscard]] std::string path(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace slope::test
