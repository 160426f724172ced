/// \file
/// The C++ side of benchmarks/python/bench.py: slope::lang::Model::value_and_gradient per call on
/// the model given as text on stdin, at the point given as arguments (after --repeat N).
///
///     slope_python_bench_model_call --calls 1000000 --repeat 5 1.5 0.5 -0.5 < model.slope
///
/// prints the best of the repeats in nanoseconds of CPU time per call (as bench.py times Python),
/// and the value (to check against Python).

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "slope/lang/model.hpp"

namespace {

/// This process's CPU time in nanoseconds: unlike the wall clock, not stretched by other
/// processes sharing the cores.
double cpu_nanoseconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t calls = 1000000;
  int repeat = 5;
  std::vector<double> theta;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--calls" && i + 1 < argc) {
      calls = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      theta.push_back(std::strtod(argv[i], nullptr));
    }
  }
  const std::string source{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  const slope::lang::Model model = slope::lang::Model::parse(source, "bench.slope");
  if (theta.size() != model.parameter_count()) {
    fmt::print(stderr, "give {} parameter values\n", model.parameter_count());
    return 2;
  }
  std::vector<double> gradient(theta.size());
  double value = model.value_and_gradient(theta, gradient);  // records the Function once
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeat; ++r) {
    const double start = cpu_nanoseconds();
    for (std::size_t i = 0; i < calls; ++i) value = model.value_and_gradient(theta, gradient);
    best = std::min(best, (cpu_nanoseconds() - start) / static_cast<double>(calls));
  }
  fmt::print("{} {}\n", best, value);
  return 0;
}
