// slope_bench_scaling: record + sweep cost per node from 10^3 to 10^7 nodes, for a chain and
// for a wide sum. A flat ns/node column means the total cost is linear in the tape's size.
//
// Chain: y = c·y repeated, one node and one edge per step (no statement folding applies: each
// step's operand is a named Var). Wide sum: n − 1 inputs and s += x[i], which Slope folds into
// one node with n − 1 edges. One call = clear the tape, set the inputs, record, sweep, read the
// gradient; each size keeps its tape across calls. `--smoke` runs up to 10^5 nodes briefly.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/autodiff.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/default_flags.hpp"
#include "support/gradient_check.hpp"
#include "support/median_reporter.hpp"
#include "support/summary_out.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

enum class Shape { Chain, WideSum };

std::string_view shape_name(Shape shape) { return shape == Shape::Chain ? "chain" : "wide_sum"; }

/// One graph shape at one size, with its tape and buffers kept across calls.
class ScalingCase {
 public:
  ScalingCase(Shape shape, std::size_t nodes) : shape_(shape), nodes_(nodes) {
    const std::size_t inputs = shape == Shape::Chain ? 1 : nodes - 1;
    values_.resize(inputs);
    for (std::size_t i = 0; i < inputs; ++i) values_[i] = 0.5 + 1e-3 * static_cast<double>(i % 1000);
    xs_.resize(inputs);
    grad_.resize(inputs);
  }

  [[nodiscard]] std::string name() const { return fmt::format("{}/{}", shape_name(shape_), nodes_); }
  [[nodiscard]] Shape shape() const noexcept { return shape_; }
  [[nodiscard]] std::size_t nodes() const noexcept { return nodes_; }
  [[nodiscard]] slope::Recording record() { return tape_.record(); }
  [[nodiscard]] const slope::Tape& tape() const noexcept { return tape_; }
  /// The inputs; timing loops chain calls through the first one.
  [[nodiscard]] std::vector<double>& values() noexcept { return values_; }

  /// One gradient: returns the output's value; the gradient is in grad(). Needs a recording.
  double operator()() {
    tape_.clear();
    tape_.inputs(values_, xs_);
    slope::Var y = shape_ == Shape::Chain ? chain(xs_[0]) : wide_sum(xs_);
    tape_.backward(y);
    tape_.adjoints(xs_, grad_);
    return y.value();
  }

  [[nodiscard]] const std::vector<double>& grad() const noexcept { return grad_; }

  /// Records once and checks the value, the gradient and the node count against what the
  /// graph must be; throws GradientCheckError.
  void check() {
    auto recording = record();
    const double value = (*this)();
    const std::string what = fmt::format("scaling graph {}", name());
    double want_value = 0.0;
    std::vector<double> want_grad(values_.size());
    if (shape_ == Shape::Chain) {
      // Same recurrence in doubles: the chain's value and its derivative c^(n-1), op for op.
      want_value = values_[0];
      want_grad[0] = 1.0;
      for (std::size_t i = 1; i < nodes_; ++i) {
        want_value = kFactor * want_value;
        want_grad[0] *= kFactor;
      }
    } else {
      for (const double v : values_) want_value += v;
      std::fill(want_grad.begin(), want_grad.end(), 1.0);
    }
    require_close({&value, 1}, {&want_value, 1}, kGradientTolerance, what + " value");
    require_close(grad_, want_grad, kGradientTolerance, what + " gradient");
    const std::size_t recorded = tape_.stats().nodes;
    if (recorded != nodes_) {
      throw GradientCheckError(fmt::format("{}: recorded {} nodes, expected {}", what, recorded, nodes_));
    }
  }

 private:
  static constexpr double kFactor = 1.0 - 1e-7;  // c^(10^7) stays near e^-1: no underflow

  [[nodiscard]] slope::Var chain(const slope::Var& x) const {
    slope::Var y = x;
    for (std::size_t i = 1; i < nodes_; ++i) y = kFactor * y;
    return y;
  }

  [[nodiscard]] static slope::Var wide_sum(std::span<const slope::Var> xs) {
    slope::Var s = 0.0;
    for (const slope::Var& x : xs) s += x;
    return s;
  }

