// slope_bench_lang: what the .slope front end costs. The logistic log-likelihood of kernel f
// (2000 rows x 20 features, BENCH_KERNELS.md) written as a .slope model two ways, vectorized
// (`X * w + b`) and as an index sum over rows (`sum(i in 1:n, ... dot(X[i], w) ...)`), against
// the same gradient written by hand in C++. Each row times one value-and-gradient evaluation
// through Model::value_and_gradient, i.e. what every optimizer iteration pays. Also the time to
// parse and check the model. Then two larger models as the examples write them, softmax
// regression (20,000 rows x 20 features, 5 classes) and a two-layer tanh network (20,000 rows x
// 10 inputs, 32 hidden units), each against its gradient written by hand and libtorch's (CPU,
// one thread, autograd on double tensors; rows present when CMake found Torch). Before timing,
// every gradient is checked against the hand-written one. `--smoke` runs small data sets briefly.
//
// Rows: hand, vectorized, index_sum, parse_and_check (logistic); softmax/{hand,slope,torch} and
// network/{hand,slope,torch}. benchmarks/report/front_end.py reads them by these names.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/lang/model.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "models/softmax_regression.hpp"
#include "models/two_layer_network.hpp"
#include "support/chained_calls.hpp"
#include "support/default_flags.hpp"
#include "support/gradient_check.hpp"
#include "support/median_reporter.hpp"
#include "support/table.hpp"

#ifdef SLOPE_BENCH_WITH_TORCH
#include "peers/torch_peer.hpp"
#endif

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

/// Returns f(theta) and writes its gradient into grad.
using GradientCall = std::function<double(std::span<const double> theta, std::span<double> grad)>;

/// One of the larger models: its .slope model, its hand-written gradient and libtorch's (empty
/// when libtorch is not built), and the points they are checked at and timed at.
struct LargerModel {
  std::string key;          // row prefix: `key`/hand, `key`/slope, `key`/torch
  std::string description;  // "softmax regression: 20000 rows x 20 features, 5 classes"
  lang::Model model;
  GradientCall hand;
  GradientCall torch;
  std::vector<double> theta0;  // the model records here (its first call)
  std::vector<double> theta;   // checked (replayed) and timed here
  std::vector<double> grad = std::vector<double>(theta.size());
};

/// Central differences of `f`'s value, step cbrt(eps)·max(1, |x_i|).
std::vector<double> finite_differences(const GradientCall& f, std::span<const double> x) {
  const double step_scale = std::cbrt(std::numeric_limits<double>::epsilon());
  std::vector<double> point(x.begin(), x.end()), scratch(x.size()), out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = step_scale * std::max(1.0, std::fabs(x[i]));
    point[i] = x[i] + h;
    const double up = f(point, scratch);
    point[i] = x[i] - h;
    const double down = f(point, scratch);
    point[i] = x[i];
    out[i] = (up - down) / (2.0 * h);
  }
  return out;
}

/// Throws GradientCheckError unless `problem`'s hand-written gradient matches central
/// differences at `theta`, loosely (relative to its largest entry): that only guards the reference.
/// Run on a small instance: the code is the same at any size, and a difference per parameter
/// costs two evaluations.
template <class Problem>
void check_hand_written(const Problem& problem, std::span<const double> theta, std::string_view key) {
  const GradientCall hand = [&problem](std::span<const double> x, std::span<double> grad) {
    return problem.gradient(x, grad);
  };
  std::vector<double> grad(theta.size());
  hand(theta, grad);
  require_close(grad, finite_differences(hand, theta), 1e-6,
                fmt::format("{} ({} rows): hand-written gradient against finite differences", key, problem.rows), 1.0);
}

/// Throws GradientCheckError unless the model's value and gradient match the hand-written ones
/// to kGradientTolerance, relative per component, at theta0 (its first call, which records) and
/// at theta (replayed, the path timed); libtorch's as well at theta.
void check_larger_model(const LargerModel& m) {
  const auto compare = [&](const GradientCall& f, std::span<const double> at, const std::string& what) {
    std::vector<double> hand(at.size()), got(at.size(), std::numeric_limits<double>::quiet_NaN());
    const double want = m.hand(at, hand);
    const double value = f(at, got);
    require_close({&value, 1}, {&want, 1}, kGradientTolerance, fmt::format("{}: {} value", m.key, what));
    require_close(got, hand, kGradientTolerance, fmt::format("{}: {} gradient", m.key, what));
  };
  const GradientCall slope = [&](std::span<const double> at, std::span<double> grad) {
    return m.model.value_and_gradient(at, grad);
  };
  compare(slope, m.theta0, ".slope model (recording)");
  compare(slope, m.theta, ".slope model (replayed)");
  if (m.torch) compare(m.torch, m.theta, "libtorch");
}

lang::Model make_larger_model(const char* source, const std::vector<double>& X, const std::vector<double>& y,
                              std::size_t rows, std::size_t cols) {
  lang::Model model = lang::Model::parse(source, "bench.slope");
  model.bind_data("X", lang::Matrix::from_row_major(X, rows, cols, "X"));
  model.bind_data("y", lang::Matrix::from_vector(y, "y"));
  model.check();
  return model;
}

