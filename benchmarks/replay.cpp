// slope_bench_replay: a Function recorded once at x0 and replayed at x1 (forward replay +
// reverse sweep), against the primal and against Slope's record-and-sweep of the same kernel,
// on the seven benchmark kernels a-g; plus the cost of a Hessian-vector product.
//
// Rows per kernel: primal (double), replay (Function::value_and_gradient at x1), record (the
// tape recorded and swept at x1, as slope_bench_gradient_cost times it), minimize (one
// evaluation as slope::minimize(lambda) makes it: the taped objective through the optimizer's
// ObjectiveRef, which replays) and hvp (one Hessian-vector product at x1, forward over reverse). Every replayed
// gradient is checked against the hand-written one before timing. Rows run interleaved in
// random order; the table divides medians of the same run. `--smoke` runs briefly (CTest).

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>
#include <slope/optim/objective.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kernels/kernels.hpp"
#include "support/chained_calls.hpp"
#include "support/default_flags.hpp"
#include "support/gradient_check.hpp"
#include "support/median_reporter.hpp"
#include "support/slope_gradient.hpp"
#include "support/summary_out.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

/// Targets for replayed gradient time / primal time: 0.8 x the best replaying peer's figure
/// (CppAD a 18.1, b 13.3; CoDiPack primal tape c 3.9, e 7.7, g 42.5; ADOL-C d 101, f 11.6).
double target_ratio(std::string_view id) {
  if (id == "a") return 14.5;
  if (id == "b") return 10.6;
  if (id == "c") return 3.1;
  if (id == "d") return 81.0;
  if (id == "e") return 6.2;
  if (id == "f") return 9.3;
  if (id == "g") return 34.0;
  return std::nan("");
}

/// Target for Hessian-vector product time / replayed gradient time.
constexpr double kHvpTarget = 4.0;
/// Target for an evaluation of minimize(lambda)'s objective / a replay (issue: <= 1.1).
constexpr double kMinimizeTarget = 1.1;

/// A kernel as the function of Vars a user hands to slope::minimize.
template <Kernel K>
struct KernelObjective {
  const K* kernel;
  Var operator()(std::span<const Var> x) const { return kernel->evaluate(x); }
};

/// One kernel's state: the kernel, its Function (recorded at x0), a workspace, the live-tape
/// evaluator, the optimizer's taped objective and buffers.
template <Kernel K>
struct ReplayBench {
  K kernel;
  const KernelObjective<K> objective{&kernel};
  TapedObjective<const KernelObjective<K>> taped{objective};
  Function function = Function::record([this](std::span<const Var> x) { return kernel.evaluate(x); }, kernel.x0);
  Function::Workspace workspace = function.workspace();
  SlopeGradient<K> slope{kernel};
  std::vector<double> grad = std::vector<double>(kernel.x0.size());
  std::vector<double> direction = std::vector<double>(kernel.x0.size());
  std::vector<double> hvp = std::vector<double>(kernel.x0.size());
  ReplayStatus status_at_x1 = ReplayStatus::Ok;
};

