// slope_bench_csv: how fast slope::lang reads a numeric CSV, and how much memory the result
// takes per number.
//
// The table is 10^6 rows x 10 columns with a header, numbers written in their shortest
// round-trip form (about 19 bytes each, e.g. -0.12345678901234566), generated with a fixed seed.
// `parse` times parse_csv over the text in memory; `read` times read_csv on the same text in
// a temporary file (the page cache makes it the cost of a copy more); `select` picks 3 of the
// 10 columns by name. Before timing, every number is checked against the one written.
// `--smoke` runs 10^4 rows briefly.

#include <algorithm>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/lang/data.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "support/default_flags.hpp"
#include "support/median_reporter.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

constexpr std::size_t kColumns = 10;

/// A CSV text and the numbers in it, row-major.
struct CsvText {
  std::string text;
  std::vector<double> numbers;
};

CsvText make_table(std::size_t rows) {
  CsvText table;
  std::mt19937_64 random(20240611);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (std::size_t c = 0; c < kColumns; ++c) table.text += fmt::format("{}x{}", c == 0 ? "" : ",", c + 1);
  table.text += '\n';
  table.numbers.reserve(rows * kColumns);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < kColumns; ++c) {
      const double x = normal(random);
      table.numbers.push_back(x);
      table.text += fmt::format("{}{}", c == 0 ? "" : ",", x);
    }
    table.text += '\n';
  }
  return table;
}

/// Parses the text once and checks every number; returns the matrix's heap bytes per number.
double check(const CsvText& table) {
  const lang::Matrix m = lang::parse_csv(table.text, "bench.csv");
  if (!std::ranges::equal(m.entries(), table.numbers) || m.cols != kColumns) {
    throw std::runtime_error("parse_csv returned different numbers than the ones written");
  }
  // The buffer holds exactly the rows read, plus room for the blank lines that may end a file.
  return static_cast<double>(m.entries().size_bytes()) / static_cast<double>(m.entries().size());
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke"});
  const bool smoke = command_line.has("--smoke");
  command_line.add_defaults({smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=5",
                             smoke ? "--benchmark_min_time=0.001" : "--benchmark_min_time=0.5"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  const std::size_t rows = smoke ? 10'000 : 1'000'000;
  const CsvText table = make_table(rows);
  double bytes_per_number = 0.0;
  try {
    bytes_per_number = check(table);
  } catch (const std::exception& error) {
    fmt::print(stderr, "check FAILED: {}\n", error.what());
    return 1;
  }
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / fmt::format("slope_bench_csv_{}.csv", rows);
  std::ofstream(file, std::ios::binary) << table.text;

  const auto per_row = [rows](benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
  };
  benchmark::RegisterBenchmark("parse", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(lang::parse_csv(table.text, "bench.csv"));
    per_row(state);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("read", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(lang::read_csv(file));
    per_row(state);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("select", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(lang::parse_csv(table.text, "bench.csv", "x2,5-6"));
    per_row(state);
  })->Unit(benchmark::kMillisecond);

  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::filesystem::remove(file);

  Table summary({"benchmark", "median ms", "rows/s", "MB/s of text"});
  for (const char* name : {"parse", "read", "select"}) {
    const double seconds = reporter.median_ns(name) * 1e-9;
    summary.add_row({name, fmt::format("{:.1f}", seconds * 1e3), fmt::format("{:.3g}", static_cast<double>(rows) / seconds),
                     fmt::format("{:.0f}", static_cast<double>(table.text.size()) / seconds * 1e-6)});
  }
  fmt::print("\n{}csv: {} rows x {} columns, {:.1f} MB of text, {:.2f} bytes of Matrix per number\n{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "", rows, kColumns, static_cast<double>(table.text.size()) * 1e-6,
             bytes_per_number, summary.str());
  return 0;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
