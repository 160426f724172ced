#pragma once
/// \file
/// MedianReporter: collects the median time of every benchmark while another reporter prints.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace slope::bench {

/// Wraps a display reporter (the console by default): keeps every repetition's CPU time per
/// iteration (wall time for benchmarks registered with UseRealTime), and shows only the median and coefficient of variation of each benchmark (all
/// repetitions when there is a single one), so that a run of hundreds of repetitions stays
/// readable while the tables computed at the end use the same run's numbers.
class MedianReporter final : public benchmark::BenchmarkReporter {
 public:
  /// `display` (for example benchmark::CreateDefaultDisplayReporter(), which honours
  /// --benchmark_format) must outlive this reporter.
  explicit MedianReporter(benchmark::BenchmarkReporter& display) : display_(&display) {}

  bool ReportContext(const Context& context) override { return display_->ReportContext(context); }

  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> shown;
    for (const Run& run : runs) {
      if (run.error_occurred) {
        shown.push_back(run);
      } else if (run.run_type == Run::RT_Iteration) {
        // A benchmark registered with UseRealTime ("/real_time") works on several threads: its
        // figure is wall time, which includes waiting for the other threads; CPU time of the
        // calling thread would not.
        const bool wall = run.run_name.time_type == "real_time";
        const double time = wall ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime();
        times_[run.run_name.str()].push_back(time * nanoseconds_per(run.time_unit));
        if (run.repetitions <= 1) shown.push_back(run);
      } else if (run.aggregate_name == "median" || run.aggregate_name == "cv") {
        shown.push_back(run);
      }
    }
    if (!shown.empty()) display_->ReportRuns(shown);
  }

  void Finalize() override { display_->Finalize(); }

  /// Median over repetitions of the CPU (or, with UseRealTime, wall) time per iteration of
  /// benchmark `name`, in nanoseconds; NaN when it did not run.
  [[nodiscard]] double median_ns(const std::string& name) const {
    const auto found = times_.find(name);
    if (found == times_.end() || found->second.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::vector<double> sorted = found->second;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t half = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted[half] : 0.5 * (sorted[half - 1] + sorted[half]);
  }

  /// Coefficient of variation (standard deviation / mean) of the repetitions' times of
  /// benchmark `name`: how noisy its median is. NaN with fewer than two repetitions.
  [[nodiscard]] double cv(const std::string& name) const {
    const auto found = times_.find(name);
    if (found == times_.end() || found->second.size() < 2) return std::numeric_limits<double>::quiet_NaN();
    const std::vector<double>& times = found->second;
    double mean = 0.0;
    for (const double t : times) mean += t;
    mean /= static_cast<double>(times.size());
    double squares = 0.0;
    for (const double t : times) squares += (t - mean) * (t - mean);
    return std::sqrt(squares / static_cast<double>(times.size() - 1)) / mean;
  }

  /// Number of repetitions recorded for benchmark `name`.
  [[nodiscard]] std::size_t repetitions(const std::string& name) const {
    const auto found = times_.find(name);
    return found == times_.end() ? 0 : found->second.size();
  }

 private:
  static double nanoseconds_per(benchmark::TimeUnit unit) noexcept {
    switch (unit) {
      case benchmark::kNanosecond: return 1.0;
      case benchmark::kMicrosecond: return 1e3;
      case benchmark::kMillisecond: return 1e6;
      case benchmark::kSecond: return 1e9;
    }
    return 1.0;
  }

  benchmark::BenchmarkReporter* display_;
  std::map<std::string, std::vector<double>> times_;
};

}  // namespace slope::bench
