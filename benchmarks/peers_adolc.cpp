// slope_bench_adolc: the gradient cost of kernels a-g with ADOL-C next to Slope's, in one run.
//
// Per kernel five rows, repetitions interleaved at random: the primal, the hand-written
// gradient, Slope's gradient (as in slope_bench_gradient_cost), ADOL-C tracing at every call
// ("trace") and ADOL-C replaying a tape recorded once at x0 ("replay", timed at x1, the
// specification's replay rows). Every gradient is checked against the hand-written one before
// anything is timed. The summary divides medians from this run; ours/peer ratios therefore
// come from one process. `--smoke` runs briefly (for CTest); `--summary_out=FILE` writes the
// summary as JSON; any --benchmark_* flag replaces the corresponding default.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/autodiff.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "kernels/kernels.hpp"
#include "support/adolc_gradient.hpp"
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

/// Each kernel gets two ADOL-C tapes: its index + these bases.
constexpr short kTraceTagBase = 10;
constexpr short kReplayTagBase = 30;

template <Kernel K>
struct AdolcBench {
  K kernel;
  SlopeGradient<K> slope{kernel};
  AdolcGradient<K> adolc;
  std::vector<double> grad = std::vector<double>(kernel.x0.size());
  std::size_t operations = 0;
  AdolcTapeStats stats;
  std::size_t replay_retapes = 0;  // replays in the checks that had to record a new tape

  explicit AdolcBench(short index) : adolc(kernel, kTraceTagBase + index, kReplayTagBase + index) {}
};

/// Checks ADOL-C's traced gradient at x0, x1 and x0 again, and the replayed one (taped at x0) at
/// x1 and x0, against the hand-written gradient; throws GradientCheckError.
template <Kernel K>
void check_adolc(AdolcBench<K>& bench) {
  const K& kernel = bench.kernel;
  bench.adolc.tape_for_replay(kernel.x0);
  const auto check = [&](std::string_view form, const std::vector<double>& x, std::string_view point, auto call) {
    const std::string where = fmt::format("kernel {} ({}), ADOL-C {} at {}", K::id, K::name, form, point);
    std::vector<double> hand(x.size());
    const double want = kernel.gradient(x, hand);
    std::vector<double> got(x.size(), std::numeric_limits<double>::quiet_NaN());
    const double value = call(std::span<const double>(x), std::span<double>(got));
    require_close({&value, 1}, {&want, 1}, kGradientTolerance, where + " value");
    require_close(got, hand, kGradientTolerance, where + " gradient");
  };
  const auto trace = [&](auto x, auto g) { return bench.adolc.trace(x, g); };
  const auto replay = [&](auto x, auto g) { return bench.adolc.replay(x, g); };
  check("trace", kernel.x0, "x0", trace);
  check("trace", kernel.x1, "x1", trace);
  check("trace", kernel.x0, "x0 (again)", trace);
  check("replay", kernel.x0, "x0", replay);
  check("replay", kernel.x1, "x1", replay);
  bench.replay_retapes = bench.adolc.retapes();
}

/// Checks every gradient, then measures (untimed) the primal's operations and ADOL-C's tape.
template <Kernel K>
void prepare(AdolcBench<K>& bench) {
  check_gradients(bench.kernel, bench.slope);
  check_adolc(bench);
  bench.adolc.trace(bench.kernel.x0, bench.grad);
  bench.stats = bench.adolc.trace_stats();
  bench.operations = count_operations(bench.kernel, bench.kernel.x0);
}

template <Kernel K>
std::string row_name(std::string_view row) {
  return fmt::format("{}_{}/{}", K::id, K::name, row);
}

