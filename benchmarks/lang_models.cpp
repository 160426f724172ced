// slope_bench_lang: what the .slope front end costs. The logistic log-likelihood of kernel f
// (2000 rows x 20 features, BENCH_KERNELS.md) written as a .slope model two ways, vectorized
// (`X * w + b`) and as an index sum over rows (`sum(i in 1:n, ... dot(X[i], w) ...)`), against
// the same gradient written by hand in C++. Each row times one value-and-gradient evaluation
// through Model::value_and_gradient, i.e. what every optimizer iteration pays. Also the time to
// parse and check the model. Before timing, both models' gradients are checked against the
// hand-written one. `--smoke` runs a small data set briefly.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/lang/model.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/default_flags.hpp"
#include "support/median_reporter.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

// Both models compute what hand_gradient computes, one log_sigmoid per row: log s(-z) is
// written log s(z) - z, as the hand-written code does, so that each ratio divides the same
// formula by the same formula. The index sum repeats `log_sigmoid(dot(X[i], w) + b)`: the replay
// computes it once (common subexpressions), as the hand-written code keeps it in a variable.
constexpr const char* kVectorized = R"(data X[n, d]
data y[n]
param w[d] = 0.1
param b = -0.2
let z = X * w + b
let log_s = log_sigmoid(z)
maximize sum(y .* log_s + (1 - y) .* (log_s - z))
)";

constexpr const char* kIndexSum = R"(data X[n, d]
data y[n]
param w[d] = 0.1
param b = -0.2
maximize sum(i in 1:n, y[i] * log_sigmoid(dot(X[i], w) + b) + (1 - y[i]) * (log_sigmoid(dot(X[i], w) + b) - (dot(X[i], w) + b)))
)";

struct Data {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> x;  // row-major
  std::vector<double> y;
};

Data make_data(std::size_t rows, std::size_t cols) {
  Data data{rows, cols, std::vector<double>(rows * cols), std::vector<double>(rows)};
  std::mt19937_64 random(2024);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (double& v : data.x) v = normal(random);
  for (double& v : data.y) v = normal(random) > 0.0 ? 1.0 : 0.0;
  return data;
}

/// The log-likelihood and its gradient (w then b), by hand.
double hand_gradient(const Data& data, std::span<const double> theta, std::span<double> grad) {
  const std::span<const double> w = theta.first(data.cols);
  const double b = theta[data.cols];
  std::fill(grad.begin(), grad.end(), 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < data.rows; ++i) {
    const double* row = &data.x[i * data.cols];
    double z = b;
    for (std::size_t j = 0; j < data.cols; ++j) z += row[j] * w[j];
    // log_sigmoid(z) = -log1p(e^-z); d/dz [y log s(z) + (1-y) log s(-z)] = y - s(z)
    const double log_s = z >= 0.0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z));
    const double log_s_neg = log_s - z;
    total += data.y[i] * log_s + (1.0 - data.y[i]) * log_s_neg;
    const double s = 1.0 / (1.0 + std::exp(-z));
    const double r = data.y[i] - s;
    for (std::size_t j = 0; j < data.cols; ++j) grad[j] += r * row[j];
    grad[data.cols] += r;
  }
  return total;
}

lang::Model make_model(const char* source, const Data& data) {
  lang::Model model = lang::Model::parse(source, "bench.slope");
  model.bind_data("X", lang::Matrix::from_row_major(data.x, data.rows, data.cols, "X"));
  model.bind_data("y", lang::Matrix::from_vector(data.y, "y"));
  model.check();
  return model;
}

/// Throws unless the model's value and gradient match the hand-written ones at theta.
void check_against_hand(const lang::Model& model, const Data& data, std::span<const double> theta,
                        const char* form) {
  std::vector<double> grad(theta.size()), hand(theta.size());
  const double value = model.value_and_gradient(theta, grad);
  const double expected = hand_gradient(data, theta, hand);
  double worst = std::fabs(value - expected) / std::max(1.0, std::fabs(expected));
  for (std::size_t i = 0; i < grad.size(); ++i) {
    worst = std::max(worst, std::fabs(grad[i] - hand[i]) / std::max(1.0, std::fabs(hand[i])));
  }
  if (!(worst <= 1e-10)) {
    throw std::runtime_error(fmt::format("the {} model's gradient differs from the hand-written one by {:.3g}", form, worst));
  }
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke"});
  const bool smoke = command_line.has("--smoke");
  command_line.add_defaults({smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=15",
                             smoke ? "--benchmark_min_time=0.001" : "--benchmark_min_time=0.05",
                             "--benchmark_enable_random_interleaving=true"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  const Data data = smoke ? make_data(50, 5) : make_data(2000, 20);
  std::vector<double> theta(data.cols + 1);
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(-0.5, 0.5);
  for (double& t : theta) t = uniform(random);

  const lang::Model vectorized = make_model(kVectorized, data);
  const lang::Model index_sum = make_model(kIndexSum, data);
  try {
    check_against_hand(vectorized, data, theta, "vectorized");
    check_against_hand(index_sum, data, theta, "index-sum");
  } catch (const std::exception& error) {
    fmt::print(stderr, "check FAILED: {}\n", error.what());
    return 1;
  }

  std::vector<double> grad(theta.size());
  benchmark::RegisterBenchmark("hand", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(hand_gradient(data, theta, grad));
  });
  benchmark::RegisterBenchmark("vectorized", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(vectorized.value_and_gradient(theta, grad));
  });
  benchmark::RegisterBenchmark("index_sum", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(index_sum.value_and_gradient(theta, grad));
  });
  benchmark::RegisterBenchmark("parse_and_check", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(make_model(kIndexSum, data).parameter_count());
  });

  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const double hand = reporter.median_ns("hand");
  const double vector_ns = reporter.median_ns("vectorized");
  const double index_ns = reporter.median_ns("index_sum");
  Table summary({"form", "median us", "/ hand-written", "/ vectorized"});
  summary.add_row({"hand-written C++", fmt::format("{:.1f}", hand * 1e-3), "1.00", fmt::format("{:.2f}", hand / vector_ns)});
  summary.add_row({"vectorized .slope", fmt::format("{:.1f}", vector_ns * 1e-3), fmt::format("{:.2f}", vector_ns / hand),
                   "1.00"});
  summary.add_row({"index-sum .slope", fmt::format("{:.1f}", index_ns * 1e-3), fmt::format("{:.2f}", index_ns / hand),
                   fmt::format("{:.2f}", index_ns / vector_ns)});
  fmt::print("\n{}language front end: logistic log-likelihood, {} rows x {} features, value and gradient per call "
             "(median of interleaved repetitions); parse + check + bind: {:.1f} us\n{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "", data.rows, data.cols,
             reporter.median_ns("parse_and_check") * 1e-3, summary.str());
  return 0;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
