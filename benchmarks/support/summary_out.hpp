#pragma once
/// \file
/// SummaryOut: a benchmark binary's summary rows as JSON, so that benchmarks/report.sh reads
/// numbers rather than scraping the human tables (which the binaries keep printing).
///
/// `--summary_out=FILE` writes
///   {"binary": "gradient_cost", "smoke": false,
///    "rows": [{"table": "kernels", "kernel": "a", "primal_ns": 812.5, ...}, ...]}
/// Numbers are written with full precision; NaN and infinities become null.

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace slope::bench {

/// The flag that names the summary file; pass it to CommandLine's own flags.
inline constexpr std::string_view kSummaryOutFlag = "--summary_out=";

/// Collects summary rows and writes them to a JSON file.
class SummaryOut {
 public:
  using Value = std::variant<double, std::string, bool>;
  using Row = std::vector<std::pair<std::string, Value>>;

  /// `path` empty: write() does nothing.
  SummaryOut(std::string binary, std::string path, bool smoke)
      : binary_(std::move(binary)), path_(std::move(path)), smoke_(smoke) {}

  /// Appends a row to table `table` (a binary may write several tables, e.g. convergence and timing).
  void add(std::string_view table, Row fields) {
    fields.insert(fields.begin(), {"table", std::string(table)});
    rows_.push_back(std::move(fields));
  }

  /// Writes the file; returns false (after saying why on stderr) if it cannot.
  [[nodiscard]] bool write() const {
    if (path_.empty()) return true;
    std::FILE* file = std::fopen(path_.c_str(), "w");
    if (file == nullptr) {
      fmt::print(stderr, "error: cannot write the summary to {}\n", path_);
      return false;
    }
    fmt::print(file, "{{\"binary\": {}, \"smoke\": {}, \"rows\": [", quoted(binary_), smoke_);
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      fmt::print(file, "{}\n  {{", r == 0 ? "" : ",");
      for (std::size_t f = 0; f < rows_[r].size(); ++f) {
        const auto& [key, value] = rows_[r][f];
        fmt::print(file, "{}{}: {}", f == 0 ? "" : ", ", quoted(key), json(value));
      }
      fmt::print(file, "}}");
    }
    fmt::print(file, "\n]}}\n");
    return std::fclose(file) == 0;
  }

 private:
  static std::string json(const Value& value) {
    if (const double* number = std::get_if<double>(&value)) {
      return std::isfinite(*number) ? fmt::format("{:.17g}", *number) : "null";
    }
    if (const bool* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
    return quoted(std::get<std::string>(value));
  }

  static std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      } else {
        out += c;
      }
    }
    return out + "\"";
  }

  std::string binary_;
  std::string path_;
  bool smoke_;
  std::vector<Row> rows_;
};

}  // namespace slope::bench
