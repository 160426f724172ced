// Minibatch runs on a row-sum objective: they reach the least-squares solution, the same
// seed gives the same run bit for bit, and maximizing the negation is the same run.
#include <boost/test/unit_test.hpp>

#include <slope/optim.hpp>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

/// Least squares on 500 rows: sum_i (a_i . w - b_i)^2 with a_i = (1, t_i), b_i = 2 - 3 t_i + noise.
struct LeastSquares {
  std::vector<double> t, b;
  LeastSquares() {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int i = 0; i < 500; ++i) {
      t.push_back(normal(rng));
      b.push_back(2.0 - 3.0 * t.back() + 0.1 * normal(rng));
    }
  }
  double operator()(std::span<const double> w, std::span<double> g, std::span<const std::size_t> rows) const {
    g[0] = g[1] = 0.0;
    double s = 0.0;
    for (const std::size_t i : rows) {
      const double r = w[0] + w[1] * t[i] - b[i];
      s += r * r;
      g[0] += 2.0 * r;
      g[1] += 2.0 * r * t[i];
    }
    return s;
  }
  /// The exact minimizer from the normal equations.
  [[nodiscard]] std::vector<double> solution() const {
    double n = 0, st = 0, stt = 0, sb = 0, stb = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      n += 1;
      st += t[i];
      stt += t[i] * t[i];
      sb += b[i];
      stb += t[i] * b[i];
    }
    const double det = n * stt - st * st;
    return {(stt * sb - st * stb) / det, (n * stb - st * sb) / det};
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(minibatch)

BOOST_AUTO_TEST_CASE(adam_on_minibatches_reaches_least_squares) {
  const LeastSquares problem;
  const slope::Result r = slope::minimize_minibatch(problem, 500, std::vector<double>{0.0, 0.0},
                                                    slope::Adam{.step_size = 0.05}, {.batch_size = 25, .seed = 1},
                                                    {.max_iterations = 60, .gradient_tolerance = 0.0});
  const std::vector<double> exact = problem.solution();
  BOOST_TEST((r.status == slope::Status::MaxIterations));
  BOOST_TEST(r.iterations == 60U);  // one iteration per epoch
  BOOST_TEST(std::fabs(r.x[0] - exact[0]) < 0.02);
  BOOST_TEST(std::fabs(r.x[1] - exact[1]) < 0.02);
}

BOOST_AUTO_TEST_CASE(sgd_with_momentum_reaches_least_squares) {
  const LeastSquares problem;
  const slope::Result r = slope::minimize_minibatch(problem, 500, std::vector<double>{0.0, 0.0},
                                                    slope::Momentum{.step_size = 0.01, .momentum = 0.5},
                                                    {.batch_size = 10, .seed = 3}, {.max_iterations = 30, .gradient_tolerance = 0.0});
  const std::vector<double> exact = problem.solution();
  BOOST_TEST(std::fabs(r.x[0] - exact[0]) < 0.05);
  BOOST_TEST(std::fabs(r.x[1] - exact[1]) < 0.05);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_run) {
  const LeastSquares problem;
  const auto run = [&](std::uint64_t seed) {
    return slope::minimize_minibatch(problem, 500, std::vector<double>{0.0, 0.0}, slope::Adam{.step_size = 0.05},
                                     {.batch_size = 32, .seed = seed}, {.max_iterations = 5, .gradient_tolerance = 0.0});
  };
  BOOST_TEST(run(7).x == run(7).x);
  BOOST_TEST(run(7).x != run(8).x);
}

BOOST_AUTO_TEST_CASE(maximizing_the_negation_is_the_same_run) {
  const LeastSquares problem;
  const auto negated = [&](std::span<const double> w, std::span<double> g, std::span<const std::size_t> rows) {
    const double v = problem(w, g, rows);
    for (double& gi : g) gi = -gi;
    return -v;
  };
  const slope::Minibatch batches{.batch_size = 50, .seed = 11};
  const slope::StopOptions options{.max_iterations = 8, .gradient_tolerance = 0.0};
  const slope::Result down = slope::minimize_minibatch(problem, 500, std::vector<double>{0.0, 0.0}, slope::RmsProp{.step_size = 0.02}, batches, options);
  const slope::Result up = slope::maximize_minibatch(negated, 500, std::vector<double>{0.0, 0.0}, slope::RmsProp{.step_size = 0.02}, batches, options);
  BOOST_TEST(up.x == down.x);
  BOOST_TEST(up.value == -down.value);
}

BOOST_AUTO_TEST_CASE(a_zero_batch_size_is_rejected) {
  const LeastSquares problem;
  BOOST_CHECK_THROW(slope::minimize_minibatch(problem, 500, std::vector<double>{0.0, 0.0}, slope::Adam{}, {.batch_size = 0}),
                    slope::ArgumentError);
}

BOOST_AUTO_TEST_SUITE_END()