/// Registers the kernel's rows. `bench` must outlive the run (the rows keep its address).
template <Kernel K>
void register_rows(AdolcBench<K>& bench) {
  AdolcBench<K>* b = &bench;
  benchmark::RegisterBenchmark(row_name<K>("primal").c_str(), [b](benchmark::State& state) {
    time_chained_calls(state, b->kernel.x0, [b](std::span<const double> x) { return b->kernel.evaluate(x); });
  });
  benchmark::RegisterBenchmark(row_name<K>("hand").c_str(), [b](benchmark::State& state) {
    time_chained_calls(state, b->kernel.x0, [b](std::span<const double> x) {
      return b->kernel.gradient(x, b->grad) + b->grad[0] * 0.0;  // the next call waits for the gradient
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("slope").c_str(), [b](benchmark::State& state) {
    auto recording = b->slope.record();
    time_chained_calls(state, b->kernel.x0, [b](std::span<const double> x) {
      return b->slope(x, b->grad) + b->grad[0] * 0.0;
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("adolc_trace").c_str(), [b](benchmark::State& state) {
    time_chained_calls(state, b->kernel.x0, [b](std::span<const double> x) {
      return b->adolc.trace(x, b->grad) + b->grad[0] * 0.0;
    });
  });
  benchmark::RegisterBenchmark(row_name<K>("adolc_replay").c_str(), [b](benchmark::State& state) {
    time_chained_calls(state, b->kernel.x1, [b](std::span<const double> x) {
      return b->adolc.replay(x, b->grad) + b->grad[0] * 0.0;
    });
  });
}

std::string number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.2f}", v); }

template <Kernel K>
void add_rows(Table& table, SummaryOut& summary, const AdolcBench<K>& bench, const MedianReporter& medians) {
  const auto median = [&](std::string_view row) { return medians.median_ns(row_name<K>(row)); };
  const double primal = median("primal"), slope = median("slope"), trace = median("adolc_trace"),
               replay = median("adolc_replay");
  const auto per_op = [&](std::size_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(bench.operations);
  };
  table.add_row({fmt::format("{} {}", K::id, K::name), number(primal), number(slope), number(trace), number(replay),
                 number(slope / primal), number(trace / primal), number(replay / primal), number(slope / trace),
                 number(slope / replay), number(per_op(bench.stats.trace_bytes())), number(per_op(bench.stats.bytes())),
                 fmt::format("{}{}", bench.replay_retapes, bench.stats.file_access ? " (disk!)" : "")});
  const auto count = [](std::size_t n) { return static_cast<double>(n); };
  summary.add("kernels", {{"kernel", std::string(K::id)},
                          {"name", std::string(K::name)},
                          {"primal_ns", primal},
                          {"hand_ns", median("hand")},
                          {"slope_ns", slope},
                          {"adolc_trace_ns", trace},
                          {"adolc_replay_ns", replay},
                          {"primal_ops", count(bench.operations)},
                          {"adolc_operations", count(bench.stats.operations)},
                          {"adolc_locations", count(bench.stats.locations)},
                          {"adolc_values", count(bench.stats.values)},
                          {"adolc_taylors", count(bench.stats.taylors)},
                          {"adolc_trace_bytes", count(bench.stats.trace_bytes())},
                          {"adolc_bytes", count(bench.stats.bytes())},
                          {"adolc_file_access", bench.stats.file_access},
                          {"replay_retapes", static_cast<double>(bench.replay_retapes)},
                          {"repetitions", count(medians.repetitions(row_name<K>("slope")))},
                          {"cv_adolc_trace", medians.cv(row_name<K>("adolc_trace"))},
                          {"cv_adolc_replay", medians.cv(row_name<K>("adolc_replay"))}});
}

/// One AdolcBench per kernel, each at a stable address and with its own tape tags.
template <class... K, std::size_t... I>
std::tuple<std::unique_ptr<AdolcBench<K>>...> make_benches(std::type_identity<std::tuple<K...>> /*kernels*/,
                                                          std::index_sequence<I...> /*indices*/) {
  return {std::make_unique<AdolcBench<K>>(static_cast<short>(I))...};
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke", kSummaryOutFlag});
  const bool smoke = command_line.has("--smoke");
  SummaryOut summary("adolc", command_line.value(kSummaryOutFlag), smoke);
  // As slope_bench_gradient_cost: 200 interleaved batches of >= 2 ms per row.
  command_line.add_defaults({"--benchmark_enable_random_interleaving=true",
                             smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=200",
                             smoke ? "--benchmark_min_time=0.0002" : "--benchmark_min_time=0.003"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  auto benches = make_benches(std::type_identity<AllKernels>{}, std::make_index_sequence<std::tuple_size_v<AllKernels>>{});
  try {
    std::apply([](auto&... bench) { (prepare(*bench), ...); }, benches);
  } catch (const GradientCheckError& error) {
    fmt::print(stderr, "gradient check FAILED: {}\n", error.what());
    return 1;
  }
  fmt::print("gradient checks passed: Slope, ADOL-C traced and ADOL-C replayed gradients of kernels a-g agree with\n"
             "the hand-written ones within {:g}\n\n",
             kGradientTolerance);

  std::apply([](auto&... bench) { (register_rows(*bench), ...); }, benches);
  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  Table table({"kernel", "primal ns", "Slope ns", "trace ns", "replay ns", "Slope/primal", "trace/primal",
               "replay/primal", "Slope/trace", "Slope/replay", "ADOL-C B/op", "+taylors", "retapes"});
  std::apply([&](const auto&... bench) { (add_rows(table, summary, *bench, reporter), ...); }, benches);
  fmt::print("\n{}ADOL-C: median CPU time per call over {} interleaved repetitions per row; trace = trace_on/adouble/\n"
             "trace_off + fos_reverse at each call, replay = the tape of x0 at x1 (zos_forward + fos_reverse);\n"
             "B/op = ADOL-C tape bytes per primal operation (+taylors: with the values kept for the sweep);\n"
             "retapes: replays in the checks (x0, then x1) that met a changed comparison and recorded anew\n{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "", reporter.repetitions(row_name<Sum>("primal")),
             table.str());
  return summary.write() ? 0 : 1;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
