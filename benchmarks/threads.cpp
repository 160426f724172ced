// slope_bench_threads: parallel_sum_gradient on the logistic regression of 100,000 × 50
// (kernel L of vector_nodes.cpp), the log-likelihood split into contiguous row shards, each
// recorded with vector nodes (or scalar operations) on its worker's tape. Rows: 1 and 2 threads
// on a persistent GradientPool, the same with each shard recorded and swept in pieces of 1024
// rows (`grain`: a piece's 400 KB of X is still in cache for its sweep), 2 threads with a pool
// made per call (spawning threads), and the single-threaded hand-written gradients. Every
// gradient is checked first. `--smoke` runs briefly.
//
// Formulas: the vector-node shards (vector_*, grain_*) record Σ y z − softplus(z), how the
// model is written with vector operations (the kernel's y log s + (1 − y) log(1 − s) has no short
// vector form); the scalar shards record the kernel's formula. So each row's "/ hand" divides by
// the hand-written gradient of its own formula: hand_softplus for the vector nodes, hand (the
// kernel's) for the scalar operations. scalar / vector rows compare formulas as well as tapes.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/autodiff.hpp>
#include <slope/autodiff/parallel.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "kernels/large_logistic_regression.hpp"
#include "support/chained_calls.hpp"
#include "support/default_flags.hpp"
#include "support/gradient_check.hpp"
#include "support/median_reporter.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

using K = LargeLogisticRegression;
using Gradient = std::function<double(std::span<const double>, std::span<double>)>;

/// The target: 2 threads at least 1.7 times as fast as 1.
constexpr double kSpeedupTarget = 1.7;