/// Checks the replayed gradient at x0 and x1 against the hand-written one. Kernel c records the
/// comparisons of its passive max, so at x1 (another max) the replay reports BranchChanged; its
/// result is still exact there because the max is only a shift, which the check confirms.
template <Kernel K>
void prepare(ReplayBench<K>& bench) {
  for (const std::vector<double>* x : {&bench.kernel.x0, &bench.kernel.x1}) {
    std::vector<double> hand(x->size());
    const double hand_value = bench.kernel.gradient(*x, hand);
    const Evaluation e = bench.function.value_and_gradient(*x, bench.grad, bench.workspace);
    const std::string where = fmt::format("kernel {} ({}), replayed", K::id, K::name);
    require_close({&e.value, 1}, {&hand_value, 1}, kGradientTolerance, where + " value");
    require_close(bench.grad, hand, kGradientTolerance, where + " gradient");
    if (x == &bench.kernel.x1) bench.status_at_x1 = e.status;
    // minimize's objective too: its first (taped) evaluations and its recording are made here, as
    // the Function's above, so that the minimize row times what each later evaluation costs.
    // Recorded inside a timed batch, the one compile (11 ms on kernel d) made minimize / replay
    // read 1.5-1.7 on kernels d, e, f.
    if (x == &bench.kernel.x0) {  // past the taped evaluations once; at x1 it replays (or records again)
      for (std::size_t k = 0; k < decltype(bench.taped)::kTapedFirst; ++k) (void)bench.taped(*x, bench.grad);
    }
    const double taped_value = bench.taped(*x, bench.grad);
    require_close({&taped_value, 1}, {&hand_value, 1}, kGradientTolerance, where + " value (minimize)");
    require_close(bench.grad, hand, kGradientTolerance, where + " gradient (minimize)");
  }
  // The Hessian-vector product against central differences of the replayed gradient along v.
  const std::vector<double>& x1 = bench.kernel.x1;
  for (std::size_t i = 0; i < bench.direction.size(); ++i) bench.direction[i] = 1.0 / static_cast<double>(i + 1);
  static_cast<void>(bench.function.hessian_vector_product(x1, bench.direction, bench.hvp, bench.workspace));
  const double h = 1e-5;
  std::vector<double> up(x1.size()), down(x1.size()), point(x1.size()), by_differences(x1.size());
  for (std::size_t i = 0; i < x1.size(); ++i) point[i] = x1[i] + h * bench.direction[i];
  static_cast<void>(bench.function.gradient(point, up, bench.workspace));
  for (std::size_t i = 0; i < x1.size(); ++i) point[i] = x1[i] - h * bench.direction[i];
  static_cast<void>(bench.function.gradient(point, down, bench.workspace));
  for (std::size_t i = 0; i < x1.size(); ++i) by_differences[i] = (up[i] - down[i]) / (2.0 * h);
  require_close(bench.hvp, by_differences, 1e-5, fmt::format("kernel {} ({}), Hessian-vector product", K::id, K::name),
                1.0);
}

template <Kernel K>
std::string row_name(std::string_view row) {
  return fmt::format("{}_{}/{}", K::id, K::name, row);
}

