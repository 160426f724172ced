// slope_bench_gradient_cost: the cost of one gradient relative to one evaluation of the function,
// on the seven fixed benchmark kernels a-g.
//
// Per kernel there are four rows: the primal (the kernel with double), Slope's gradient on a tape
// kept across calls ("slope"), Slope's gradient through value_and_gradient(f, x, grad) ("slope_vg",
// the convenience call users make) and the hand-written gradient. Every gradient is checked before anything is timed. Google Benchmark
// runs the rows' repetitions in random interleaved order, and the summary table at the end
// divides medians from that same run. With no arguments the binary uses the timing method of
// the benchmark specification; `--smoke` runs it briefly (for CTest); any --benchmark_* flag
// replaces the corresponding default.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/autodiff.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/kernels.hpp"
#include "kernels/log_sum_exp_active_max.hpp"
#include "support/allocation_counter.hpp"
#include "support/chained_calls.hpp"
#include "support/default_flags.hpp"
#include "support/gradient_check.hpp"
#include "support/median_reporter.hpp"
#include "support/op_counter.hpp"
#include "support/slope_gradient.hpp"
#include "support/summary_out.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

/// The targets for gradient time / primal time, by kernel id.
double target_ratio(std::string_view id) {
  if (id == "a") return 10.8;
  if (id == "b") return 6.8;
  if (id == "c" || id == "c2") return 2.17;
  if (id == "d") return 77.0;
  if (id == "e") return 4.38;
  if (id == "f") return 5.48;
  if (id == "g") return 27.7;
  return std::nan("");
}

/// The target for tape memory, bytes per elementary operation of the primal, and the
/// kernel it is measured on.
constexpr double kTapeBytesTarget = 12.0;
constexpr std::string_view kTapeBytesKernel = "f";

/// Calls of a warm evaluator over which allocations are counted.
constexpr std::size_t kAllocationProbeCalls = 10;

/// One kernel's benchmark state: the kernel, Slope's evaluator (tape kept across all calls),
/// the gradient buffer, and what the untimed preparation measured.
template <Kernel K>
struct KernelBench {
  K kernel;
  SlopeGradient<K> slope{kernel};
  std::vector<double> grad = std::vector<double>(kernel.x0.size());
  slope::TapeStats stats;
  std::size_t operations = 0;
  std::size_t allocations = 0;  // over kAllocationProbeCalls warm calls
};

/// Checks every gradient of the kernel (throws GradientCheckError), then measures, untimed: the
/// tape after one recording, the allocations of warm calls and the primal's operation count.
template <Kernel K>
void prepare(KernelBench<K>& bench) {
  check_gradients(bench.kernel, bench.slope);
  auto recording = bench.slope.record();
  bench.slope(bench.kernel.x0, bench.grad);  // the tape grows to full size here
  bench.stats = bench.slope.tape().stats();
  const std::size_t before = allocation_count();
  for (std::size_t i = 0; i < kAllocationProbeCalls; ++i) bench.slope(bench.kernel.x0, bench.grad);
  bench.allocations = allocation_count() - before;
  bench.operations = count_operations(bench.kernel, bench.kernel.x0);
}

/// The benchmark names of a kernel's rows.
template <Kernel K>
std::string row_name(std::string_view row) {
  return fmt::format("{}_{}/{}", K::id, K::name, row);
}