/// Terms of rows [begin, end) with vector nodes, Σ y_i z_i − softplus(z_i) (the formula of the
/// kernel's gradient_softplus, not of its evaluate); buffers are per thread and only grow.
slope::Var vector_terms(const K& k, std::span<const slope::Var> x, std::size_t begin, std::size_t end) {
  thread_local std::vector<slope::Var> z;
  thread_local std::vector<slope::Var> p;
  const std::size_t n = end - begin;
  if (z.size() < n) {
    z.resize(n);
    p.resize(n);
  }
  const std::span<slope::Var> zs(z.data(), n);
  const std::span<slope::Var> ps(p.data(), n);
  slope::matvec(slope::ConstMatrixView(k.X.data() + begin * K::features, n, K::features), x.first(K::features), zs);
  slope::add(zs, x[K::features], zs);
  slope::softplus(zs, ps);
  return slope::dot(zs, std::span<const double>(k.y).subspan(begin, n)) - slope::sum(ps);
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke"});
  const bool smoke = command_line.has("--smoke");
  command_line.add_defaults({"--benchmark_enable_random_interleaving=true",
                             smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=20",
                             smoke ? "--benchmark_min_time=0.001" : "--benchmark_min_time=0.05"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  const K kernel;
  const auto vector_shard = [&kernel](std::span<const slope::Var> x, std::size_t b, std::size_t e) {
    return vector_terms(kernel, x, b, e);
  };
  const auto scalar_shard = [&kernel](std::span<const slope::Var> x, std::size_t b, std::size_t e) {
    return kernel.evaluate(x, b, e);
  };
  slope::GradientPool one(1);
  slope::GradientPool two(2);
  slope::GradientPool* pool_one = &one;
  slope::GradientPool* pool_two = &two;
  // Built from a list: GCC 12 warns falsely (-Warray-bounds) on emplace_back of these pairs.
  std::vector<std::pair<std::string, Gradient>> rows{
      {"hand", [&kernel](std::span<const double> x, std::span<double> g) { return kernel.gradient(x, g); }},
      {"hand_softplus",
       [&kernel](std::span<const double> x, std::span<double> g) { return kernel.gradient_softplus(x, g); }},
      {"vector_1_thread",
       [=](std::span<const double> x, std::span<double> g) {
         return slope::parallel_sum_gradient(*pool_one, K::observations, x, g, vector_shard);
       }},
      {"vector_2_threads",
       [=](std::span<const double> x, std::span<double> g) {
         return slope::parallel_sum_gradient(*pool_two, K::observations, x, g, vector_shard);
       }},
      {"grain_1_thread",
       [=](std::span<const double> x, std::span<double> g) {
         return slope::parallel_sum_gradient(*pool_one, K::observations, x, g, vector_shard, 1024);
       }},
      {"grain_2_threads",
       [=](std::span<const double> x, std::span<double> g) {
         return slope::parallel_sum_gradient(*pool_two, K::observations, x, g, vector_shard, 1024);
       }},
      {"vector_2_threads_spawned",
       [=](std::span<const double> x, std::span<double> g) {
         slope::GradientPool pool(2);  // threads started and joined within the call
         return slope::parallel_sum_gradient(pool, K::observations, x, g, vector_shard);
       }},
      {"scalar_1_thread",
       [=](std::span<const double> x, std::span<double> g) {
         return slope::parallel_sum_gradient(*pool_one, K::observations, x, g, scalar_shard);
       }},
      {"scalar_2_threads",
       [=](std::span<const double> x, std::span<double> g) {
         return slope::parallel_sum_gradient(*pool_two, K::observations, x, g, scalar_shard);
       }},
  };

  try {
    for (const auto* x : {&kernel.x0, &kernel.x1}) {
      std::vector<double> hand(x->size());
      kernel.gradient(*x, hand);
      for (auto& [name, gradient] : rows) {
        std::vector<double> g(x->size(), std::nan(""));
        gradient(*x, g);
        require_close(g, hand, kGradientTolerance, name + " gradient", 1e-6);
      }
    }
  } catch (const GradientCheckError& error) {
    fmt::print(stderr, "gradient check FAILED: {}\n", error.what());
    return 1;
  }
  fmt::print("gradient checks passed: every row agrees with the hand-written gradient within {:g}\n\n", kGradientTolerance);

  for (auto& [name, gradient] : rows) {
    Gradient* g = &gradient;
    benchmark::RegisterBenchmark(name.c_str(), [&kernel, g](benchmark::State& state) {
      std::vector<double> grad(kernel.x0.size());
      time_chained_calls(state, kernel.x0, [&](std::span<const double> x) { return (*g)(x, grad) + grad[0] * 0.0; });
    })->Unit(benchmark::kMillisecond)->UseRealTime();  // wall time: the work is on several threads
  }
  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // UseRealTime appends "/real_time" to the names the reporter sees.
  const auto median = [&](const std::string& name) { return reporter.median_ns(name + "/real_time"); };
  Table table({"row", "formula", "median ms (wall)", "/ hand", "speedup vs 1 thread", "cv"});
  for (const auto& [name, gradient] : rows) {
    const double ns = median(name);
    // Each kind (scalar, grain, vector) against its own single-threaded row; "/ hand" against
    // the hand-written gradient of the row's formula.
    const std::string kind = name.starts_with("scalar") ? "scalar" : name.starts_with("grain") ? "grain" : "vector";
    const bool hand = name.starts_with("hand");
    const bool softplus = hand ? name == "hand_softplus" : kind != "scalar";
    const double single = median(kind + "_1_thread");
    table.add_row({name, softplus ? "y z - softplus(z)" : "y log s + (1-y) log(1-s)", fmt::format("{:.2f}", ns * 1e-6),
                   fmt::format("{:.2f}", ns / median(softplus ? "hand_softplus" : "hand")),
                   hand ? "" : fmt::format("{:.2f}", single / ns),
                   fmt::format("{:.1f}%", 100.0 * reporter.cv(name + "/real_time"))});
  }
  const double speedup = median("vector_1_thread") / median("vector_2_threads");
  fmt::print("\n{}parallel_sum_gradient, logistic regression {} x {}, {} hardware threads\n{}"
             "2 threads vs 1 (vector nodes, persistent pool): {:.2f}x; target >= {:g}: {}\n",
             smoke ? "SMOKE RUN, timings meaningless. " : "", K::observations, K::features,
             std::thread::hardware_concurrency(), table.str(), speedup, kSpeedupTarget,
             speedup >= kSpeedupTarget ? "yes" : "NO");
  return 0;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