template <Kernel K>
void register_rows(ReplayBench<K>& bench) {
  const std::vector<double>& x1 = bench.kernel.x1;
  benchmark::RegisterBenchmark(row_name<K>("primal").c_str(), [&bench, &x1](benchmark::State& state) {
    time_chained_calls(state, x1, [&](std::span<const double> x) { return bench.kernel.evaluate(x); });
  });
  benchmark::RegisterBenchmark(row_name<K>("replay").c_str(), [&bench, &x1](benchmark::State& state) {
    time_chained_calls(state, x1, [&](std::span<const double> x) {
      const Evaluation e = bench.function.value_and_gradient(x, bench.grad, bench.workspace);
      return e.value + bench.grad[0] * 0.0;  // the next call also waits for the gradient
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("record").c_str(), [&bench, &x1](benchmark::State& state) {
    auto recording = bench.slope.record();
    time_chained_calls(state, x1, [&](std::span<const double> x) {
      const double value = bench.slope(x, bench.grad);
      return value + bench.grad[0] * 0.0;
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("minimize").c_str(), [&bench, &x1](benchmark::State& state) {
    const ObjectiveRef f(bench.taped);  // what every optimization method calls
    time_chained_calls(state, x1, [&](std::span<const double> x) {
      const double value = f(x, bench.grad);
      return value + bench.grad[0] * 0.0;
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("hvp").c_str(), [&bench, &x1](benchmark::State& state) {
    time_chained_calls(state, x1, [&](std::span<const double> x) {
      static_cast<void>(bench.function.hessian_vector_product(x, bench.direction, bench.hvp, bench.workspace));
      return bench.hvp[0] * 0.0;
    });
  });
}

std::string number(double x) { return std::isnan(x) ? "n/a" : fmt::format("{:.2f}", x); }

std::string verdict(double value, double target) {
  if (std::isnan(value)) return "n/a";
  if (value <= target) return fmt::format("yes ({:.1f}x margin)", target / value);
  return fmt::format("NO ({:.2f}x over)", value / target);
}

template <Kernel K>
void add_rows(Table& table, SummaryOut& out, const ReplayBench<K>& bench, const MedianReporter& medians) {
  const double primal = medians.median_ns(row_name<K>("primal"));
  const double replay = medians.median_ns(row_name<K>("replay"));
  const double record = medians.median_ns(row_name<K>("record"));
  const double hvp = medians.median_ns(row_name<K>("hvp"));
  const double minimize = medians.median_ns(row_name<K>("minimize"));
  const FunctionStats& s = bench.function.stats();
  table.add_row({fmt::format("{} {}", K::id, K::name), number(primal), number(replay), number(record),
                 number(replay / primal), fmt::format("{:g}", target_ratio(K::id)),
                 verdict(replay / primal, target_ratio(K::id)), number(replay / record),
                 verdict(replay / record, 1.0), number(minimize / replay), verdict(minimize / replay, kMinimizeTarget),
                 number(hvp / replay), verdict(hvp / replay, kHvpTarget),
                 fmt::format("{}, {}", s.kept, s.edges), fmt::format("{}", s.decisions),
                 bench.status_at_x1 == ReplayStatus::Ok ? "ok" : "branch changed"});
  out.add("replay", {{"kernel", std::string(K::id)},
                     {"name", std::string(K::name)},
                     {"primal_ns", primal},
                     {"replay_ns", replay},
                     {"record_ns", record},
                     {"hvp_ns", hvp},
                     {"minimize_ns", minimize},
                     {"target", target_ratio(K::id)},
                     {"instructions", static_cast<double>(s.kept)},
                     {"edges", static_cast<double>(s.edges)}});
}

template <class... K>
std::tuple<std::unique_ptr<ReplayBench<K>>...> make_benches(std::type_identity<std::tuple<K...>> /*kernels*/) {
  return {std::make_unique<ReplayBench<K>>()...};
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke", kSummaryOutFlag});
  const bool smoke = command_line.has("--smoke");
  SummaryOut summary("replay", command_line.value(kSummaryOutFlag), smoke);
  command_line.add_defaults({"--benchmark_enable_random_interleaving=true",
                             smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=200",
                             smoke ? "--benchmark_min_time=0.0002" : "--benchmark_min_time=0.003"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  auto benches = make_benches(std::type_identity<AllKernels>{});
  try {
    std::apply([](auto&... bench) { (prepare(*bench), ...); }, benches);
  } catch (const GradientCheckError& error) {
    fmt::print(stderr, "gradient check FAILED: {}\n", error.what());
    return 1;
  }
  fmt::print("gradient checks passed: replayed gradients of kernels a-g agree with the hand-written ones within {:g} "
             "at x0 and x1\n\n",
             kGradientTolerance);

  std::apply([](auto&... bench) { (register_rows(*bench), ...); }, benches);
  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  Table table({"kernel", "primal ns", "replay ns", "record ns", "replay/primal", "target", "met", "replay/record",
               "<= 1", "minimize/replay", "<= 1.1", "hvp/replay", "<= 4", "instructions, edges", "decisions", "at x1"});
  std::apply([&](auto&... bench) { (add_rows(table, summary, *bench, reporter), ...); }, benches);
  fmt::print("\n{}replay: a Function recorded once at x0, value and gradient at x1 (forward replay + reverse sweep);\n"
             "record: Slope's tape recorded and swept at x1; minimize: one evaluation of slope::minimize(lambda)'s\n"
             "objective at x1; hvp: one Hessian-vector product at x1. Median CPU time\n"
             "per call over {} interleaved repetitions per row.\n{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "", reporter.repetitions(row_name<Sum>("primal")),
             table.str());
  return summary.write() ? 0 : 1;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
