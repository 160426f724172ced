// Logistic regression on 200,000 rows, fitted by Newton's method: the log-likelihood written
// with vector nodes (one node per vector operation, the data referenced, not copied), its
// gradient computed on two threads, then the same function recorded once into a
// slope::Function whose replays give the gradient and the exact Hessian at every iterate.
//
//     ./large_logistic [rows]        (default 200000; exit status 1 if Newton did not converge)

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>
#include <slope/autodiff/parallel.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kFeatures = 10;

/// Rows of features (row-major) and 0/1 labels drawn from a logistic model with known weights.
struct Data {
  std::size_t rows = 0;
  std::vector<double> X;
  std::vector<double> y;
};

Data generate(std::size_t rows) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Data d{rows, std::vector<double>(rows * kFeatures), std::vector<double>(rows)};
  for (std::size_t i = 0; i < rows; ++i) {
    double z = -0.5;  // the true intercept
    for (std::size_t j = 0; j < kFeatures; ++j) {
      d.X[i * kFeatures + j] = normal(rng);
      z += (0.3 * static_cast<double>(j % 4) - 0.4) * d.X[i * kFeatures + j];  // the true weights
    }
    d.y[i] = uniform(rng) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
  return d;
}

/// The log-likelihood of rows [begin, end): sum_i y_i z_i - log(1 + e^(z_i)), z = X w + b,
/// with theta = (w, b). Five vector nodes, whatever the number of rows.
slope::Var log_likelihood(const Data& d, std::span<const slope::Var> theta, std::size_t begin, std::size_t end) {
  const std::size_t rows = end - begin;
  std::vector<slope::Var> z(rows), softplus_z(rows);
  slope::matvec(slope::ConstMatrixView(d.X.data() + begin * kFeatures, rows, kFeatures), theta.first(kFeatures), z);
  slope::add(z, theta[kFeatures], z);
  slope::softplus(z, softplus_z);
  return slope::dot(z, std::span<const double>(d.y).subspan(begin, rows)) - slope::sum(softplus_z);
}

/// Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting; A and b
/// are overwritten. Enough for the 11 x 11 Newton systems here.
std::vector<double> solve(std::vector<double> A, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pivot = k;
    for (std::size_t i = k + 1; i < n; ++i) {
      if (std::fabs(A[i * n + k]) > std::fabs(A[pivot * n + k])) pivot = i;
    }
    for (std::size_t j = 0; j < n; ++j) std::swap(A[k * n + j], A[pivot * n + j]);
    std::swap(b[k], b[pivot]);
    for (std::size_t i = k + 1; i < n; ++i) {
      const double factor = A[i * n + k] / A[k * n + k];
      for (std::size_t j = k; j < n; ++j) A[i * n + j] -= factor * A[k * n + j];
      b[i] -= factor * b[k];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t j = i + 1; j < n; ++j) s -= A[i * n + j] * x[j];
    x[i] = s / A[i * n + i];
  }
  return x;
}

double max_abs(std::span<const double> v) {
  double m = 0.0;
  for (const double x : v) m = std::max(m, std::fabs(x));
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  if (rows == 0) {
    fmt::print(stderr, "usage: large_logistic [rows > 0]\n");
    return 2;
  }
  const Data data = generate(rows);
  std::vector<double> theta(kFeatures + 1, 0.0);
  std::vector<double> grad(theta.size()), serial_grad(theta.size());

  // 1. The gradient on two threads: each records half of the rows on its own tape, in pieces
  //    of 4096 rows (the grain), each swept while its rows are still in cache.
  slope::GradientPool pool(2);
  const auto shard = [&](std::span<const slope::Var> t, std::size_t begin, std::size_t end) {
    return log_likelihood(data, t, begin, end);
  };
  const double lp = slope::parallel_sum_gradient(pool, rows, theta, grad, shard, /*grain=*/4096);
  const auto serial = slope::value_and_gradient(
      [&](std::span<const slope::Var> t) { return log_likelihood(data, t, 0, rows); }, theta);
  double difference = 0.0;
  for (std::size_t k = 0; k < theta.size(); ++k) {
    difference = std::max(difference, std::fabs(grad[k] - serial.gradient[k]) / std::max(1.0, std::fabs(grad[k])));
  }
  fmt::print("{} rows x {} features; at theta = 0: log-likelihood {:.6f}, max |gradient| {:.4g}\n", rows, kFeatures,
             lp, max_abs(grad));
  fmt::print("2 threads vs 1: log-likelihoods differ by {:.2g}, gradients by {:.2g} (relative; only the order of the "
             "additions differs)\n",
             std::fabs(lp - serial.value) / std::fabs(serial.value), difference);

  // 2. Recorded once; each Newton step replays it for the gradient and the Hessian.
  const slope::Function f = slope::Function::record(
      [&](std::span<const slope::Var> t) { return log_likelihood(data, t, 0, rows); }, theta);
  slope::Function::Workspace ws = f.workspace();
  fmt::print("recorded once: {} instructions, {} partials per gradient\n", f.stats().kept, f.stats().edges);
  std::vector<double> hessian(theta.size() * theta.size());
  bool converged = false;
  for (int iteration = 1; iteration <= 20 && !converged; ++iteration) {
    const slope::Evaluation e = f.value_and_gradient(theta, grad, ws);
    static_cast<void>(f.hessian(theta, hessian, ws));  // no comparisons recorded: always Ok
    // theta <- theta - H^-1 g; H is negative definite (the log-likelihood is concave).
    const std::vector<double> step = solve(hessian, grad);
    for (std::size_t k = 0; k < theta.size(); ++k) theta[k] -= step[k];
    converged = max_abs(grad) < 1e-8 * static_cast<double>(rows);
    fmt::print("Newton {:2}: log-likelihood {:.10f}, max |gradient| {:.3g}\n", iteration, e.value, max_abs(grad));
  }
  fmt::print("weights:");
  for (std::size_t j = 0; j < kFeatures; ++j) fmt::print(" {:.3f}", theta[j]);
  fmt::print("\nintercept: {:.3f} (data drawn with weights -0.4 -0.1 0.2 0.5 ... and intercept -0.5)\n",
             theta[kFeatures]);
  return converged ? 0 : 1;
}