/// Registers the kernel's primal, Slope and hand-written rows. `bench` must outlive the run.
template <Kernel K>
void register_rows(KernelBench<K>& bench) {
  benchmark::RegisterBenchmark(row_name<K>("primal").c_str(), [&bench](benchmark::State& state) {
    time_chained_calls(state, bench.kernel.x0, [&](std::span<const double> x) { return bench.kernel.evaluate(x); });
  });
  benchmark::RegisterBenchmark(row_name<K>("slope").c_str(), [&bench](benchmark::State& state) {
    auto recording = bench.slope.record();
    time_chained_calls(state, bench.kernel.x0, [&](std::span<const double> x) {
      const double value = bench.slope(x, bench.grad);
      return value + bench.grad[0] * 0.0;  // the next call also waits for the gradient
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("slope_vg").c_str(), [&bench](benchmark::State& state) {
    const auto f = [&bench](std::span<const slope::Var> xs) { return bench.kernel.evaluate(xs); };
    time_chained_calls(state, bench.kernel.x0, [&](std::span<const double> x) {
      const double value = slope::value_and_gradient(f, x, std::span<double>(bench.grad));
      return value + bench.grad[0] * 0.0;
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("hand").c_str(), [&bench](benchmark::State& state) {
    time_chained_calls(state, bench.kernel.x0, [&](std::span<const double> x) {
      const double value = bench.kernel.gradient(x, bench.grad);
      return value + bench.grad[0] * 0.0;
    });
  });
}

std::string ratio_text(double ratio) { return std::isnan(ratio) ? "n/a" : fmt::format("{:.2f}", ratio); }

/// "yes (1.8x margin)" or "NO (1.3x over)": how the ratio compares with its target.
std::string verdict(double value, double target) {
  if (std::isnan(value)) return "n/a";
  if (value <= target) return fmt::format("yes ({:.1f}x margin)", target / value);
  return fmt::format("NO ({:.2f}x over)", value / target);
}

/// Appends the kernel's summary row: medians from the run, ratios, tape size and allocations.
template <Kernel K>
void add_summary_row(Table& table, const KernelBench<K>& bench, const MedianReporter& medians) {
  const double primal = medians.median_ns(row_name<K>("primal"));
  const double taped = medians.median_ns(row_name<K>("slope"));
  const double hand = medians.median_ns(row_name<K>("hand"));
  const double convenient = medians.median_ns(row_name<K>("slope_vg"));
  const double ratio = taped / primal;
  const double bytes_per_op = static_cast<double>(bench.stats.bytes) / static_cast<double>(bench.operations);
  table.add_row({fmt::format("{} {}", K::id, K::name), ratio_text(primal), ratio_text(taped), ratio_text(hand),
                 ratio_text(ratio), fmt::format("{:g}", target_ratio(K::id)), verdict(ratio, target_ratio(K::id)),
                 ratio_text(convenient / primal), verdict(convenient / primal, target_ratio(K::id)),
                 ratio_text(taped / hand), fmt::format("{}", bench.operations), fmt::format("{:.2f}", bytes_per_op),
                 fmt::format("{}, {}", bench.stats.nodes, bench.stats.edges),
                 fmt::format("{:g}", static_cast<double>(bench.allocations) / kAllocationProbeCalls),
                 fmt::format("{:.0f}/{:.0f}/{:.0f}%", 100.0 * medians.cv(row_name<K>("primal")),
                             100.0 * medians.cv(row_name<K>("slope")), 100.0 * medians.cv(row_name<K>("hand")))});
}

/// Appends the kernel's row to the machine-readable summary: the same figures, unformatted.
template <Kernel K>
void add_summary_out(SummaryOut& out, const KernelBench<K>& bench, const MedianReporter& medians) {
  const auto count = [](std::size_t n) { return static_cast<double>(n); };
  out.add("kernels", {{"kernel", std::string(K::id)},
                      {"name", std::string(K::name)},
                      {"primal_ns", medians.median_ns(row_name<K>("primal"))},
                      {"slope_ns", medians.median_ns(row_name<K>("slope"))},
                      {"hand_ns", medians.median_ns(row_name<K>("hand"))},
                      {"slope_vg_ns", medians.median_ns(row_name<K>("slope_vg"))},
                      {"target", target_ratio(K::id)},
                      {"primal_ops", count(bench.operations)},
                      {"tape_bytes", count(bench.stats.bytes)},
                      {"nodes", count(bench.stats.nodes)},
                      {"edges", count(bench.stats.edges)},
                      {"allocations_per_call", count(bench.allocations) / kAllocationProbeCalls},
                      {"repetitions", count(medians.repetitions(row_name<K>("slope")))},
                      {"cv_primal", medians.cv(row_name<K>("primal"))},
                      {"cv_slope", medians.cv(row_name<K>("slope"))},
                      {"cv_hand", medians.cv(row_name<K>("hand"))}});
}

/// Prints the memory target's line for the kernel it is measured on.
template <Kernel K>
void print_memory_target(const KernelBench<K>& bench) {
  if (K::id != kTapeBytesKernel) return;
  const double bytes_per_op = static_cast<double>(bench.stats.bytes) / static_cast<double>(bench.operations);
  fmt::print("tape memory, kernel {} ({}): {} bytes for {} elementary operations = {:.2f} bytes/op; target <= {:g}: {}\n",
             K::id, K::name, bench.stats.bytes, bench.operations, bytes_per_op, kTapeBytesTarget,
             verdict(bytes_per_op, kTapeBytesTarget));
}

/// One KernelBench per kernel of the tuple type, each at a stable address (benchmarks keep
/// references to them).
template <class... K>
std::tuple<std::unique_ptr<KernelBench<K>>...> make_benches(std::type_identity<std::tuple<K...>> /*kernels*/) {
  return {std::make_unique<KernelBench<K>>()...};
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke", kSummaryOutFlag});
  const bool smoke = command_line.has("--smoke");
  SummaryOut summary("gradient_cost", command_line.value(kSummaryOutFlag), smoke);
  // Each repetition is one batch of calls of at least min_time CPU seconds (3 ms, so each batch
  // is >= 2 ms), 200 batches per row, rows interleaved at random: medians are taken over 200
  // primal/gradient batch pairs per kernel.
  command_line.add_defaults({"--benchmark_enable_random_interleaving=true",
                             smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=200",
                             smoke ? "--benchmark_min_time=0.0002" : "--benchmark_min_time=0.003"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  // Kernel c2 is kernel c with the max taken by active comparisons, as the peers' figures were.
  using Kernels = decltype(std::tuple_cat(std::declval<AllKernels>(), std::declval<std::tuple<LogSumExpActiveMax>>()));
  auto benches = make_benches(std::type_identity<Kernels>{});
  try {
    std::apply([](auto&... bench) { (prepare(*bench), ...); }, benches);
  } catch (const GradientCheckError& error) {
    fmt::print(stderr, "gradient check FAILED: {}\n", error.what());
    return 1;
  }
  fmt::print("gradient checks passed: Slope and hand-written gradients of kernels a-g, c2 agree within {:g} at x0 and x1\n\n",
             kGradientTolerance);

  std::apply([](auto&... bench) { (register_rows(*bench), ...); }, benches);
  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  Table table({"kernel", "primal ns", "Slope ns", "hand ns", "Slope/primal", "target", "met", "vg/primal", "vg met",
               "Slope/hand",
               "primal ops", "tape B/op", "nodes, edges", "allocs/call", "cv P/S/H"});
  std::apply([&](auto&... bench) { (add_summary_row(table, *bench, reporter), ...); }, benches);
  fmt::print("\n{}gradient cost: median CPU time per call over {} interleaved repetitions per row{}; cv = spread of\n"
             "the repetitions (primal/Slope/hand-written)\n{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "", reporter.repetitions(row_name<Sum>("primal")),
             smoke ? "" : " (each a batch of >= 2 ms)", table.str());
  std::apply([](const auto&... bench) { (print_memory_target(*bench), ...); }, benches);
  std::apply([&](const auto&... bench) { (add_summary_out(summary, *bench, reporter), ...); }, benches);
  summary.add("memory_target", {{"kernel", std::string(kTapeBytesKernel)}, {"bytes_per_op_target", kTapeBytesTarget}});
  return summary.write() ? 0 : 1;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
