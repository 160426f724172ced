// Logistic regression fitted by gradient ASCENT on the log-likelihood, and the same fit by
// descent on the negative log-likelihood: one engine, two senses, the same weights.
//
//   log L(w, b) = sum_i y_i log s(z_i) + (1 - y_i) log(1 - s(z_i)),  z_i = x_i . w + b,
//   s the sigmoid; log s(z) is log_sigmoid(z) and log(1 - s(z)) is log_sigmoid(-z).
#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace {

constexpr std::size_t kRows = 1000;
constexpr std::size_t kFeatures = 4;

struct Data {
  std::vector<double> x;  // kRows x kFeatures, row-major
  std::vector<double> y;  // labels 0/1
};

/// Data drawn from a logistic model with known weights, so the fit can be judged.
Data make_data(const std::vector<double>& true_w, double true_b) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Data d{std::vector<double>(kRows * kFeatures), std::vector<double>(kRows)};
  for (std::size_t i = 0; i < kRows; ++i) {
    double z = true_b;
    for (std::size_t j = 0; j < kFeatures; ++j) z += true_w[j] * (d.x[i * kFeatures + j] = normal(rng));
    d.y[i] = uniform(rng) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
  return d;
}

}  // namespace

int main() {
  const std::vector<double> true_w{1.0, -2.0, 0.5, 0.0};
  const double true_b = -0.5;
  const Data data = make_data(true_w, true_b);

  // Parameters p = (w_1..w_4, b), written with slope::Var: the tape gives the gradient.
  const auto log_likelihood = [&](std::span<const slope::Var> p) {
    slope::Var ll = 0.0;
    for (std::size_t i = 0; i < kRows; ++i) {
      slope::Var z = p[kFeatures];
      for (std::size_t j = 0; j < kFeatures; ++j) z += data.x[i * kFeatures + j] * p[j];
      ll += data.y[i] * log_sigmoid(z) + (1.0 - data.y[i]) * log_sigmoid(-z);
    }
    return ll;
  };
  const auto negative_log_likelihood = [&](std::span<const slope::Var> p) { return -log_likelihood(p); };

  const std::vector<double> start(kFeatures + 1, 0.0);
  fmt::print("Ascent on the log-likelihood (L-BFGS), progress on stderr:\n");
  const slope::Result ascent =
      slope::maximize(log_likelihood, start, slope::Lbfgs{}, {.callback = slope::progress_printer(stderr, 1)});
  const slope::Result descent = slope::minimize(negative_log_likelihood, start);
  const slope::Result plain_ascent = slope::maximize(log_likelihood, start, slope::GradientDescent{},
                                                     {.max_iterations = 5000, .max_evaluations = 50000});

  fmt::print("\n{:<34} {:>10} {:>10} {:>10} {:>10} {:>10}   {:>12} {:>5}\n", "", "w1", "w2", "w3", "w4", "b", "objective",
             "iter");
  const auto row = [](const char* name, const std::vector<double>& p, double value, std::size_t iterations) {
    fmt::print("{:<34} {:>10.6f} {:>10.6f} {:>10.6f} {:>10.6f} {:>10.6f}   {:>12.6f} {:>5}\n", name, p[0], p[1], p[2], p[3],
               p[4], value, iterations);
  };
  row("maximize log L (L-BFGS)", ascent.x, ascent.value, ascent.iterations);
  row("minimize -log L (L-BFGS)", descent.x, descent.value, descent.iterations);
  row("maximize log L (gradient ascent)", plain_ascent.x, plain_ascent.value, plain_ascent.iterations);
  fmt::print("{:<34} {:>10.6f} {:>10.6f} {:>10.6f} {:>10.6f} {:>10.6f}\n", "weights that generated the data", true_w[0],
             true_w[1], true_w[2], true_w[3], true_b);

  double largest_gap = 0.0;
  for (std::size_t j = 0; j < start.size(); ++j) largest_gap = std::max(largest_gap, std::fabs(ascent.x[j] - descent.x[j]));
  fmt::print("\nstatus: ascent {}, descent {}; largest difference between the two fits: {:.1e}\n",
             slope::to_string(ascent.status), slope::to_string(descent.status), largest_gap);
  return ascent.converged() && descent.converged() && largest_gap < 1e-6 ? 0 : 1;
}
