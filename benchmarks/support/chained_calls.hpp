#pragma once
/// \file
/// Timing one evaluation's latency, as an optimizer loop sees it.

#include <benchmark/benchmark.h>

#include <span>
#include <vector>

namespace slope::bench {

/// Times `call(x)` at x0 as a chain: each call's x[0] is x0[0] + previous·0, where `previous`
/// (the last call's result) crosses an optimization barrier. A call therefore cannot start
/// before the previous one finished, which times one evaluation's latency as in an optimizer
/// loop, and no call can be optimized away. A gradient's `call` should fold a gradient entry
/// into its result (value + grad[0]·0) so that the next call also waits for the gradient.
template <class Call>
void time_chained_calls(benchmark::State& state, const std::vector<double>& x0, Call call) {
  std::vector<double> x = x0;
  double previous = 0.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(previous);
    x[0] = x0[0] + previous * 0.0;
    previous = call(std::span<const double>(x));
  }
  benchmark::DoNotOptimize(previous);
}

}  // namespace slope::bench