  Shape shape_;
  std::size_t nodes_;
  slope::Tape tape_;
  std::vector<double> values_;
  std::vector<slope::Var> xs_;
  std::vector<double> grad_;
};

/// Times calls of `scaling_case` chained through its first input (see gradient_cost.cpp).
void time_case(benchmark::State& state, ScalingCase& scaling_case) {
  auto recording = scaling_case.record();
  std::vector<double>& values = scaling_case.values();
  const double base = values[0];
  double previous = 0.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(previous);
    values[0] = base + previous * 0.0;
    previous = scaling_case() + scaling_case.grad()[0] * 0.0;
  }
  benchmark::DoNotOptimize(previous);
  values[0] = base;
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke", kSummaryOutFlag});
  const bool smoke = command_line.has("--smoke");
  SummaryOut summary("scaling", command_line.value(kSummaryOutFlag), smoke);
  command_line.add_defaults({"--benchmark_enable_random_interleaving=true",
                             smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=7",
                             smoke ? "--benchmark_min_time=0.001" : "--benchmark_min_time=0.2"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  const std::size_t largest = smoke ? 100'000 : 10'000'000;
  std::vector<std::unique_ptr<ScalingCase>> cases;
  for (const Shape shape : {Shape::Chain, Shape::WideSum}) {
    for (std::size_t nodes = 1000; nodes <= largest; nodes *= 10) cases.push_back(std::make_unique<ScalingCase>(shape, nodes));
  }
  try {
    for (const auto& scaling_case : cases) scaling_case->check();
  } catch (const GradientCheckError& error) {
    fmt::print(stderr, "gradient check FAILED: {}\n", error.what());
    return 1;
  }
  fmt::print("gradient checks passed: chain and wide-sum gradients exact at every size\n\n");

  for (const auto& scaling_case : cases) {
    ScalingCase* c = scaling_case.get();
    benchmark::RegisterBenchmark(c->name().c_str(), [c](benchmark::State& state) { time_case(state, *c); })
        ->Unit(benchmark::kMillisecond);
  }
  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  Table table({"graph", "nodes", "edges", "median ms", "ns/node", "vs 10^3", "bytes/node"});
  std::string flatness;
  for (const Shape shape : {Shape::Chain, Shape::WideSum}) {
    double smallest = std::nan("");
    double low = INFINITY;
    double high = 0.0;
    for (const auto& c : cases) {
      if (c->shape() != shape) continue;
      const slope::TapeStats stats = c->tape().stats();
      const double median_ns = reporter.median_ns(c->name());
      const double ns_per_node = median_ns / static_cast<double>(c->nodes());
      if (std::isnan(smallest)) smallest = ns_per_node;
      low = std::min(low, ns_per_node);
      high = std::max(high, ns_per_node);
      table.add_row({std::string(shape_name(shape)), fmt::format("{}", c->nodes()), fmt::format("{}", stats.edges),
                     fmt::format("{:.3f}", median_ns * 1e-6), fmt::format("{:.2f}", ns_per_node),
                     fmt::format("{:.2f}", ns_per_node / smallest),
                     fmt::format("{:.2f}", static_cast<double>(stats.bytes) / static_cast<double>(c->nodes()))});
      summary.add("scaling", {{"shape", std::string(shape_name(shape))},
                              {"nodes", static_cast<double>(c->nodes())},
                              {"edges", static_cast<double>(stats.edges)},
                              {"tape_bytes", static_cast<double>(stats.bytes)},
                              {"median_ns", median_ns},
                              {"repetitions", static_cast<double>(reporter.repetitions(c->name()))},
                              {"cv", reporter.cv(c->name())}});
    }
    flatness += fmt::format("{}: ns/node within {:.2f}-{:.2f} ({:.2f}x) from 10^3 to {} nodes\n", shape_name(shape), low,
                            high, high / low, largest);
  }
  fmt::print("\n{}scaling: record + sweep + read gradient, median CPU time per call over {} repetitions\n{}{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "", reporter.repetitions(cases.front()->name()), table.str(),
             flatness);
  return summary.write() ? 0 : 1;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