LargerModel softmax_model(const SoftmaxRegression& p) {
  LargerModel m{"softmax",
                fmt::format("softmax regression: {} rows x {} features, {} classes", p.rows, p.cols,
                            SoftmaxRegression::classes),
                make_larger_model(SoftmaxRegression::source, p.X, p.labels, p.rows, p.cols),
                [&p](std::span<const double> theta, std::span<double> grad) { return p.gradient(theta, grad); },
                {},
                p.point(11),
                p.point(12)};
#ifdef SLOPE_BENCH_WITH_TORCH
  m.torch = torch_peer::softmax_regression(p.X, p.labels, p.rows, p.cols, SoftmaxRegression::classes,
                                           SoftmaxRegression::lambda);
#endif
  return m;
}

LargerModel network_model(const TwoLayerNetwork& p) {
  LargerModel m{"network",
                fmt::format("two-layer network: {} rows x {} inputs, {} tanh hidden units", p.rows, p.cols,
                            TwoLayerNetwork::hidden),
                make_larger_model(TwoLayerNetwork::source, p.X, p.y, p.rows, p.cols),
                [&p](std::span<const double> theta, std::span<double> grad) { return p.gradient(theta, grad); },
                {},
                p.point(21),
                p.point(22)};
#ifdef SLOPE_BENCH_WITH_TORCH
  m.torch = torch_peer::two_layer_network(p.X, p.y, p.rows, p.cols, TwoLayerNetwork::hidden, TwoLayerNetwork::decay);
#endif
  return m;
}

/// Registers `m`'s rows: each call's theta[0] is chained to the previous call's result, and the
/// result folds in a gradient entry, so consecutive calls cannot overlap (BENCH_KERNELS.md).
void register_larger_model(LargerModel& m) {
  const auto row = [&m](const std::string& what, GradientCall call) {
    benchmark::RegisterBenchmark((m.key + "/" + what).c_str(), [&m, call](benchmark::State& state) {
      time_chained_calls(state, m.theta, [&](std::span<const double> x) { return call(x, m.grad) + m.grad[0] * 0.0; });
    });
  };
  row("hand", m.hand);
  row("slope", [&m](std::span<const double> x, std::span<double> g) { return m.model.value_and_gradient(x, g); });
  if (m.torch) row("torch", m.torch);
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke"});
  const bool smoke = command_line.has("--smoke");
  // 0.2 s per repetition: the larger models' calls take milliseconds (a per-benchmark MinTime
  // would rename their rows).
  command_line.add_defaults({smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=15",
                             smoke ? "--benchmark_min_time=0.001" : "--benchmark_min_time=0.2",
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

#ifdef SLOPE_BENCH_WITH_TORCH
  torch_peer::use_one_thread();
#endif
  const SoftmaxRegression softmax_problem = smoke ? SoftmaxRegression(100, 4) : SoftmaxRegression(20'000, 20);
  const TwoLayerNetwork network_problem = smoke ? TwoLayerNetwork(100, 3) : TwoLayerNetwork(20'000, 10);
  LargerModel softmax = softmax_model(softmax_problem);
  LargerModel network = network_model(network_problem);
  try {
    check_against_hand(vectorized, data, theta, "vectorized");
    check_against_hand(index_sum, data, theta, "index-sum");
    const SoftmaxRegression small_softmax(200, softmax_problem.cols);
    check_hand_written(small_softmax, small_softmax.point(12), softmax.key);
    const TwoLayerNetwork small_network(200, network_problem.cols);
    check_hand_written(small_network, small_network.point(22), network.key);
    check_larger_model(softmax);
    check_larger_model(network);
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
  register_larger_model(softmax);
  register_larger_model(network);

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

#ifdef SLOPE_BENCH_WITH_TORCH
  const bool torch_built = true;
#else
  const bool torch_built = false;
#endif
  Table larger({"model", "hand us", "slope us", "torch us", "slope/hand", "slope/torch", "torch/hand"});
  for (const LargerModel* m : {&softmax, &network}) {
    const double hand_ns = reporter.median_ns(m->key + "/hand");
    const double slope_ns = reporter.median_ns(m->key + "/slope");
    const double torch_ns = reporter.median_ns(m->key + "/torch");
    const auto torch_cell = [&](double value, const char* format) {
      return torch_built ? fmt::format(fmt::runtime(format), value) : std::string("not built");
    };
    larger.add_row({m->key, fmt::format("{:.1f}", hand_ns * 1e-3), fmt::format("{:.1f}", slope_ns * 1e-3),
                    torch_cell(torch_ns * 1e-3, "{:.1f}"), fmt::format("{:.2f}", slope_ns / hand_ns),
                    torch_cell(slope_ns / torch_ns, "{:.2f}"), torch_cell(torch_ns / hand_ns, "{:.2f}")});
  }
  fmt::print("\n{}larger .slope models against the hand-written C++ gradient and libtorch ({}), value and "
             "gradient per call (median of interleaved repetitions), ratios from this run:\n{}\n{}\n{}",
             smoke ? "SMOKE RUN, timings meaningless. " : "",
             torch_built ? "CPU, one thread, double tensors, autograd" : "NOT BUILT: Torch not found at configure time",
             softmax.description, network.description, larger.str());
  return 0;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
